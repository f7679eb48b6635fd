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
  const key = frames[1].publisherKey;
  assert.match(key, /^[A-Za-z0-9_-]{22}$/, 'a publish with an eventId carries the client\'s publisherKey');
  assert.deepEqual(frames, [
    { op: 'publish', room: 'chat:a', data: { text: 'hi' } },
    { op: 'publish', room: 'chat:a', data: 'two', type: 'note', eventId: 'c1-2', publisherKey: key },
    { op: 'publish', room: 'chat:a', data: null },
  ]);
});

test('outcome_unknown resends a publish with an eventId as a retry; without one it fails', async (t) => {
  const { edge, rc } = await setup(t);
  let answered = 0;
  edge.onFrame = (conn, f) => {
    if (f.op !== 'publish') return false;
    answered++;
    if (!f.retry) {
      conn.send({ op: 'error', id: f.id, room: f.room, code: 'outcome_unknown', message: 'Kafka did not acknowledge the write' });
    } else {
      conn.send({ op: 'ack', id: f.id, room: f.room, offset: 7, duplicate: true });
    }
    return true;
  };
  assert.equal(await rc.publish('chat:a', 1, { eventId: 'c1-9' }), 7);
  const sent = edge.last.framesWith('publish');
  assert.equal(sent.length, 2);
  assert.equal(sent[1].retry, true);
  assert.equal(sent[1].eventId, 'c1-9');
  assert.equal(sent[1].publisherKey, sent[0].publisherKey);
  await assert.rejects(rc.publish('chat:a', 2), { code: 'outcome_unknown', maybeWritten: true });
  assert.equal(answered, 3);
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

test('a queue that waited for the connection is sent at publishesPerSecond, in call order', async (t) => {
  const { edge, rc } = await setup(t, { acceptConnections: false }, { publishesPerSecond: 3 });
  await waitUntil(() => rc.state === 'reconnecting', 'reconnecting');
  const results = [];
  for (let i = 0; i < 7; i++) results.push(rc.publish('chat:a', i));
  const opened = Date.now();
  const sentAt = [];
  edge.onFrame = (conn, f) => {
    if (f.op === 'publish') sentAt.push(Date.now() - opened);
    return false;
  };
  edge.acceptConnections = true;
  assert.deepEqual(await Promise.all(results), [100, 101, 102, 103, 104, 105, 106]);
  assert.deepEqual(edge.last.framesWith('publish').map((f) => f.data), [0, 1, 2, 3, 4, 5, 6]);
  // 3 in any 1.05 s: the 4th a window after the 1st, the 7th a window after the 4th
  assert.ok(sentAt[3] - sentAt[0] >= 1000, `4th after ${sentAt[3] - sentAt[0]} ms`);
  assert.ok(sentAt[6] - sentAt[3] >= 1000, `7th after ${sentAt[6] - sentAt[3]} ms`);
});

test('publishesPerSecond: 0 to 10000, 0 without pacing', () => {
  for (const bad of [-1, 10001, 1.5, '5']) {
    assert.throws(() => connect('ws://127.0.0.1:1/ws', { WebSocket, publishesPerSecond: bad }), RangeError);
  }
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
  await assert.rejects(plain, (e) => e.code === 'connection_lost' && e.maybeWritten === true && /may or may not/.test(e.message));
  assert.equal(await idempotent, 100);
  assert.deepEqual(edge.connections[1].framesWith('publish').map((f) => [f.data, f.eventId, f.retry]), [['keyed', 'c1-7', true]]);
  assert.equal(edge.connections[0].framesWith('publish').some((f) => 'retry' in f), false, 'a first attempt is no retry');
});

test('a publish above maxFrameBytes fails too_large at once and the connection stays', async (t) => {
  const { edge, rc } = await setup(t, {}, { maxFrameBytes: 2048 });
  await assert.rejects(rc.publish('chat:a', 'x'.repeat(3000)), (e) => e.code === 'too_large' && /above maxFrameBytes 2048/.test(e.message));
  // Multi-byte text counts in UTF-8 bytes; a publish with an eventId keeps room for the retry mark of a resend.
  await assert.rejects(rc.publish('chat:a', '\u00e9'.repeat(1000)), { code: 'too_large' });
  const fits = 'y'.repeat(1900);
  assert.equal(await rc.publish('chat:a', fits), 100);
  const near = 2048 - 13 - JSON.stringify({ op: 'publish', id: Number.MAX_SAFE_INTEGER, room: 'chat:a', data: '', eventId: 'e-1', publisherKey: 'k'.repeat(22) }).length;
  await assert.rejects(rc.publish('chat:a', 'z'.repeat(near + 1), { eventId: 'e-1' }), { code: 'too_large', eventId: 'e-1' });
  assert.equal(await rc.publish('chat:a', 'z'.repeat(near), { eventId: 'e-1' }), 101);
  assert.equal(edge.connections.length, 1, 'never closed');
  assert.deepEqual(edge.last.framesWith('publish').map((f) => f.data.length), [1900, near]);
});

test('when the edge closes for good, every pending publish gets its error and close code, with or without an eventId', async (t) => {
  const { edge, rc } = await setup(t, { autoAck: false });
  const plain = rc.publish('chat:a', 'plain');
  const keyed = rc.publish('chat:a', 'keyed', { eventId: 'c1-8' });
  await waitUntil(() => edge.last && edge.last.framesWith('publish').length === 2, 'both sent');
  edge.last.close(1008, 'policy');
  for (const [p, eventId] of [[plain, undefined], [keyed, 'c1-8']]) {
    await assert.rejects(p, (e) => e.code === 'forbidden' && e.closeCode === 1008 && e.maybeWritten === true && e.eventId === eventId);
  }
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

test('retry:true is sent with the eventId, so a resend after timeout or outcome_unknown is looked up, not written twice', async (t) => {
  const { edge, rc } = await setup(t);
  assert.equal(await rc.publish('chat:a', 'again', { eventId: 'c1-3', retry: true }), 100);
  const [frame] = edge.last.framesWith('publish');
  assert.equal(frame.retry, true);
  assert.equal(frame.eventId, 'c1-3');
  assert.equal(typeof frame.publisherKey, 'string');
  assert.equal(await rc.publish('chat:a', 'first', { eventId: 'c1-4', retry: false }), 101);
  assert.equal('retry' in edge.last.framesWith('publish')[1], false);
  // the edge refuses both: without an eventId there is nothing to look up, and a signal has none
  await assert.rejects(rc.publish('chat:a', 1, { retry: true }), { code: 'bad_request' });
  await assert.rejects(rc.publish('chat:a', 1, { retry: true, ephemeral: true }), { code: 'bad_request' });
  await assert.rejects(rc.publish('chat:a', 1, { eventId: 'c1-5', retry: 'yes' }), { code: 'bad_request' });
  assert.equal(edge.last.framesWith('publish').length, 2);
});

test('a sent publish requeued by a lost connection that then times out says it may have been written, with its eventId', async (t) => {
  const { edge, rc } = await setup(t, { autoAck: false }, { publishTimeoutMs: 300 });
  const keyed = rc.publish('chat:a', 'keyed', { eventId: 'c1-8' });
  await waitUntil(() => edge.last && edge.last.framesWith('publish').length === 1, 'sent');
  edge.acceptConnections = false; // it waits for a connection again, requeued as a retry
  edge.last.kill();
  await assert.rejects(keyed, (e) => e.code === 'timeout' && e.eventId === 'c1-8' && e.maybeWritten === true
    && /may or may not have been written/.test(e.message) && !/not sent/.test(e.message));
  edge.acceptConnections = true;
  edge.autoAck = true;
  // what the application does next: the same eventId, marked retry
  assert.equal(await rc.publish('chat:a', 'keyed', { eventId: 'c1-8', retry: true }), 100);
  assert.deepEqual(edge.last.framesWith('publish').map((f) => [f.eventId, f.retry]), [['c1-8', true]]);
});

test('close() with publishes pending rejects each closed with its eventId, and says which may have been written', async (t) => {
  const { edge, rc } = await setup(t, { autoAck: false });
  const sent = rc.publish('chat:a', 'sent', { eventId: 'c1-20' });
  await waitUntil(() => edge.last && edge.last.framesWith('publish').length === 1, 'sent');
  edge.acceptConnections = false;
  edge.last.kill();
  await waitUntil(() => rc.state === 'reconnecting', 'reconnecting');
  const waiting = rc.publish('chat:a', 'never sent', { eventId: 'c1-21' });
  rc.close();
  await assert.rejects(sent, (e) => e.code === 'closed' && e.eventId === 'c1-20' && e.maybeWritten === true && e.room === 'chat:a');
  await assert.rejects(waiting, (e) => e.code === 'closed' && e.eventId === 'c1-21' && e.maybeWritten === false);
});

test('a timeout tells apart a publish never sent from one that may have been written', async (t) => {
  const { edge, rc } = await setup(t, { acceptConnections: false }, { publishTimeoutMs: 30 });
  await assert.rejects(rc.publish('chat:a', 1, { eventId: 'c1-1' }),
    (e) => e.code === 'timeout' && e.maybeWritten === false && e.eventId === 'c1-1' && /not sent/.test(e.message));
  // a retry that never left the queue: its earlier attempt may still have been written
  await assert.rejects(rc.publish('chat:a', 1, { eventId: 'c1-1', retry: true }),
    (e) => e.code === 'timeout' && e.maybeWritten === true && /may or may not have been written/.test(e.message));
  edge.acceptConnections = true;
  edge.autoAck = false;
  await waitUntil(() => rc.state === 'open', 'open');
  await assert.rejects(rc.publish('chat:a', 2), (e) => e.code === 'timeout' && e.maybeWritten === true && e.eventId === undefined);
});

test('a retry answered outcome_unknown is not resent at once (the edge answers so when it cannot look the event up): it rejects with the eventId', async (t) => {
  const { edge, rc } = await setup(t, {}, { publishTimeoutMs: 500 });
  edge.onFrame = (conn, f) => {
    if (f.op !== 'publish') return false;
    conn.send({ op: 'error', id: f.id, room: f.room, code: 'outcome_unknown', message: f.retry ? 'too many records to look the event up' : 'Kafka did not acknowledge the write' });
    return true;
  };
  await assert.rejects(rc.publish('chat:a', 1, { eventId: 'c1-6' }), (e) => e.code === 'outcome_unknown' && e.eventId === 'c1-6' && /look the event up/.test(e.message));
  assert.deepEqual(edge.last.framesWith('publish').map((f) => f.retry === true), [false, true], 'one resend as a retry, then the answer');
  await assert.rejects(rc.publish('chat:a', 2, { eventId: 'c1-7', retry: true }), { code: 'outcome_unknown', eventId: 'c1-7' });
  assert.equal(edge.last.framesWith('publish').length, 3);
});
