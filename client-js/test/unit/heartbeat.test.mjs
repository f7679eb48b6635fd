import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect } from '../../roomcast.js';
import { startFakeEdge, waitUntil, recordStates } from '../support/fake-edge.mjs';

const FAST = { minMs: 5, initialMs: 10, maxMs: 40, resetAfterMs: 60000, random: () => 1 };

test('pings every pingIntervalMs while the edge answers, and keeps the connection', async (t) => {
  const edge = await startFakeEdge();
  const rc = connect(edge.url, { WebSocket, pingIntervalMs: 10, pongTimeoutMs: 200, backoff: FAST });
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

test('any inbound frame counts as alive, so a long replay does not trip the pong timeout', async (t) => {
  const edge = await startFakeEdge({ autoPong: false });
  const rc = connect(edge.url, { WebSocket, pingIntervalMs: 10, pongTimeoutMs: 40, backoff: FAST });
  t.after(async () => { rc.close(); await edge.close(); });
  const seen = [];
  rc.subscribe('chat:a', (e) => seen.push(e.offset));
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length === 1, 'subscribed');
  // Events keep flowing faster than the timeout while no pong is ever sent.
  for (let o = 1; o <= 30; o++) {
    edge.last.send({ op: 'event', room: 'chat:a', offset: o, type: 'message', ts: 0, data: o });
    await new Promise((r) => setTimeout(r, 5));
  }
  await waitUntil(() => seen.length === 30, 'all events');
  assert.ok(edge.last.framesWith('ping').length >= 1, 'pings were sent');
  assert.equal(edge.connections.length, 1);
});
