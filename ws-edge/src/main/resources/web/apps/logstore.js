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

/** How far a record's own time may run ahead of its Kafka timestamp (clock skew) and still be its time. */
export const MAX_AHEAD_MS = 5 * 60 * 1000;

/**
 * A record from a room event. The log shipper's shape (docs/log-shipper.md: type `log`, data a
 * string or an object with a string `line`) gives line, level, time and source; anything else (a
 * stranger's record) is raw: its line is "TYPE @OFFSET: JSON", shown as text in a muted style.
 *
 * `time` is what the row shows and what the view is ordered by: the record's own `time` when it
 * parses and is not more than MAX_AHEAD_MS after the Kafka timestamp (a line cannot be logged after
 * it was written to Kafka), else the Kafka timestamp (`ts`). `ownTime` keeps the record's text.
 */
export function toRecord(ev) {
  const d = ev.data;
  const obj = d && typeof d === 'object' && !Array.isArray(d) ? d : null;
  const known = ev.type === 'log' || ev.type === 'message';
  let line;
  let raw = false;
  if (known && obj && typeof obj.line === 'string') line = obj.line;
  else if (known && typeof d === 'string') line = d;
  else {
    raw = true;
    let json;
    try {
      json = typeof d === 'string' ? d : JSON.stringify(d);
    } catch {
      json = String(d);
    }
    line = `${ev.type} @${ev.offset}${ev.encoding ? ' (' + ev.encoding + ')' : ''}: ${json ?? String(d)}`;
  }
  const nl = line.indexOf('\n');
  let first = nl < 0 ? line : line.slice(0, nl);
  if (!raw && first.startsWith('{') && first.length < 20000) first = jsonLineMessage(first) ?? first;
  const fields = raw ? null : obj;
  const source = fields && fields.source && typeof fields.source === 'object' ? fields.source : {};
  const ownTime = fields && typeof fields.time === 'string' ? fields.time : null;
  const parsed = ownTime !== null ? Date.parse(ownTime) : NaN;
  const valid = Number.isFinite(parsed) && !(Number.isFinite(ev.ts) && parsed > ev.ts + MAX_AHEAD_MS);
  return {
    room: ev.room,
    offset: ev.offset,
    epoch: ev.epoch ?? null,
    ts: ev.ts,
    time: valid ? parsed : ev.ts,
    ownTime,
    level: fields ? normaliseLevel(fields.level) : null,
    line,
    first,
    extraLines: nl < 0 ? 0 : line.split('\n').length - 1,
    host: typeof source.host === 'string' ? source.host : null,
    file: typeof source.file === 'string' ? source.file : null,
    logger: fields && typeof fields.logger === 'string' ? fields.logger : null,
    thread: fields && typeof fields.thread === 'string' ? fields.thread : null,
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

/**
 * Merge order: the time a row shows (the record's own time, else its Kafka timestamp), then room,
 * then offset. Exported for the tests.
 */
export function before(a, b) {
  if (a.time !== b.time) return a.time < b.time;
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

/**
 * The text Download saves: one line per line of each record, every one prefixed with
 * "ISO-time room offset " (the lines of a stack trace too, so a filtered download has no bare line).
 */
export function downloadText(records, iso = (ms) => new Date(ms).toISOString()) {
  const out = [];
  for (const r of records) {
    const prefix = `${Number.isFinite(r.time) ? iso(r.time) : '-'} ${r.room} ${r.offset} `;
    for (const l of r.line.split('\n')) out.push(prefix + l.replace(/\r$/, ''));
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/**
 * The time a row shows: "HH:MM:SS.mmm" for today (local), else "YYYY-MM-DD HH:MM:SS.mmm", so a
 * line of another day never passes for today's.
 */
export function rowTime(ms, now = Date.now()) {
  const d = new Date(ms);
  if (!Number.isFinite(d.getTime())) return '';
  const pad = (v, n = 2) => String(v).padStart(n, '0');
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  const day = (x) => `${x.getFullYear()}-${pad(x.getMonth() + 1)}-${pad(x.getDate())}`;
  const today = new Date(now);
  return day(d) === day(today) ? clock : `${day(d)} ${clock}`;
}
