import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect } from '../../roomcast.js';
import { startFakeEdge, waitUntil, trackingClock } from '../support/fake-edge.mjs';

const FAST = { minMs: 5, initialMs: 10, maxMs: 40, resetAfterMs: 60000, random: () => 1 };

async function setup(t, edgeOptions = {}, clientOptions = {}) {
  const edge = await startFakeEdge(edgeOptions);
  const rc = connect(edge.url, { WebSocket, backoff: FAST, ...clientOptions });
  t.after(async () => {
    rc.close();
    await edge.close();
  });
  return { edge, rc };
}

test('publish resolves with the acked offset and sends type, data and eventId', async (t) => {
  const { edge, rc } = await setup(t);
  assert.equal(await rc.publish('chat:a', { text: 'hi' }), 100);
  assert.equal(await rc.publish('chat:a', 'two', { type: 'note', eventId: 'c1-2' }), 101);
  assert.equal(await rc.publish('chat:a', undefined), 102);
  const frames = edge.last.framesWith('publish').map(({ id, ...rest }) => rest);
  assert.deepEqual(frames, [
    { op: 'publish', room: 'chat:a', data: { text: 'hi' } },
    { op: 'publish', room: 'chat:a', data: 'two', type: 'note', eventId: 'c1-2' },
    { op: 'publish', room: 'chat:a', data: null },
  ]);
});

test('an error frame rejects the publish with the protocol error code', async (t) => {
  const { edge, rc } = await setup(t);
  edge.onFrame = (conn, f) => {
    if (f.op !== 'publish') return false;
    conn.send({ op: 'error', id: f.id, room: f.room, code: 'forbidden', message: 'publish to chat:a is not allowed' });
    return true;
  };
  await assert.rejects(rc.publish('chat:a', 1), (e) => e.code === 'forbidden' && e.room === 'chat:a' && /not allowed/.test(e.message));
  await assert.rejects(rc.publish('', 1), { code: 'bad_request' });
  const circular = {};
  circular.self = circular;
  await assert.rejects(rc.publish('chat:a', circular), { code: 'bad_request' });
  await assert.rejects(rc.publish('chat:a', 1n), { code: 'bad_request' });
});

test('publishes made while disconnected wait in order and are sent on connect', async (t) => {
  const { edge, rc } = await setup(t, { acceptConnections: false });
  await waitUntil(() => rc.state === 'reconnecting', 'reconnecting');
  const results = [rc.publish('chat:a', 1), rc.publish('chat:a', 2), rc.publish('chat:a', 3)];
  edge.acceptConnections = true;
  assert.deepEqual(await Promise.all(results), [100, 101, 102]);
  assert.deepEqual(edge.last.framesWith('publish').map((f) => f.data), [1, 2, 3]);
});

test('the queue is bounded: a publish beyond publishQueueLimit fails with queue_full', async (t) => {
  const { rc } = await setup(t, { acceptConnections: false }, { publishQueueLimit: 2 });
  const queued = [rc.publish('chat:a', 1), rc.publish('chat:a', 2)];
  await assert.rejects(rc.publish('chat:a', 3), { code: 'queue_full' });
  rc.close();
  for (const p of queued) await assert.rejects(p, { code: 'closed' });
});

test('a queued publish fails with timeout after publishTimeoutMs and is never sent', async (t) => {
  const { edge, rc } = await setup(t, { acceptConnections: false }, { publishTimeoutMs: 30 });
  await assert.rejects(rc.publish('chat:a', 1), (e) => e.code === 'timeout' && /not sent/.test(e.message));
  edge.acceptConnections = true;
  assert.equal(await rc.publish('chat:a', 2), 100);
  assert.deepEqual(edge.last.framesWith('publish').map((f) => f.data), [2]);
});

test('a publish without an ack fails with timeout and a late ack is ignored', async (t) => {
  const { edge, rc } = await setup(t, { autoAck: false }, { publishTimeoutMs: 30 });
  await assert.rejects(rc.publish('chat:a', 1), (e) => e.code === 'timeout' && /may or may not/.test(e.message));
  const id = edge.last.framesWith('publish')[0].id;
  edge.last.send({ op: 'ack', id, room: 'chat:a', offset: 7 });
  edge.autoAck = true;
  assert.equal(await rc.publish('chat:a', 2), 100);
});

test('in flight when the socket dies: rejected as connection_lost without eventId, resent as a retry with eventId', async (t) => {
  const { edge, rc } = await setup(t, { autoAck: false });
  const plain = rc.publish('chat:a', 'plain');
  const idempotent = rc.publish('chat:a', 'keyed', { eventId: 'c1-7' });
  await waitUntil(() => edge.last && edge.last.framesWith('publish').length === 2, 'both sent');
  edge.autoAck = true;
  edge.last.kill();
  await assert.rejects(plain, (e) => e.code === 'connection_lost' && /may or may not/.test(e.message));
  assert.equal(await idempotent, 100);
  assert.deepEqual(edge.connections[1].framesWith('publish').map((f) => [f.data, f.eventId, f.retry]), [['keyed', 'c1-7', true]]);
  assert.equal(edge.connections[0].framesWith('publish').some((f) => 'retry' in f), false, 'a first attempt is no retry');
});

test('close() rejects queued and in-flight publishes with closed and clears their timers', async (t) => {
  const clock = trackingClock();
  const { edge, rc } = await setup(t, { autoAck: false }, { clock });
  const inflight = rc.publish('chat:a', 1);
  await waitUntil(() => edge.last && edge.last.framesWith('publish').length === 1, 'sent');
  rc.close();
  await assert.rejects(inflight, { code: 'closed' });
  await assert.rejects(rc.publish('chat:a', 2), { code: 'closed' });
  assert.equal(clock.live.size, 0);
});
