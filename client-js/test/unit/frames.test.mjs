import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect } from '../../roomcast.js';
import { startFakeEdge, waitUntil, recordStates, manualClock } from '../support/fake-edge.mjs';

const FAST = { minMs: 5, initialMs: 10, maxMs: 40, resetAfterMs: 60000, random: () => 1 };

async function setup(t, clientOptions = {}) {
  const edge = await startFakeEdge();
  const rc = connect(edge.url, { WebSocket, backoff: FAST, ...clientOptions });
  t.after(async () => { rc.close(); await edge.close(); });
  return { edge, rc };
}

test('a batch (JSON array) is handled frame by frame, in order', async (t) => {
  const { edge, rc } = await setup(t);
  edge.onFrame = (conn, f) => f.op === 'subscribe' || f.op === 'publish';
  const seen = [];
  const live = [];
  const sub = rc.subscribe('chat:a', { from: 'earliest', onLive: (l) => live.push(l.offset) }, (e) => seen.push(e.offset));
  const acked = rc.publish('chat:a', 'x');
  await waitUntil(() => edge.last && edge.last.received.length === 2, 'requests');
  const [s, p] = edge.last.received;
  edge.last.send([
    { op: 'subscribed', id: s.id, room: 'chat:a', epoch: 'E', recovered: true },
    { op: 'event', room: 'chat:a', offset: 1, type: 'message', ts: 1, data: 1 },
    { op: 'event', room: 'chat:a', offset: 2, type: 'message', ts: 2, data: 2 },
    { op: 'live', room: 'chat:a', offset: 2 },
    { op: 'ack', id: p.id, room: 'chat:a', offset: 3 },
    { op: 'event', room: 'chat:a', offset: 3, type: 'message', ts: 3, data: 'x' },
  ]);
  assert.equal(await acked, 3);
  await waitUntil(() => seen.length === 3, 'events');
  assert.deepEqual(seen, [1, 2, 3]);
  assert.deepEqual(live, [2]);
  assert.equal(sub.state, 'active');
});

test('garbage from the edge is reported and ignored; the connection keeps working', async (t) => {
  const { edge, rc } = await setup(t);
  const errors = [];
  rc.on('error', (e) => errors.push(e.code));
  const states = recordStates(rc);
  const seen = [];
  const sub = rc.subscribe('chat:a', (e) => seen.push(e.offset));
  await waitUntil(() => sub.state === 'active', 'active');
  const garbage = [
    'not json', '{"op":', '', 'null', '42', '"event"', '[1,"x",null,[]]', '{"op":42}', '{}',
    '{"op":"no-such-op","room":"chat:a"}',
    '{"op":"event","room":"chat:a"}', // no offset
    '{"op":"event","room":"chat:a","offset":"7"}', // offset not a number
    '{"op":"event","offset":5}', // no room
    '{"op":"live","room":"chat:a","offset":null}',
    '{"op":"ack","id":999,"offset":1}', // nobody asked
    '{"op":"ack"}',
    '{"op":"subscribed","id":"zz","room":"chat:zz"}',
    '{"op":"unsubscribed"}',
    '{"op":"pong"}',
    '{"op":"error"}',
    '{"op":"reconnect","delayMs":"soon"}'.replace('reconnect', 'reconnect-not'),
  ];
  for (const g of garbage) edge.last.send(g);
  edge.last.ws.send(Buffer.from([0, 1, 2]), { binary: true });
  edge.last.send({ op: 'event', room: 'chat:a', offset: 8, type: 'message', ts: 0, data: 'ok' });
  await waitUntil(() => seen.length === 1, 'the good event after the garbage');
  assert.deepEqual(seen, [8]);
  assert.equal(rc.state, 'open');
  assert.deepEqual(states.map((s) => s[0]), ['open']);
  assert.equal(edge.connections.length, 1);
  assert.ok(errors.filter((c) => c === 'protocol').length >= 10, `protocol errors reported: ${errors}`);
  assert.equal(await rc.publish('chat:a', 1), 100, 'still publishes');
});

test('an error frame about nothing in particular reaches the error event', async (t) => {
  const { edge, rc } = await setup(t);
  const errors = [];
  rc.on('error', (e) => errors.push(e));
  await waitUntil(() => rc.state === 'open', 'open');
  edge.last.send({ op: 'error', code: 'bad_request', message: 'frame is not valid JSON' });
  await waitUntil(() => errors.length === 1, 'error');
  assert.equal(errors[0].code, 'bad_request');
  assert.equal(errors[0].message, 'frame is not valid JSON');
});

test('a reconnect frame (drain): publishes wait, the client comes back after delayMs and resumes', async (t) => {
  const clock = manualClock();
  const { edge, rc } = await setup(t, { clock, backoff: { ...FAST, maxMs: 30000 } });
  const states = recordStates(rc);
  const sub = rc.subscribe('chat:a', () => {});
  await waitUntil(() => sub.state === 'active', 'active');
  clock.advance(10000); // a stable connection (resetAfterMs)
  edge.last.send([{ op: 'event', room: 'chat:a', offset: 11, type: 'message', ts: 0, data: 1 }, { op: 'reconnect', reason: 'drain', delayMs: 2350 }]);
  await waitUntil(() => rc._drainAt !== null, 'drain noted');
  const during = rc.publish('chat:a', 'during drain');
  clock.advance(350);
  edge.connections[0].close(1001, 'drain');
  await waitUntil(() => rc.state === 'reconnecting', 'reconnecting');
  assert.equal(edge.connections[0].framesWith('publish').length, 0, 'nothing is sent to a draining edge');
  assert.deepEqual(states.at(-1), ['reconnecting', { code: 1001, reason: 'drain', attempt: 1, delayMs: 2000 }]);
  clock.advance(1999);
  assert.equal(rc.state, 'reconnecting');
  clock.advance(1);
  assert.equal(await during, 100);
  assert.equal(edge.connections.length, 2);
  assert.deepEqual(edge.connections[1].framesWith('subscribe')[0].from, { after: 11, epoch: 'E' });
});

test('a reconnect frame is honoured even when the edge never closes', async (t) => {
  const { edge, rc } = await setup(t);
  await waitUntil(() => rc.state === 'open', 'open');
  edge.last.send({ op: 'reconnect', reason: 'drain', delayMs: 10 });
  await waitUntil(() => edge.connections.length === 2 && rc.state === 'open', 'moved to a new connection');
  await waitUntil(() => edge.connections[0].closed, 'left the old one');
});

test('a reconnect frame asking for more than backoff.maxMs is waited for at most maxMs', async (t) => {
  const clock = manualClock();
  const { edge, rc } = await setup(t, { clock, backoff: { ...FAST, maxMs: 5000 } });
  const states = recordStates(rc);
  await waitUntil(() => rc.state === 'open', 'open'); // a first connection: no failed attempt to back off from
  edge.last.send({ op: 'reconnect', reason: 'drain', delayMs: 3600000 });
  await waitUntil(() => rc._drainAt !== null, 'drain noted');
  edge.connections[0].close(1001, 'drain');
  await waitUntil(() => rc.state === 'reconnecting', 'reconnecting');
  assert.equal(states.at(-1)[1].delayMs, 5000);
  clock.advance(5000);
  await waitUntil(() => edge.connections.length === 2 && rc.state === 'open', 'back after maxMs');
});
