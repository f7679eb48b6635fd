// The logs app (/logs): follow one or more log rooms live, filter, pause, jump in time, share a
// line. See docs/apps.md. The list is virtualised (fixed 20 px rows; only the visible rows exist in
// the DOM) and the page keeps at most MAX_RECORDS records. Everything is rendered as text.
import { h, connectHere, connectionIndicator, isoTime, ROOM_NAME } from './common.js';
import { LogStore, LEVELS, MAX_RECORDS, toRecord, makeFilter, parseLevels, formatLevels, parseTime } from './logstore.js';

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

function readUrl() {
  const p = new URLSearchParams(location.search);
  rooms = [...new Set(p.getAll('room').flatMap((r) => r.split(/[\s,]+/)).map(normaliseRoom).filter(Boolean))];
  if (!rooms.length) rooms = ['logs:roomcast'];
  query = p.get('q') || '';
  levels = parseLevels(p.get('level'));
  target = null;
  if (p.has('at') && /^\d+$/.test(p.get('at'))) {
    target = { room: rooms[0], offset: Number(p.get('at')), epoch: p.get('epoch') };
    start = { kind: 'at' };
  } else if (p.has('time') && Number.isFinite(parseTime(p.get('time')))) {
    start = { kind: 'time', text: p.get('time') };
  } else if (p.get('from') === 'earliest' || p.get('from') === 'live') {
    start = { kind: p.get('from') };
  } else {
    const n = Number(p.get('last'));
    start = { kind: 'last', n: Number.isInteger(n) && n >= 1 && n <= 10000 ? n : 1000 };
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
  row.t.textContent = clock(r.time);
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

function clock(ms) {
  const d = new Date(ms);
  if (!Number.isFinite(d.getTime())) return '';
  const pad = (v, n = 2) => String(v).padStart(n, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
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
  const fields = [['time', isoTime(r.time)], ['received', isoTime(r.ts)], ['level', r.level || '—'], ['host', r.host], ['file', r.file],
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
  const kind = start.kind === 'at' ? 'last' : start.kind;
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
$('start').addEventListener('change', () => {
  $('last-n').hidden = $('start').value !== 'last';
  $('time').hidden = $('start').value !== 'time';
});
// A field's complaint lasts until it is edited: while set, the browser refuses every submit.
for (const field of [$('rooms'), $('time')]) field.addEventListener('input', () => field.setCustomValidity(''));
$('source').addEventListener('submit', (e) => {
  e.preventDefault();
  const names = $('rooms').value.split(/[\s,]+/).filter(Boolean).map(normaliseRoom);
  if (!names.length || names.includes(null)) {
    $('rooms').setCustomValidity('room names: 1–200 characters of A–Z a–z 0–9 . _ : @ / -');
    $('rooms').reportValidity();
    return;
  }
  const kind = $('start').value;
  if (kind === 'time') {
    if (!Number.isFinite(parseTime($('time').value))) {
      $('time').setCustomValidity('a duration such as 15m, 2h, 1d, or a date-time');
      $('time').reportValidity();
      return;
    }
    start = { kind, text: $('time').value.trim() };
  } else if (kind === 'last') {
    start = { kind, n: Math.min(10000, Math.max(1, Number($('last-n').value) || 1000)) };
  } else start = { kind };
  rooms = [...new Set(names)];
  target = null;
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
  const text = store.view.map((r) => `${isoTime(r.time)} ${r.room} ${r.offset} ${r.line}`).join('\n') + '\n';
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
