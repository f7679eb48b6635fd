import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect } from '../../roomcast.js';
import { startFakeEdge, waitUntil } from '../support/fake-edge.mjs';

const FAST = { minMs: 5, initialMs: 10, maxMs: 40, resetAfterMs: 60000, random: () => 1 };
const ev = (room, offset, extra = {}) => ({ op: 'event', room, offset, type: 'message', ts: 1764000000000 + offset, data: { n: offset }, ...extra });

async function setup(t, edgeOptions = {}, clientOptions = {}) {
  const edge = await startFakeEdge(edgeOptions);
  const rc = connect(edge.url, { WebSocket, backoff: FAST, ...clientOptions });
  t.after(async () => {
    rc.close();
    await edge.close();
  });
  return { edge, rc };
}

test('delivers events in offset order, drops duplicates and older offsets', async (t) => {
  const { edge, rc } = await setup(t);
  const seen = [];
  rc.subscribe('chat:a', { from: 'earliest' }, (e) => seen.push(e));
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length === 1, 'subscribe');
  const sub = edge.last.framesWith('subscribe')[0];
  assert.deepEqual(sub, { op: 'subscribe', id: sub.id, room: 'chat:a', from: 'earliest' });
  for (const o of [5, 7, 7, 6, 8]) edge.last.send(ev('chat:a', o, o === 8 ? { eventId: 'p-1' } : {}));
  edge.last.send(ev('chat:other', 9));
  await waitUntil(() => seen.length === 3, 'three events');
  assert.deepEqual(seen.map((e) => e.offset), [5, 7, 8]);
  assert.deepEqual(seen[0], { room: 'chat:a', offset: 5, type: 'message', ts: 1764000000005, data: { n: 5 }, epoch: 'E' });
  assert.equal(seen[2].eventId, 'p-1');
});

test('a subscription without from sends none (live only)', async (t) => {
  const { edge, rc } = await setup(t);
  rc.subscribe('chat:a', () => {});
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length === 1, 'subscribe');
  assert.equal('from' in edge.last.framesWith('subscribe')[0], false);
});

test('every subscription resumes after its last offset and epoch on reconnect', async (t) => {
  const { edge, rc } = await setup(t);
  // The first connection answers nothing for chat:c and chat:d, so they never get a position.
  edge.onFrame = (conn, f) => conn.index === 0 && f.op === 'subscribe' && (f.room === 'chat:c' || f.room === 'chat:d');
  const seen = { a: [], b: [] };
  const a = rc.subscribe('chat:a', { from: 'earliest' }, (e) => seen.a.push(e.offset));
  const b = rc.subscribe('chat:b', { from: { last: 10 } }, (e) => seen.b.push(e.offset));
  rc.subscribe('chat:c', { from: 'earliest' }, () => {});
  const d = rc.subscribe('chat:d', { from: { after: 41, epoch: 'X' } }, () => {});
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length === 4, 'four subscribes');
  const c0 = edge.last;
  c0.send([ev('chat:a', 5), ev('chat:a', 7), { op: 'live', room: 'chat:a', offset: 9 }]);
  c0.send([{ op: 'live', room: 'chat:b', offset: 3 }, ev('chat:b', 12)]);
  await waitUntil(() => seen.a.length === 2 && seen.b.length === 1 && a.position().offset === 9, 'events and live');
  assert.deepEqual(a.position(), { offset: 9, epoch: 'E' });
  assert.deepEqual(b.position(), { offset: 12, epoch: 'E' });
  assert.deepEqual(d.position(), { offset: 41, epoch: 'X' });
  c0.kill();
  await waitUntil(() => edge.connections.length === 2 && edge.last.framesWith('subscribe').length === 4, 'resubscribed');
  const from = Object.fromEntries(edge.last.framesWith('subscribe').map((f) => [f.room, f.from]));
  assert.deepEqual(from, {
    'chat:a': { after: 9, epoch: 'E' },
    'chat:b': { after: 12, epoch: 'E' },
    'chat:c': 'earliest',
    'chat:d': { after: 41, epoch: 'X' },
  });
  // A replay that overlaps what was already seen is deduplicated across the reconnect.
  edge.last.send([ev('chat:a', 7), ev('chat:a', 9), ev('chat:a', 10)]);
  await waitUntil(() => seen.a.length === 3, 'event 10');
  assert.deepEqual(seen.a, [5, 7, 10]);
});

test('recovered:false reaches onGap and the gap event, and the position restarts at resumeAt', async (t) => {
  const { edge, rc } = await setup(t);
  const seen = [];
  const gaps = [];
  const clientGaps = [];
  rc.on('gap', (g) => clientGaps.push(g));
  const sub = rc.subscribe('chat:a', { from: 'earliest', onGap: (g) => gaps.push(g) }, (e) => seen.push([e.offset, e.epoch]));
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length === 1, 'subscribe');
  edge.last.send([ev('chat:a', 5), ev('chat:a', 9)]);
  await waitUntil(() => seen.length === 2, 'two events');
  edge.onFrame = (conn, f) => {
    if (f.op !== 'subscribe') return false;
    conn.send({ op: 'subscribed', id: f.id, room: f.room, epoch: 'E2', recovered: false, gap: { reason: 'epoch', after: 9, resumeAt: 3 } });
    return true;
  };
  edge.last.kill();
  await waitUntil(() => gaps.length === 1, 'gap');
  assert.deepEqual(edge.last.framesWith('subscribe')[0].from, { after: 9, epoch: 'E' });
  const expected = { room: 'chat:a', reason: 'epoch', after: 9, resumeAt: 3, epoch: 'E2', previousEpoch: 'E', count: -1, first: -1, last: -1 };
  assert.deepEqual(gaps[0], expected);
  assert.deepEqual(clientGaps, [expected]);
  assert.deepEqual(sub.position(), { offset: 2, epoch: 'E2' });
  // Offsets of the new epoch are lower than the old ones and must still be delivered.
  edge.last.send([ev('chat:a', 3), ev('chat:a', 4), ev('chat:a', 4)]);
  await waitUntil(() => seen.length === 4, 'events of the new epoch');
  assert.deepEqual(seen, [[5, 'E'], [9, 'E'], [3, 'E2'], [4, 'E2']]);
  assert.deepEqual(sub.position(), { offset: 4, epoch: 'E2' });
});

test('a gap nobody listens to is still reported (console.warn), never silent', async (t) => {
  const { edge, rc } = await setup(t);
  const warn = t.mock.method(console, 'warn', () => {});
  edge.onFrame = (conn, f) => {
    if (f.op !== 'subscribe') return false;
    conn.send({ op: 'subscribed', id: f.id, room: f.room, epoch: 'E', recovered: false, gap: { reason: 'retention', after: 1, resumeAt: 50 } });
    return true;
  };
  rc.subscribe('chat:a', { from: { after: 1, epoch: 'E' } }, () => {});
  await waitUntil(() => warn.mock.callCount() === 1, 'warning');
  assert.match(warn.mock.calls[0].arguments[0], /chat:a has a gap \(retention\)/);
});

test('unsubscribe stops delivery, and events of a given-up subscription never reach its successor', async (t) => {
  const { edge, rc } = await setup(t);
  edge.onFrame = (conn, f) => f.op === 'unsubscribe'; // the test answers unsubscribes itself
  const first = [];
  const second = [];
  const s1 = rc.subscribe('chat:a', (e) => first.push(e.offset));
  await waitUntil(() => s1.state === 'active', 'active');
  edge.last.send(ev('chat:a', 1));
  await waitUntil(() => first.length === 1, 'first event');
  s1.unsubscribe();
  assert.equal(s1.state, 'closed');
  const s2 = rc.subscribe('chat:a', (e) => second.push(e.offset));
  await waitUntil(() => edge.last.framesWith('subscribe').length === 2, 'second subscribe');
  const unsub = edge.last.framesWith('unsubscribe')[0];
  assert.equal(unsub.room, 'chat:a');
  edge.last.send([ev('chat:a', 2), { op: 'unsubscribed', id: unsub.id, room: 'chat:a' }, ev('chat:a', 3)]);
  await waitUntil(() => second.length === 1, 'event for the new subscription');
  assert.deepEqual(first, [1]);
  assert.deepEqual(second, [3]);
  assert.equal(s2.state, 'active');
  s1.unsubscribe(); // idempotent
});

test('subscribing twice to one room on one client is refused locally', async (t) => {
  const { rc } = await setup(t);
  rc.subscribe('chat:a', () => {});
  assert.throws(() => rc.subscribe('chat:a', () => {}), { code: 'bad_request' });
  assert.throws(() => rc.subscribe('', () => {}), { name: 'RoomcastError', code: 'bad_request' });
  assert.throws(() => rc.subscribe('chat:b', {}), TypeError);
});

test('a refused subscription fails once, reaches onError, and is not retried', async (t) => {
  const { edge, rc } = await setup(t);
  edge.onFrame = (conn, f) => {
    if (f.op !== 'subscribe' || f.room !== 'chat:secret') return false;
    conn.send({ op: 'error', id: f.id, room: f.room, code: 'forbidden', message: 'no' });
    return true;
  };
  const errors = [];
  const sub = rc.subscribe('chat:secret', { onError: (e) => errors.push(e) }, () => {});
  rc.subscribe('chat:ok', () => {});
  await waitUntil(() => errors.length === 1, 'error');
  assert.equal(errors[0].code, 'forbidden');
  assert.equal(errors[0].retrying, false);
  assert.equal(sub.state, 'failed');
  edge.last.kill();
  await waitUntil(() => edge.connections.length === 2 && edge.last.framesWith('subscribe').length === 1, 'resubscribed');
  assert.deepEqual(edge.last.framesWith('subscribe').map((f) => f.room), ['chat:ok']);
  rc.subscribe('chat:secret', () => {}); // the room is free again
});

test('a subscription refused as unavailable is retried with backoff', async (t) => {
  const { edge, rc } = await setup(t);
  let refusals = 2;
  edge.onFrame = (conn, f) => {
    if (f.op !== 'subscribe' || refusals === 0) return false;
    refusals--;
    conn.send({ op: 'error', id: f.id, room: f.room, code: 'unavailable', message: 'kafka away' });
    return true;
  };
  const errors = [];
  const sub = rc.subscribe('chat:a', { onError: (e) => errors.push(e) }, () => {});
  await waitUntil(() => sub.state === 'active', 'active after retries');
  assert.deepEqual(errors.map((e) => [e.code, e.retrying]), [['unavailable', true], ['unavailable', true]]);
  assert.equal(edge.last.framesWith('subscribe').length, 3);
});

test('subscriptions made while disconnected are sent once the connection opens', async (t) => {
  const { edge, rc } = await setup(t, { acceptConnections: false });
  await waitUntil(() => rc.state === 'reconnecting', 'reconnecting');
  const sub = rc.subscribe('chat:a', { from: 'earliest' }, () => {});
  assert.equal(sub.state, 'pending');
  assert.equal(sub.position(), null);
  edge.acceptConnections = true;
  await waitUntil(() => sub.state === 'active', 'active');
  assert.equal(edge.last.framesWith('subscribe')[0].from, 'earliest');
});

test('a throwing onEvent is reported and does not stop delivery or the position', async (t) => {
  const { edge, rc } = await setup(t);
  const errors = [];
  rc.on('error', (e) => errors.push(e));
  const seen = [];
  const sub = rc.subscribe('chat:a', (e) => {
    seen.push(e.offset);
    if (e.offset === 1) throw new Error('app bug');
  });
  await waitUntil(() => sub.state === 'active', 'active');
  edge.last.send([ev('chat:a', 1), ev('chat:a', 2)]);
  await waitUntil(() => seen.length === 2, 'both events');
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 'listener');
  assert.equal(sub.position().offset, 2);
});

test('an active subscription the edge ends with unavailable resumes on the same connection and reports the gap', async (t) => {
  const { edge, rc } = await setup(t);
  const seen = [];
  const gaps = [];
  rc.subscribe('chat:a', { from: 'earliest', onGap: (g) => gaps.push(g) }, (e) => seen.push([e.offset, e.epoch]));
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length === 1, 'subscribe');
  edge.last.send([ev('chat:a', 5), ev('chat:a', 9)]);
  await waitUntil(() => seen.length === 2, 'two events');
  edge.onFrame = (conn, f) => {
    if (f.op !== 'subscribe') return false;
    conn.send({ op: 'subscribed', id: f.id, room: f.room, epoch: 'E2', recovered: false, gap: { reason: 'epoch', after: 9, resumeAt: 0 } });
    return true;
  };
  // what an edge sends when the room's topic was re-created under a live subscription
  edge.last.send({ op: 'error', room: 'chat:a', code: 'unavailable', message: "the room's log was re-created" });
  await waitUntil(() => gaps.length === 1, 'gap');
  assert.equal(edge.connections.length, 1, 'same connection');
  assert.deepEqual(edge.last.framesWith('subscribe')[1].from, { after: 9, epoch: 'E' });
  edge.last.send(ev('chat:a', 0));
  await waitUntil(() => seen.length === 3, 'event of the new epoch');
  assert.deepEqual(seen[2], [0, 'E2']);
});

test('positions() lists every subscription that has a position', async (t) => {
  const { edge, rc } = await setup(t);
  rc.subscribe('chat:a', { from: 'earliest' }, () => {});
  rc.subscribe('chat:b', () => {});
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length === 2, 'subscribes');
  edge.last.send([ev('chat:a', 5), { op: 'live', room: 'chat:a', offset: 6 }]);
  await waitUntil(() => rc.positions()['chat:a'] && rc.positions()['chat:a'].offset === 6, 'position');
  assert.deepEqual(rc.positions(), { 'chat:a': { offset: 6, epoch: 'E' } });
});
