// The logs app's data: log records parsed from room events, kept in time order across rooms,
// bounded by a cap, and a filtered view over them. Pure (no DOM); unit-tested on Node.

/** The most records a page keeps; beyond it the oldest are dropped (they stay in Kafka). */
export const MAX_RECORDS = 100000;
export const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const ALIASES = { WARNING: 'WARN', ERR: 'ERROR', SEVERE: 'ERROR', CRITICAL: 'FATAL', CRIT: 'FATAL', NOTICE: 'INFO', FINE: 'DEBUG' };

export function normaliseLevel(value) {
  if (typeof value !== 'string') return null;
  const v = value.trim().toUpperCase();
  if (LEVELS.includes(v)) return v;
  return ALIASES[v] || null;
}

/**
 * A record from a room event. The log shipper's shape (docs/log-shipper.md) gives line, level,
 * time and source; anything else (a stranger's record) becomes a raw record: its JSON as the line.
 */
export function toRecord(ev) {
  const d = ev.data;
  let line;
  let raw = false;
  if (d && typeof d === 'object' && typeof d.line === 'string') line = d.line;
  else if (typeof d === 'string') line = d;
  else {
    raw = true;
    try {
      line = `${ev.type} ${JSON.stringify(d)}`;
    } catch {
      line = `${ev.type} ${String(d)}`;
    }
  }
  if (ev.type !== 'log' && ev.type !== 'message') raw = true;
  const nl = line.indexOf('\n');
  let first = nl < 0 ? line : line.slice(0, nl);
  if (first.startsWith('{') && first.length < 20000) first = jsonLineMessage(first) ?? first;
  const source = d && typeof d === 'object' && d.source && typeof d.source === 'object' ? d.source : {};
  const parsed = d && typeof d === 'object' && typeof d.time === 'string' ? Date.parse(d.time) : NaN;
  return {
    room: ev.room,
    offset: ev.offset,
    epoch: ev.epoch ?? null,
    ts: ev.ts,
    time: Number.isFinite(parsed) ? parsed : ev.ts,
    level: d && typeof d === 'object' ? normaliseLevel(d.level) : null,
    line,
    first,
    extraLines: nl < 0 ? 0 : line.split('\n').length - 1,
    host: typeof source.host === 'string' ? source.host : null,
    file: typeof source.file === 'string' ? source.file : null,
    logger: d && typeof d === 'object' && typeof d.logger === 'string' ? d.logger : null,
    thread: d && typeof d === 'object' && typeof d.thread === 'string' ? d.thread : null,
    raw,
  };
}

/** A structured (JSON) log line shown by its message: "logger - message", or null. */
function jsonLineMessage(text) {
  try {
    const o = JSON.parse(text);
    const message = o.formattedMessage ?? o.message ?? o.msg;
    if (typeof message !== 'string') return null;
    const logger = typeof (o.loggerName ?? o.logger) === 'string' ? String(o.loggerName ?? o.logger).split('.').pop() : null;
    return logger ? `${logger} - ${message}` : message;
  } catch {
    return null;
  }
}

/**
 * A filter: levels shown (null = all) and a text or /regex/ query. Throws SyntaxError for an
 * invalid regex, so the page can say so.
 */
export function makeFilter(levels, query) {
  const q = (query || '').trim();
  let test = null;
  const m = /^\/(.+)\/([a-z]*)$/.exec(q);
  if (m) {
    const re = new RegExp(m[1], m[2].includes('i') ? 'i' : '');
    test = (line) => re.test(line);
  } else if (q) {
    const needle = q.toLowerCase();
    test = (line) => line.toLowerCase().includes(needle);
  }
  const levelSet = levels && levels.size < LEVELS.length ? levels : null;
  return (r) => (!levelSet || (r.level !== null && levelSet.has(r.level))) && (!test || test(r.line));
}

/** Parses `level=` of a link: `warn` (exactly), `warn,error` (these), `warn+` (warn and above). */
export function parseLevels(text) {
  if (!text) return new Set(LEVELS);
  const out = new Set();
  for (const part of text.split(',')) {
    const plus = part.trim().endsWith('+');
    const level = normaliseLevel(part.replace('+', ''));
    if (!level) continue;
    if (plus) LEVELS.slice(LEVELS.indexOf(level)).forEach((l) => out.add(l));
    else out.add(level);
  }
  return out.size ? out : new Set(LEVELS);
}

export function formatLevels(levels) {
  if (levels.size === LEVELS.length) return '';
  const sorted = LEVELS.filter((l) => levels.has(l));
  const from = LEVELS.indexOf(sorted[0]);
  if (sorted.length === LEVELS.length - from && sorted.every((l, i) => l === LEVELS[from + i])) return sorted[0].toLowerCase() + '+';
  return sorted.map((l) => l.toLowerCase()).join(',');
}

/** Merge order: record time of the event (Kafka timestamp), then room, then offset. */
function before(a, b) {
  if (a.ts !== b.ts) return a.ts < b.ts;
  if (a.room !== b.room) return a.room < b.room;
  return a.offset < b.offset;
}

export class LogStore {
  constructor(cap = MAX_RECORDS) {
    this.cap = cap;
    this.records = [];
    this.view = []; // records that pass the filter, in order
    this.filter = () => true;
    this.dropped = 0;
    this.viewDirty = false;
  }

  clear() {
    this.records = [];
    this.view = [];
    this.dropped = 0;
    this.viewDirty = false;
  }

  setFilter(filter) {
    this.filter = filter;
    this.view = this.records.filter(filter);
    this.viewDirty = false;
  }

  /**
   * Adds records (each room's in offset order). Returns how many went to the end of the view
   * (new lines the user has not seen); a record older than the newest one is inserted in place
   * (not counted: it lands above the end), and the records after it are counted all the same.
   */
  add(records) {
    let appended = 0;
    for (const r of records) {
      const n = this.records.length;
      if (n === 0 || !before(r, this.records[n - 1])) {
        this.records.push(r);
        if (this.filter(r)) {
          if (!this.viewDirty) this.view.push(r); // else the view is rebuilt below, with it at the end
          appended++;
        }
      } else {
        let lo = 0;
        let hi = n;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (before(r, this.records[mid])) hi = mid;
          else lo = mid + 1;
        }
        this.records.splice(lo, 0, r);
        this.viewDirty = true;
      }
    }
    if (this.records.length > this.cap) {
      const excess = this.records.length - this.cap + Math.floor(this.cap / 10);
      this.records.splice(0, excess);
      this.dropped += excess;
      this.viewDirty = true;
    }
    if (this.viewDirty) {
      this.view = this.records.filter(this.filter);
      this.viewDirty = false;
    }
    return Math.min(appended, this.view.length); // the cap may have dropped some of them again
  }

  indexOfOffset(room, offset) {
    return this.view.findIndex((r) => r.room === room && r.offset === offset);
  }
}

/** Parses "15m", "2 h ago", "90s", "1d" (before now) or a date-time; returns ms or NaN. */
export function parseTime(text, now = Date.now()) {
  const t = (text || '').trim();
  const m = /^(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)\w*(\s+ago)?$/i.exec(t);
  if (m) {
    const unit = { s: 1e3, sec: 1e3, m: 6e4, min: 6e4, h: 36e5, d: 864e5 }[m[2].toLowerCase()];
    return now - Number(m[1]) * unit;
  }
  return t ? Date.parse(t) : NaN;
}
