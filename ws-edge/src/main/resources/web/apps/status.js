// The status app (/status): the fleet as it reports itself into the system rooms sys:edges
// (edge.status events of every edge) and sys:producers (producer.status events of model
// producers). See docs/apps.md. Everything is rendered as text; sparklines are SVG built from numbers.
import { h, rawEvent, connectHere, connectionIndicator } from './common.js';

const WINDOW_MS = 10 * 60 * 1000; // history shown in the sparklines
const GONE_AFTER_INTERVALS = 3;
const FORGET_AFTER_MS = 10 * 60 * 1000; // a card without a report for this long is removed
const MAX_CARDS = 100; // per kind; above it the cards heard from longest ago go first
const MAX_UNKNOWN = 50;
const SVG = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);

// key -> {kind, key, samples: [{ts, data, room, heardAt}], view}. `ts` is the Kafka timestamp (the
// reporter's clock); whether a node is gone is judged on the browser's clock alone (heard), so a
// browser whose clock is off does not see the whole fleet as gone.
const nodes = new Map();
// room -> {live, newestTs}: the history read on load is dated relative to its newest report
const rooms = new Map();
const refusals = new Map(); // room -> its subscription's error, shown above its cards until it goes live
const client = connectHere();
const subs = [];
window.__status = { nodes, client };

connectionIndicator($('conn'), client, () => {
  const p = subs[0] && subs[0].position();
  return p ? `sys:edges @ ${p.offset}` : 'sys:edges';
});

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const fmt = (v, digits = 1) => {
  if (v === null || v === undefined) return '—';
  if (Math.abs(v) >= 1e6) return (v / 1e6).toFixed(digits) + 'M';
  if (Math.abs(v) >= 1e4) return (v / 1e3).toFixed(digits) + 'k';
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
};
const bytes = (v) => (v === null ? '—' : v >= 1048576 ? (v / 1048576).toFixed(1) + ' MiB' : v >= 1024 ? (v / 1024).toFixed(1) + ' KiB' : Math.round(v) + ' B');
function duration(ms) {
  if (ms === null) return '—';
  const s = Math.floor(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min`;
  if (s < 172800) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d`;
}

// Figures per kind: label, how to read it from a report, how to show it, whether to chart it.
const EDGE_FIGURES = [
  ['connections', (d) => num(d.connections), fmt, true],
  ['subscriptions', (d) => num(d.subscriptions), fmt, true],
  ['events in /s', (d) => num(d.eventsInPerSec), fmt, true],
  ['events out /s', (d) => num(d.eventsOutPerSec), fmt, true],
  ['bytes out /s', (d) => num(d.bytesOutPerSec), bytes, true],
  ['lag max (offsets)', (d) => num(d.lagMaxOffsets), fmt, true],
  ['lag p99 (offsets)', (d) => num(d.lagP99Offsets), fmt, false],
  ['lag p99 (s)', (d) => num(d.lagP99Seconds), (v) => fmt(v, 3), true],
  ['history queue', (d) => num(d.historyQueue), fmt, true],
  ['publish errors', (d) => num(d.publishErrors), fmt, false],
  ['uptime', (d) => num(d.uptimeMs), duration, false],
];
const PRODUCER_FIGURES = [
  ['running', (d) => num(d.running), fmt, true],
  ['tokens /s', (d) => num(d.tokensPerSec), fmt, true],
  ['first token mean (s)', (d) => num(d.firstTokenMeanSeconds), (v) => fmt(v, 3), true],
  ['first token max (s)', (d) => num(d.firstTokenMaxSeconds), (v) => fmt(v, 3), false],
  ['failed generations', (d) => num(d.failedGenerations), fmt, false],
  ['uptime', (d) => num(d.uptimeMs), duration, false],
];

function sparkline(values) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', '0 0 100 20');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(SVG, 'polyline');
  svg.append(line);
  return { svg, update: (vs) => {
    const points = vs.filter((v) => v !== null);
    if (points.length < 2) {
      line.setAttribute('points', '');
      return;
    }
    const max = Math.max(...points);
    const min = Math.min(0, ...points);
    const span = max - min || 1;
    line.setAttribute('points', points.map((v, i) => `${(i / (points.length - 1)) * 100},${19 - ((v - min) / span) * 18}`).join(' '));
  } };
}

function view(kind, key) {
  const figures = kind === 'edge' ? EDGE_FIGURES : PRODUCER_FIGURES;
  const title = h('h3', { text: key });
  const state = h('span', { class: 'state' });
  const sub = h('div', { class: 'sub' });
  const grid = h('div', { class: 'figures' });
  const cells = figures.map(([label, , , chart]) => {
    const value = h('span', { class: 'v' });
    const spark = chart ? sparkline() : null;
    grid.append(h('span', { class: 'k', text: label }), value, spark ? spark.svg : h('span'));
    return { value, spark };
  });
  const el = h('article', { class: 'node', 'aria-label': `${kind} ${key}`, data: { key, kind } }, h('header', {}, title, state), sub, grid);
  const container = kind === 'edge' ? $('edges') : $('producers');
  container.querySelector('.empty')?.remove();
  container.append(el);
  return { el, state, sub, cells, figures };
}

function onEvent(ev) {
  const d = ev.data;
  const kind = ev.type === 'edge.status' ? 'edge' : ev.type === 'producer.status' ? 'producer' : null;
  const key = d && typeof d === 'object' ? (kind === 'edge' ? d.edge : d.producer) : null;
  if (!kind || typeof key !== 'string' || !key) {
    const list = $('unknown');
    list.append(rawEvent(ev));
    while (list.children.length > MAX_UNKNOWN) list.firstChild.remove();
    $('unknown-section').hidden = false;
    return;
  }
  const id = `${kind}:${key}`;
  let node = nodes.get(id);
  const created = !node;
  if (created) {
    node = { kind, key, samples: [], view: view(kind, key) };
    nodes.set(id, node);
  }
  const r = roomOf(ev.room);
  if (typeof ev.ts === 'number' && ev.ts > r.newestTs) r.newestTs = ev.ts;
  // Live: heard now. Read from history before the room went live: dated on its first `live` (heard).
  node.samples.push({ ts: ev.ts, data: d, room: ev.room, heardAt: r.live ? Date.now() : null });
  const since = Date.now() - WINDOW_MS;
  while (node.samples.length > 1 && heard(node.samples[0]) < since) node.samples.shift();
  if (created) bound(kind);
  if (nodes.get(id) === node) render(node);
}

function roomOf(room) {
  let r = rooms.get(room);
  if (!r) rooms.set(room, (r = { live: false, newestTs: -Infinity }));
  return r;
}

/**
 * When the browser heard a report, on its own clock. A report read from history (before its room's
 * first `live`) is dated by its age relative to the newest report of the room (Kafka timestamps
 * compared only with each other), counted back from the moment the history ended.
 */
function heard(sample) {
  if (sample.heardAt !== null) return sample.heardAt;
  const r = roomOf(sample.room);
  const age = typeof sample.ts === 'number' && Number.isFinite(r.newestTs) ? Math.max(0, r.newestTs - sample.ts) : 0;
  return Date.now() - age;
}

/** The room's history has been read: its reports get their dates on the browser's clock for good. */
function historyRead(room) {
  const r = roomOf(room);
  if (r.live) return;
  for (const node of nodes.values()) for (const s of node.samples) if (s.room === room && s.heardAt === null) s.heardAt = heard(s);
  r.live = true;
}

function forget(id, node) {
  node.view.el.remove();
  nodes.delete(id);
}

/** At most MAX_CARDS cards of a kind: the ones heard from longest ago go first. */
function bound(kind) {
  const ofKind = [...nodes].filter(([, n]) => n.kind === kind);
  if (ofKind.length <= MAX_CARDS) return;
  const lastHeard = (n) => (n.samples.length ? heard(n.samples[n.samples.length - 1]) : -Infinity);
  ofKind.sort((a, b) => lastHeard(a[1]) - lastHeard(b[1]));
  for (const [id, node] of ofKind.slice(0, ofKind.length - MAX_CARDS)) forget(id, node);
}

function render(node) {
  const last = node.samples[node.samples.length - 1];
  if (!last) return;
  const d = last.data;
  const interval = num(d.intervalMs) || 5000;
  const silent = Date.now() - heard(last); // browser clock on both sides
  const gone = silent > GONE_AFTER_INTERVALS * interval;
  const state = gone ? 'gone' : d.draining ? 'draining' : d.kafkaReachable === false ? 'kafka unreachable' : 'up';
  const v = node.view;
  v.el.dataset.state = state.replace(' ', '-');
  v.state.textContent = gone ? `gone · last report ${duration(silent)} ago` : state;
  v.sub.textContent = [d.version ? `version ${d.version}` : null, typeof d.url === 'string' ? d.url : null,
    typeof d.backend === 'string' ? `backend ${d.backend}` : null, typeof d.breaker === 'string' ? `breaker ${d.breaker}` : null]
    .filter(Boolean).join(' · ');
  v.figures.forEach(([, read, show], i) => {
    const cell = v.cells[i];
    const value = read(d);
    cell.value.textContent = show(value);
    if (cell.spark) cell.spark.update(node.samples.map((s) => read(s.data)));
  });
}

function tick() {
  let up = 0;
  for (const [id, node] of nodes) {
    const last = node.samples[node.samples.length - 1];
    if (!last || Date.now() - heard(last) > FORGET_AFTER_MS) {
      forget(id, node);
      continue;
    }
    render(node);
    if (node.kind === 'edge' && node.view.el.dataset.state === 'up') up++;
  }
  const edges = [...nodes.values()].filter((n) => n.kind === 'edge').length;
  $('edge-count').textContent = `${up} up of ${edges}`;
  emptyHint('edge', 'edges', 'sys:edges', 'No edge has reported in the last 10 minutes.');
  emptyHint('producer', 'producers', 'sys:producers', 'No model producer has reported in the last 10 minutes.');
}

/** A section whose cards are all gone says so again (unless its room was refused, which says why). */
function emptyHint(kind, section, room, text) {
  if ([...nodes.values()].some((n) => n.kind === kind) || refusals.has(room) || $(section).querySelector('.empty')) return;
  $(section).replaceChildren(h('p', { class: 'hint empty', text }));
}

/** Shows (or, with null, removes) a room's subscription error above its cards. */
function showRefusal(room, text) {
  const container = room === 'sys:edges' ? $('edges') : $('producers');
  refusals.get(room)?.remove();
  refusals.delete(room);
  if (text === null) return;
  container.querySelector('.empty')?.remove();
  const el = h('p', { class: 'hint error', role: 'alert', text });
  container.prepend(el);
  refusals.set(room, el);
}

for (const room of ['sys:edges', 'sys:producers']) {
  subs.push(client.subscribe(room, {
    from: { time: Date.now() - WINDOW_MS },
    onGap: () => {},
    onLive: () => {
      historyRead(room);
      showRefusal(room, null);
    },
    onError: (e) => showRefusal(room, `${room}: ${e.code} ${e.message}`),
  }, onEvent));
}
setInterval(tick, 1000);
tick();
