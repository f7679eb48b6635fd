import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect } from '../../roomcast.js';
import { startFakeEdge, waitUntil, recordStates, manualClock } from '../support/fake-edge.mjs';

const FAST = { minMs: 5, initialMs: 10, maxMs: 40, resetAfterMs: 60000, random: () => 1 };

test('pings every pingIntervalMs while the edge answers, and keeps the connection', async (t) => {
  const edge = await startFakeEdge();
  const rc = connect(edge.url, { WebSocket, pingIntervalMs: 10, pongTimeoutMs: 5000, backoff: FAST });
  t.after(async () => { rc.close(); await edge.close(); });
  await waitUntil(() => edge.last && edge.last.framesWith('ping').length >= 3, 'three pings');
  assert.equal(edge.connections.length, 1);
  assert.equal(rc.state, 'open');
  const ids = edge.last.framesWith('ping').map((f) => f.id);
  assert.equal(new Set(ids).size, ids.length, 'ping ids are unique');
});

test('no pong within pongTimeoutMs: the connection is dead, closed and replaced', async (t) => {
  const edge = await startFakeEdge({ autoPong: false });
  const rc = connect(edge.url, { WebSocket, pingIntervalMs: 10, pongTimeoutMs: 20, backoff: FAST });
  t.after(async () => { rc.close(); await edge.close(); });
  const states = recordStates(rc);
  const sub = rc.subscribe('chat:a', { from: 'earliest' }, () => {});
  await waitUntil(() => sub.state === 'active', 'active');
  edge.last.send({ op: 'live', room: 'chat:a', offset: 4 });
  await waitUntil(() => edge.connections.length === 2 && rc.state === 'open', 'a new connection');
  const lost = states.find((s) => s[0] === 'reconnecting')[1];
  assert.equal(lost.code, 4001);
  assert.equal(lost.reason, 'pong timeout');
  await waitUntil(() => edge.connections[0].closed, 'the dead connection closed');
  await waitUntil(() => edge.last.framesWith('subscribe').length === 1, 'resubscribed');
  assert.deepEqual(edge.last.framesWith('subscribe')[0].from, { after: 4, epoch: 'E' });
});

test('any inbound frame counts as alive, so a pong queued behind a long replay does not kill the connection', async (t) => {
  const edge = await startFakeEdge({ autoPong: false });
  const clock = manualClock();
  const rc = connect(edge.url, { WebSocket, pingIntervalMs: 1000, pongTimeoutMs: 500, backoff: FAST, clock });
  t.after(async () => { rc.close(); await edge.close(); });
  const states = recordStates(rc);
  const seen = [];
  rc.subscribe('chat:a', (e) => seen.push(e.offset));
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length === 1, 'subscribed');
  clock.advance(1000);
  await waitUntil(() => edge.last.framesWith('ping').length === 1, 'first ping');
  edge.last.send({ op: 'event', room: 'chat:a', offset: 1, type: 'message', ts: 0, data: 1 });
  await waitUntil(() => seen.length === 1, 'an event instead of a pong');
  clock.advance(999);
  assert.equal(rc.state, 'open', 'the event proved the connection alive');
  clock.advance(1);
  await waitUntil(() => edge.last.framesWith('ping').length === 2, 'second ping');
  clock.advance(499);
  assert.equal(rc.state, 'open');
  clock.advance(1);
  assert.equal(rc.state, 'reconnecting', 'nothing at all within pongTimeoutMs: dead');
  assert.equal(states.at(-1)[1].code, 4001);
});
