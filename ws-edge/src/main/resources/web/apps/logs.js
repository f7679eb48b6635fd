// The logs app (/logs): follow one or more log rooms live, filter, pause, jump in time, share a
// line. See docs/apps.md. The list is virtualised (fixed 20 px rows; only the visible rows exist in
// the DOM) and the page keeps at most MAX_RECORDS records. Everything is rendered as text.
import { h, connectHere, connectionIndicator, isoTime, ROOM_NAME } from './common.js';
import { LogStore, LEVELS, MAX_RECORDS, toRecord, makeFilter, parseLevels, formatLevels, parseTime, downloadText, rowTime } from './logstore.js';

const ROW = 20;
const CONTEXT_OFFSETS = 200; // a permalink opens this many partition offsets before its line
const $ = (id) => document.getElementById(id);
const list = $('list');
const spacer = $('spacer');
const newLinesButton = $('newlines');
const pauseButton = $('pause');
const statusLine = $('status-line');

const store = new LogStore(MAX_RECORDS);
const client = connectHere();
let subs = [];
let rooms = [];
let levels = new Set(LEVELS);
let query = '';
let following = true;
let unseen = 0;
let paused = false;
let pending = [];
let pendingDropped = 0;
let target = null; // {room, offset} of a permalink
let revealed = false; // whether the permalink's line has been shown
let ownScroll = false; // the next scroll event is the page's own, not the reader's
let selected = null;
let start = { kind: 'last', n: 1000 };
let linkRefusals = []; // what readUrl could not use, for the next open() to say
let renderQueued = false;
let openSeq = 0; // the newest open(): an older one still awaiting an epoch gives up
let probe = null; // the epoch probe of a permalink being opened: {sub, resolve}
const rowPool = [];
// What went wrong, shown before the line counts until superseded: the filter's own note (an invalid
// regex) until the filter is valid again; the view's notes, by cause, until another view is opened.
let filterNote = '';
const viewNotes = new Map();

// For the browser tests: the store, the state, and `receive`, the subscriptions' event path (to feed records).
window.__logs = {
  store, client, receive: onEvent, openUrl: () => { readUrl(); syncControls(); applyFilter(); return open(); },
  state: () => ({ following, unseen, paused, pending: pending.length, rooms, view: store.view.length, records: store.records.length, subscriptions: subs.length }),
};

connectionIndicator($('conn'), client, () => {
  const positions = subs.map((s) => s.position()).filter(Boolean);
  if (!positions.length) return rooms.join(' ');
  return rooms.length === 1 ? `${rooms[0]} @ ${positions[0].offset}` : `${rooms.length} rooms`;
});

// ---- URL <-> state ----------------------------------------------------------------------------

const ROOM_RULE = 'room names: 1–200 characters of A–Z a–z 0–9 . _ : @ / -';
const TIME_RULE = 'a duration such as 15m, 2h, 1d, or a date-time';
const LAST_RULE = 'a whole number of lines, 1–10,000';

/**
 * Reads the view from the address bar. A parameter the page cannot use is never replaced by a
 * default: it is listed in `linkRefusals` (field, its text, why), and the next open() opens nothing
 * but says so and marks the field, until the reader corrects the form.
 */
function readUrl() {
  const p = new URLSearchParams(location.search);
  const refused = [];
  const given = p.getAll('room').flatMap((r) => r.split(/[\s,]+/)).filter(Boolean);
  const names = given.map(normaliseRoom);
  const bad = given.filter((_, i) => names[i] === null);
  rooms = [...new Set(names.filter(Boolean))];
  if (bad.length) refused.push({ field: 'rooms', text: given.join(' '), why: `refused room name${bad.length > 1 ? 's' : ''} ${bad.map((b) => JSON.stringify(b)).join(', ')} (${ROOM_RULE})` });
  if (!given.length) rooms = ['logs:roomcast'];
  query = p.get('q') || '';
  levels = parseLevels(p.get('level'));
  target = null;
  if (p.has('at')) {
    const at = p.get('at');
    if (/^\d+$/.test(at)) target = { room: rooms[0] ?? given[0], offset: Number(at), epoch: p.get('epoch') };
    else refused.push({ field: 'start', why: `refused at=${JSON.stringify(at)} (a permalink's offset is a whole number)` });
    start = target ? { kind: 'at' } : { kind: 'last', n: 1000 };
  } else if (p.has('time')) {
    const text = p.get('time');
    if (!Number.isFinite(parseTime(text))) refused.push({ field: 'time', text, why: `refused time=${JSON.stringify(text)} (${TIME_RULE})` });
    start = { kind: 'time', text };
  } else if (p.has('from')) {
    const from = p.get('from');
    if (from === 'earliest' || from === 'live') start = { kind: from };
    else {
      refused.push({ field: 'start', why: `refused from=${JSON.stringify(from)} (earliest or live)` });
      start = { kind: 'last', n: 1000 };
    }
  } else if (p.has('last')) {
    const text = p.get('last');
    const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
    if (n >= 1 && n <= 10000) start = { kind: 'last', n };
    else {
      refused.push({ field: 'last-n', text, why: `refused last=${JSON.stringify(text)} (${LAST_RULE})` });
      start = { kind: 'last', n: 1000 };
    }
  } else {
    start = { kind: 'last', n: 1000 };
  }
  linkRefusals = refused;
}

/** Shows a link's refused parameters in the form: the text as given, the field marked until edited. */
function markRefusals(refusals) {
  for (const r of refusals) {
    const field = $(r.field);
    if (r.text !== undefined) field.value = r.text;
    // The Start control is only marked: a complaint on it would block the form until it is changed.
    if (field.tagName !== 'SELECT') field.setCustomValidity(r.why);
    field.setAttribute('aria-invalid', 'true');
  }
}

function writeUrl() {
  const p = new URLSearchParams();
  rooms.forEach((r) => p.append('room', r));
  if (query) p.set('q', query);
  const lv = formatLevels(levels);
  if (lv) p.set('level', lv);
  if (start.kind === 'at' && target) {
    p.set('at', String(target.offset));
    if (target.epoch) p.set('epoch', target.epoch);
  } else if (start.kind === 'time') p.set('time', start.text);
  else if (start.kind === 'last') p.set('last', String(start.n));
  else p.set('from', start.kind);
  history.replaceState(null, '', `${location.pathname}?${p}`);
}

function normaliseRoom(value) {
  const v = String(value).trim();
  if (!v) return null;
  const name = v.includes(':') ? v : 'logs:' + v;
  return ROOM_NAME.test(name) ? name : null;
}

// ---- subscriptions ----------------------------------------------------------------------------

function fromOf(kindStart) {
  switch (kindStart.kind) {
    case 'earliest': return 'earliest';
    case 'live': return undefined;
    case 'time': return { time: Math.round(parseTime(kindStart.text)) };
    default: return { last: kindStart.n };
  }
}

/**
 * A permalink without an epoch: learns the room's current epoch from a live-only subscription.
 * Resolves null when the room refuses it for good (the refusal is noted), or when a newer view
 * cancels it (cancelProbe: the probe is closed, so the newer view may subscribe the same room).
 */
function epochOf(room) {
  return new Promise((resolve) => {
    const p = { sub: null, resolve };
    probe = p;
    const end = (value) => {
      if (probe === p) probe = null;
      p.sub?.unsubscribe();
      resolve(value);
    };
    p.sub = client.subscribe(room, {
      onLive: (live) => end(live.epoch),
      onError: (e) => {
        note(`error:${room}`, `${room}: ${e.code} ${e.message}`);
        if (!e.retrying) end(null);
      },
    }, () => {});
  });
}

/** Closes the probe of a view that a newer one replaced; its open() then returns. */
function cancelProbe() {
  const p = probe;
  if (!p) return;
  probe = null;
  p.sub?.unsubscribe();
  p.resolve(null);
}

/**
 * Opens the view of `rooms` from `start`. A newer call supersedes one still waiting for a
 * permalink's epoch: that one's probe is closed and it returns without subscribing anything.
 */
async function open() {
  const seq = ++openSeq;
  const refusals = linkRefusals;
  linkRefusals = [];
  cancelProbe();
  subs.forEach((s) => s.unsubscribe());
  subs = [];
  store.clear();
  pending = [];
  pendingDropped = 0;
  batch = [];
  unseen = 0;
  selected = null;
  viewNotes.clear();
  $('detail').hidden = true;
  following = start.kind !== 'at';
  revealed = false;
  list.dataset.live = '0';
  if (refusals.length) {
    // A link the page cannot follow as given: nothing is opened (no default in its place), the
    // address bar keeps the link, the notes say what was refused, the fields are marked.
    syncControls();
    markRefusals(refusals);
    refusals.forEach((r, i) => viewNotes.set(`link:${i}`, r.why));
    viewNotes.set('link', 'nothing opened: correct the form and press Open');
    document.title = 'Roomcast logs';
    scheduleRender();
    return;
  }
  writeUrl();
  syncControls();
  document.title = `${rooms.join(' ')} · Roomcast logs`;
  // This view's own copies: a newer open() replaces the globals while this one awaits an epoch.
  const viewRooms = rooms;
  const viewStart = start;
  const viewTarget = target;
  let live = 0;
  for (const room of viewRooms) {
    let from = fromOf(viewStart);
    if (viewStart.kind === 'at') {
      if (room === viewTarget.room) {
        const epoch = viewTarget.epoch || (await epochOf(room));
        if (seq !== openSeq) return; // superseded while waiting: the newer view owns the page
        if (epoch === null) continue;
        from = { after: Math.max(-1, viewTarget.offset - CONTEXT_OFFSETS), epoch };
      } else {
        from = { last: 200 };
      }
    }
    let sub;
    try {
      sub = client.subscribe(room, {
        from,
        onGap: (gap) => note(`gap:${gap.room}`, `${gap.room}: history changed (${gap.reason}); lines resume at offset ${gap.resumeAt ?? '?'}`),
        onLive: () => {
          if (batch.length) flush();
          if (++live === viewRooms.length) list.dataset.live = '1';
          if (viewStart.kind === 'at' && !revealed) revealTarget();
          refreshStatus();
        },
        onError: (e) => note(`error:${room}`, `${room}: ${e.code} ${e.message}`),
      }, onEvent);
    } catch (e) {
      note(`error:${room}`, `${room}: ${e.code || 'error'} ${e.message}`);
      continue;
    }
    subs.push(sub);
  }
}

let batch = [];
function onEvent(ev) {
  batch.push(toRecord(ev));
  if (batch.length === 1) queueMicrotask(flush);
}

function flush() {
  const records = batch;
  batch = [];
  if (paused) {
    for (const r of records) pending.push(r); // not push(...records): a burst may exceed the argument limit
    if (pending.length > MAX_RECORDS) {
      pendingDropped += pending.length - MAX_RECORDS;
      pending.splice(0, pending.length - MAX_RECORDS);
    }
    syncPause();
    return;
  }
  const appended = addRecords(records);
  if (!following && list.dataset.live === '1') unseen += appended; // history being loaded is not "new"
  // A permalink's line is shown as soon as it is loaded, not after all history after it.
  if (start.kind === 'at' && !revealed && records.some((r) => r.room === target.room && r.offset >= target.offset)) revealTarget();
  scheduleRender();
}

/**
 * Adds records to the store; returns how many went to the end of the view. A reader scrolled up
 * keeps the line at the top of the list where it is, also when the cap drops the oldest records or
 * a late record of another room lands above it.
 */
function addRecords(records) {
  const top = following ? -1 : Math.floor(list.scrollTop / ROW);
  const within = list.scrollTop - top * ROW;
  const anchor = store.view[top];
  const appended = store.add(records);
  if (anchor && store.view[top] !== anchor) {
    const i = Math.max(0, store.view.indexOf(anchor)); // 0: the anchor itself was dropped
    spacer.style.height = `${store.view.length * ROW}px`; // before scrolling, or the scroll is clamped
    list.scrollTop = i * ROW + within;
  }
  return appended;
}

// ---- rendering (virtual list) -----------------------------------------------------------------

function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(render);
}

function render() {
  renderQueued = false;
  const n = store.view.length;
  spacer.style.height = `${n * ROW}px`;
  list.setAttribute('aria-rowcount', String(n));
  if (following) list.scrollTop = list.scrollHeight;
  const first = Math.max(0, Math.floor(list.scrollTop / ROW) - 5);
  const last = Math.min(n, Math.ceil((list.scrollTop + list.clientHeight) / ROW) + 5);
  let used = 0;
  for (let i = first; i < last; i++) {
    const row = rowPool[used] || (rowPool[used] = createRow());
    fillRow(row, store.view[i], i);
    used++;
  }
  for (let i = used; i < rowPool.length; i++) rowPool[i].el.hidden = true;
  newLinesButton.hidden = following || unseen === 0;
  newLinesButton.textContent = `${unseen} new line${unseen === 1 ? '' : 's'} ↓`;
  refreshStatus();
}

function createRow() {
  const t = h('span', { class: 't' });
  const lv = h('span', { class: 'lv' });
  const rm = h('span', { class: 'rm' });
  const host = h('span', { class: 'host' });
  const text = h('span', { class: 'msg-text' });
  const more = h('span', { class: 'more' });
  const el = h('div', { class: 'line', role: 'row' }, t, lv, rm, host, text, more);
  el.addEventListener('click', () => select(el.__record));
  list.append(el);
  return { el, t, lv, rm, host, text, more };
}

function fillRow(row, r, index) {
  const el = row.el;
  el.hidden = false;
  el.__record = r;
  el.style.top = `${index * ROW}px`;
  el.setAttribute('aria-rowindex', String(index + 1));
  el.dataset.offset = String(r.offset);
  el.dataset.room = r.room;
  el.dataset.level = r.level || '';
  el.className = `line${r.raw ? ' unparsed' : ''}${selected === r ? ' selected' : ''}${target && r.room === target.room && r.offset === target.offset ? ' target' : ''}`;
  row.t.textContent = rowTime(r.time);
  row.t.title = isoTime(r.time);
  row.lv.textContent = r.level || '—';
  row.lv.className = `lv lv-${r.level || 'none'}`;
  row.rm.textContent = rooms.length > 1 ? r.room : '';
  row.rm.hidden = rooms.length <= 1;
  row.host.textContent = r.host || '';
  row.host.title = r.file || '';
  row.text.textContent = r.first;
  row.more.textContent = r.extraLines ? `+${r.extraLines} lines` : '';
}

function refreshStatus() {
  const parts = [filterNote, ...viewNotes.values()].filter(Boolean);
  parts.push(`${store.view.length.toLocaleString()} of ${store.records.length.toLocaleString()} lines shown`);
  if (store.dropped) parts.push(`${store.dropped.toLocaleString()} oldest dropped from this page (cap ${MAX_RECORDS.toLocaleString()}; Kafka still has them)`);
  if (paused) parts.push(`paused: ${pending.length + pendingDropped} new`);
  const text = parts.join(' · ');
  if (statusLine.textContent !== text) statusLine.textContent = text;
}

function note(cause, message) {
  viewNotes.set(cause, message);
  refreshStatus();
}

// ---- details and permalinks -------------------------------------------------------------------

function permalink(r) {
  const p = new URLSearchParams();
  p.set('room', r.room);
  p.set('at', String(r.offset));
  if (r.epoch) p.set('epoch', r.epoch);
  return `${location.origin}${location.pathname}?${p}`;
}

function select(r) {
  if (!r) return;
  selected = r;
  const detail = $('detail');
  detail.hidden = false;
  $('detail-title').textContent = `${r.room} @ ${r.offset}`;
  // The record's own time as written, when it is not the time shown (unparsable, or far ahead of Kafka's).
  const written = r.ownTime !== null && (r.time !== Date.parse(r.ownTime)) ? `${r.ownTime} (as written; not used)` : null;
  const fields = [['time', isoTime(r.time)], ['record time', written], ['received', isoTime(r.ts)], ['level', r.level || '—'], ['host', r.host], ['file', r.file],
    ['logger', r.logger], ['thread', r.thread]].filter(([, v]) => v);
  $('detail-fields').replaceChildren(...fields.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]));
  $('detail-text').textContent = r.line;
  $('permalink').href = permalink(r);
  scheduleRender();
}

function revealTarget() {
  revealed = true;
  const i = store.indexOfOffset(target.room, target.offset);
  if (i < 0) {
    note('target', `line ${target.offset} is not in ${target.room}'s retained history (or belongs to another epoch)`);
    return;
  }
  following = false;
  select(store.view[i]); // first: the details panel takes room from the list
  spacer.style.height = `${store.view.length * ROW}px`; // before scrolling, or the scroll is clamped
  ownScroll = true;
  list.scrollTop = Math.max(0, i * ROW - list.clientHeight / 2);
}

// ---- controls ---------------------------------------------------------------------------------

function syncControls() {
  $('rooms').value = rooms.join(' ');
  const kind = start.kind;
  // A permalink's view says so in the form: "line N of ROOM" (an option only such a view has).
  const at = $('start-at');
  at.hidden = kind !== 'at';
  at.disabled = kind !== 'at';
  at.textContent = kind === 'at' && target ? `line ${target.offset} of ${target.room}${target.epoch ? ' (epoch ' + target.epoch + ')' : ''}` : 'a permalinked line';
  $('start').value = kind;
  $('last-n').hidden = kind !== 'last';
  $('time').hidden = kind !== 'time';
  if (start.kind === 'last') $('last-n').value = String(start.n);
  if (start.kind === 'time') $('time').value = start.text;
  for (const chip of $('levels').children) chip.setAttribute('aria-pressed', String(levels.has(chip.dataset.level)));
}

/** Filters by the level chips and the filter field; `query` is the field's last valid text. */
function applyFilter() {
  const text = $('q').value;
  let filter;
  try {
    filter = makeFilter(levels, text);
    query = text;
    $('q').removeAttribute('aria-invalid');
    filterNote = '';
  } catch (e) {
    // An invalid regex keeps the previous query (none when a link's own is invalid); the chips apply anyway.
    if (query === text) query = '';
    filter = makeFilter(levels, query);
    $('q').setAttribute('aria-invalid', 'true');
    filterNote = `invalid regex: ${e.message}`;
  }
  store.setFilter(filter);
  unseen = 0;
  writeUrl();
  scheduleRender();
}

function syncPause() {
  pauseButton.setAttribute('aria-pressed', String(paused));
  const n = pending.length + pendingDropped;
  pauseButton.textContent = paused ? `Resume (${n} new)` : 'Pause';
  refreshStatus();
}

$('levels').append(...LEVELS.map((level) => h('button', {
  type: 'button', class: `chip lv-${level}`, data: { level }, 'aria-pressed': 'true', text: level,
  on: {
    click: (e) => {
      // A plain click toggles one level; with Shift (or a double click) only this level is shown.
      if (e.shiftKey) levels = new Set([level]);
      else if (levels.has(level)) levels.delete(level);
      else levels.add(level);
      if (!levels.size) levels = new Set(LEVELS);
      syncControls();
      applyFilter();
    },
    dblclick: () => { levels = new Set([level]); syncControls(); applyFilter(); },
  },
})));

let filterTimer = null;
$('q').addEventListener('input', () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(applyFilter, 150);
});
/** Marks a form field invalid with why, and shows it; it lasts until the field is edited. */
function complain(field, why) {
  field.setCustomValidity(why);
  field.setAttribute('aria-invalid', 'true');
  field.reportValidity();
}
function clearComplaint(field) {
  field.setCustomValidity('');
  field.removeAttribute('aria-invalid');
}
$('start').addEventListener('change', () => {
  clearComplaint($('start'));
  $('last-n').hidden = $('start').value !== 'last';
  $('time').hidden = $('start').value !== 'time';
  // A hidden field's complaint would block the form without showing why.
  if ($('last-n').hidden) clearComplaint($('last-n'));
  if ($('time').hidden) clearComplaint($('time'));
});
// A field's complaint lasts until it is edited: while set, the browser refuses every submit.
for (const field of [$('rooms'), $('time'), $('last-n')]) field.addEventListener('input', () => clearComplaint(field));
$('source').addEventListener('submit', (e) => {
  e.preventDefault();
  const names = $('rooms').value.split(/[\s,]+/).filter(Boolean).map(normaliseRoom);
  if (!names.length || names.includes(null)) {
    complain($('rooms'), ROOM_RULE);
    return;
  }
  const kind = $('start').value;
  if (kind === 'time') {
    if (!Number.isFinite(parseTime($('time').value))) {
      complain($('time'), TIME_RULE);
      return;
    }
    start = { kind, text: $('time').value.trim() };
  } else if (kind === 'last') {
    const n = Number($('last-n').value || 1000);
    if (!Number.isInteger(n) || n < 1 || n > 10000) {
      complain($('last-n'), LAST_RULE);
      return;
    }
    start = { kind, n };
  } else if (kind === 'at' && target) {
    // The permalink again (of the first room; its epoch only while that is the permalink's room).
    const room = [...new Set(names)][0];
    target = { room, offset: target.offset, epoch: room === target.room ? target.epoch : null };
    start = { kind };
  } else start = { kind: kind === 'at' ? 'last' : kind, n: 1000 };
  if (start.kind !== 'at') target = null;
  rooms = [...new Set(names)];
  open();
});
pauseButton.addEventListener('click', () => {
  paused = !paused;
  if (!paused) {
    const records = pending;
    pending = [];
    const lost = pendingDropped;
    pendingDropped = 0;
    const appended = addRecords(records);
    store.dropped += lost; // what the pause could not keep counts as dropped from this page
    if (!following) unseen += appended;
    scheduleRender();
  }
  syncPause();
});
newLinesButton.addEventListener('click', () => {
  following = true;
  unseen = 0;
  scheduleRender();
});
list.addEventListener('scroll', () => {
  if (ownScroll) {
    // Revealing a permalink near the end of what is loaded must not switch to follow mode.
    ownScroll = false;
    scheduleRender();
    return;
  }
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < ROW;
  if (atBottom !== following) {
    following = atBottom;
    if (following) unseen = 0;
  }
  scheduleRender();
}, { passive: true });
list.addEventListener('keydown', (e) => {
  const i = selected ? store.view.indexOf(selected) : -1;
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    const next = Math.max(0, Math.min(store.view.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)));
    following = false;
    select(store.view[next]);
    if (next * ROW < list.scrollTop || (next + 1) * ROW > list.scrollTop + list.clientHeight) list.scrollTop = next * ROW - list.clientHeight / 2;
  } else if (e.key === 'End') {
    following = true;
    unseen = 0;
    scheduleRender();
  }
});
$('close-detail').addEventListener('click', () => { $('detail').hidden = true; selected = null; scheduleRender(); list.focus(); });
$('copy-link').addEventListener('click', () => navigator.clipboard?.writeText($('permalink').href).catch(() => {}));
$('download').addEventListener('click', () => {
  const text = downloadText(store.view);
  const a = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/plain' })), download: `${rooms.join('+').replace(/[^A-Za-z0-9.+_-]/g, '_')}.log` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
});
window.addEventListener('resize', scheduleRender);

async function loadDirectory() {
  try {
    const res = await fetch('/rooms?namespace=logs');
    if (!res.ok) return;
    const body = await res.json();
    $('room-list').replaceChildren(...(body.rooms || []).map((r) => r.room).filter((r) => typeof r === 'string' && ROOM_NAME.test(r))
      .map((r) => h('option', { value: r })));
  } catch {
    // no directory: typing a room name always works
  }
}

readUrl();
$('q').value = query; // only here: the field keeps what the reader types, valid or not
syncControls();
applyFilter();
open();
loadDirectory();
