import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect, closeAction } from '../../roomcast.js';
import { startFakeEdge, waitUntil, trackingClock, recordStates } from '../support/fake-edge.mjs';

const FAST = { minMs: 5, initialMs: 10, maxMs: 40, factor: 2, resetAfterMs: 60000, random: () => 1 };

test('passes connecting then open, and sends the token in an auth frame, never in the URL', async (t) => {
  const edge = await startFakeEdge();
  t.after(() => edge.close());
  const rc = connect(edge.url, { WebSocket, token: 'tok en' });
  const states = recordStates(rc);
  await waitUntil(() => rc.state === 'open', 'open');
  assert.deepEqual(states.map((s) => s[0]), ['connecting', 'open']);
  assert.equal(edge.last.path, '/ws');
  assert.deepEqual(edge.last.received[0], { op: 'auth', id: edge.last.received[0].id, token: 'tok en' });
  rc.close();
  assert.deepEqual(states.map((s) => s[0]), ['connecting', 'open', 'closed']);
  // close() is not an error: the closed info carries error: null, as clients.md says
  assert.deepEqual(states.at(-1)[1], { code: 1000, reason: 'client closed', error: null });
});

test('a token the edge refuses at connect closes the client for good, with close code 4401 as for the edge\'s close', async (t) => {
  const edge = await startFakeEdge();
  t.after(() => edge.close());
  edge.onFrame = (conn, f) => f.op === 'auth'
    && (conn.send({ op: 'error', id: f.id, code: 'unauthorized', message: 'token refused: bad_signature' }), true);
  const rc = connect(edge.url, { WebSocket, token: 'forged', backoff: FAST });
  const states = recordStates(rc);
  const gone = [];
  rc.subscribe('chat:a', { onError: (e) => gone.push(e) }, () => {});
  await waitUntil(() => rc.state === 'closed', 'closed');
  assert.equal(states.at(-1)[1].code, 4401);
  assert.equal(states.at(-1)[1].error.code, 'unauthorized');
  assert.equal(states.at(-1)[1].error.closeCode, 4401);
  assert.deepEqual(gone.map((e) => [e.code, e.closeCode]), [['unauthorized', 4401]]);
});

test('a token provider is asked again on every connection', async (t) => {
  const edge = await startFakeEdge();
  t.after(() => edge.close());
  let n = 0;
  const rc = connect(edge.url, { WebSocket, token: async () => `t${++n}`, backoff: FAST });
  await waitUntil(() => rc.state === 'open', 'open');
  edge.last.kill();
  await waitUntil(() => edge.connections.length === 2 && rc.state === 'open', 'second connection');
  assert.deepEqual(edge.connections.map((c) => c.framesWith('auth')[0].token), ['t1', 't2']);
  assert.deepEqual(edge.connections.map((c) => c.path), ['/ws', '/ws']);
  rc.close();
});

test('reconnects with a growing, capped backoff while the edge refuses connections', async (t) => {
  const edge = await startFakeEdge({ acceptConnections: false });
  t.after(() => edge.close());
  const rc = connect(edge.url, { WebSocket, backoff: FAST });
  const states = recordStates(rc);
  await waitUntil(() => states.filter((s) => s[0] === 'reconnecting').length >= 5, 'five retries');
  rc.close();
  const retries = states.filter((s) => s[0] === 'reconnecting').slice(0, 5);
  assert.deepEqual(retries.map((s) => s[1].delayMs), [10, 20, 40, 40, 40]);
  assert.deepEqual(retries.map((s) => s[1].attempt), [1, 2, 3, 4, 5]);
  assert.equal(retries[0][1].code, 1006);
  assert.ok(edge.refused >= 5);
});

test('the backoff resets after a stable connection', async (t) => {
  const edge = await startFakeEdge({ acceptConnections: false });
  t.after(() => edge.close());
  const rc = connect(edge.url, { WebSocket, backoff: { ...FAST, resetAfterMs: 30 } });
  const states = recordStates(rc);
  await waitUntil(() => states.filter((s) => s[0] === 'reconnecting').length >= 3, 'three retries');
  edge.acceptConnections = true;
  await waitUntil(() => rc.state === 'open', 'open');
  const before = states.length;
  await waitUntil(() => rc._attempt === 0, 'the connection to count as stable (resetAfterMs = 30)');
  edge.last.kill();
  await waitUntil(() => states.slice(before).some((s) => s[0] === 'reconnecting'), 'reconnecting after the stable connection');
  const after = states.slice(before).find((s) => s[0] === 'reconnecting');
  assert.equal(after[1].delayMs, 10);
  assert.equal(after[1].attempt, 1);
  rc.close();
});

test('a connection that drops before it is stable does not reset the backoff', async (t) => {
  const edge = await startFakeEdge();
  t.after(() => edge.close());
  const rc = connect(edge.url, { WebSocket, backoff: FAST });
  const states = recordStates(rc);
  for (let i = 1; i <= 3; i++) {
    await waitUntil(() => rc.state === 'open' && edge.connections.length === i, `connection ${i}`);
    edge.last.kill();
    await waitUntil(() => states.filter((s) => s[0] === 'reconnecting').length === i, `retry ${i}`);
  }
  assert.deepEqual(states.filter((s) => s[0] === 'reconnecting').map((s) => s[1].delayMs), [10, 20, 40]);
  rc.close();
});

for (const [code, expectedError] of [[4401, 'unauthorized'], [4403, 'closed'], [1000, 'closed'], [1008, 'forbidden'], [1009, 'too_large'], [1002, 'protocol']]) {
  test(`close code ${code} from the edge is final: closed, no reconnect, queued publishes fail`, async (t) => {
    const edge = await startFakeEdge();
    t.after(() => edge.close());
    const clock = trackingClock();
    const rc = connect(edge.url, { WebSocket, backoff: FAST, clock });
    const states = recordStates(rc);
    const gone = [];
    rc.subscribe('chat:a', { onError: (e) => gone.push(e) }, () => {});
    await waitUntil(() => rc.state === 'open', 'open');
    edge.last.close(code, 'bye');
    await waitUntil(() => rc.state === 'closed', 'closed');
    assert.equal(states.at(-1)[1].code, code);
    assert.equal(states.at(-1)[1].error.code, expectedError);
    assert.equal(states.some((s) => s[0] === 'reconnecting'), false);
    assert.equal(clock.live.size, 0, 'no timer left behind');
    assert.equal(gone.length, 1);
    assert.equal(gone[0].code, expectedError);
    await assert.rejects(rc.publish('chat:a', 1), { code: 'closed' });
    assert.equal(edge.connections.length, 1);
  });
}

for (const code of [1001, 1011, 4000, 4001, 4029]) {
  test(`close code ${code} from the edge reconnects`, async (t) => {
    const edge = await startFakeEdge();
    t.after(() => edge.close());
    const rc = connect(edge.url, { WebSocket, backoff: FAST });
    const states = recordStates(rc);
    await waitUntil(() => rc.state === 'open', 'open');
    edge.last.close(code, 'again');
    await waitUntil(() => edge.connections.length === 2 && rc.state === 'open', 'reopened');
    assert.deepEqual(states.map((s) => s[0]), ['connecting', 'open', 'reconnecting', 'open']);
    assert.equal(states[2][1].code, code);
    rc.close();
  });
}

test('close() stops reconnecting and leaves no timer and no listener behind', async (t) => {
  const edge = await startFakeEdge({ acceptConnections: false });
  t.after(() => edge.close());
  const clock = trackingClock();
  const rc = connect(edge.url, { WebSocket, backoff: { ...FAST, minMs: 1000, initialMs: 1000 }, pingIntervalMs: 10, clock });
  const states = recordStates(rc);
  await waitUntil(() => rc.state === 'reconnecting', 'reconnecting');
  assert.ok(clock.live.size > 0, 'a reconnect timer is pending');
  const pending = rc.publish('chat:a', 'x');
  rc.close();
  assert.equal(rc.state, 'closed');
  assert.equal(clock.live.size, 0);
  await assert.rejects(pending, { code: 'closed' });
  assert.equal(rc._listeners.size, 0);
  rc.close(); // idempotent
  assert.equal(states.filter((s) => s[0] === 'closed').length, 1);
});

test('close() on an open connection closes the socket with 1000 and clears the heartbeat', async (t) => {
  const edge = await startFakeEdge();
  t.after(() => edge.close());
  const clock = trackingClock();
  const rc = connect(edge.url, { WebSocket, pingIntervalMs: 20, clock });
  rc.subscribe('chat:a', () => {});
  await waitUntil(() => edge.last && edge.last.framesWith('ping').length >= 2, 'pings');
  const ws = rc._ws;
  rc.close();
  assert.equal(clock.live.size, 0);
  assert.equal(ws.onmessage, null);
  assert.equal(ws.onclose, null);
  await waitUntil(() => edge.last.closed, 'server saw the close');
  assert.throws(() => rc.subscribe('chat:b', () => {}), { code: 'closed' });
});

test('close() before the first connection attempt never opens a socket', async (t) => {
  const edge = await startFakeEdge();
  t.after(() => edge.close());
  const rc = connect(edge.url, { WebSocket });
  const states = recordStates(rc);
  rc.close();
  await new Promise((r) => setImmediate(r)); // the deferred first attempt has had its turn
  assert.equal(rc._ws, null);
  assert.equal(edge.connections.length, 0);
  assert.deepEqual(states.map((s) => s[0]), ['closed']);
});

test('a connection attempt that hangs is given up after connectTimeoutMs', async (t) => {
  const net = await import('node:net');
  const server = net.createServer(() => {}); // accepts TCP, never answers the HTTP upgrade
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const sockets = [];
  server.on('connection', (s) => sockets.push(s));
  t.after(() => { sockets.forEach((s) => s.destroy()); server.close(); });
  const rc = connect(`ws://127.0.0.1:${server.address().port}/ws`, { WebSocket, connectTimeoutMs: 30, backoff: FAST });
  const states = recordStates(rc);
  await waitUntil(() => states.some((s) => s[0] === 'reconnecting'), 'reconnecting');
  assert.equal(states.find((s) => s[0] === 'reconnecting')[1].reason, 'connect timeout');
  rc.close();
});

test('without a WebSocket constructor on Node 20 connect() says what to pass', () => {
  if (globalThis.WebSocket) return; // Node 22+ has one
  assert.throws(() => connect('ws://127.0.0.1:1/ws'), /WebSocket/);
});

test('close() from inside a state listener leaves no timer behind', async (t) => {
  const edge = await startFakeEdge({ acceptConnections: false });
  t.after(() => edge.close());
  const clock = trackingClock();
  const rc = connect(edge.url, { WebSocket, backoff: FAST, clock });
  const states = recordStates(rc);
  rc.on('state', (s) => s === 'reconnecting' && rc.close());
  await waitUntil(() => rc.state === 'closed', 'closed');
  assert.deepEqual(states.map((s) => s[0]), ['connecting', 'reconnecting', 'closed']);
  assert.equal(clock.live.size, 0);
});

test('a failing token provider is reported and retried with backoff', async (t) => {
  const edge = await startFakeEdge();
  t.after(() => edge.close());
  let calls = 0;
  const rc = connect(edge.url, {
    WebSocket,
    backoff: FAST,
    token: () => {
      if (++calls === 1) throw new Error('auth server down');
      return 'fresh';
    },
  });
  const errors = [];
  rc.on('error', (e) => errors.push(e.code));
  await waitUntil(() => rc.state === 'open', 'open');
  assert.deepEqual(errors, ['token_provider']);
  assert.equal(edge.last.framesWith('auth')[0].token, 'fresh');
  rc.close();
});

/** `ws` as a browser's WebSocket: close() throws for codes other than 1000 and 3000-4999 (WHATWG). */
class BrowserLikeWebSocket extends WebSocket {
  static codes = [];

  close(code, reason) {
    if (code !== undefined && code !== 1000 && (code < 3000 || code > 4999)) {
      throw new Error(`InvalidAccessError: close code ${code} is not 1000 or 3000-4999`);
    }
    BrowserLikeWebSocket.codes.push(code);
    super.close(code, reason);
  }
}

test('a retryable refusal of the auth frame closes the refused socket (with a code a browser accepts) before the next', async (t) => {
  const edge = await startFakeEdge();
  t.after(() => edge.close());
  let refusals = 0;
  edge.onFrame = (conn, f) => {
    if (f.op !== 'auth' || refusals > 0) return false;
    refusals++;
    conn.send({ op: 'error', id: f.id, code: 'unavailable', message: 'keys not loaded yet' });
    return true;
  };
  const rc = connect(edge.url, { WebSocket: BrowserLikeWebSocket, token: 'tok', backoff: FAST });
  t.after(() => rc.close());
  const states = recordStates(rc);
  await waitUntil(() => rc.state === 'open' && edge.connections.length === 2, 'open on a second connection');
  await waitUntil(() => edge.connections[0].closed, 'the refused socket closed');
  const lost = states.find((s) => s[0] === 'reconnecting')[1];
  assert.equal(closeAction(lost.code), 'reconnect');
  assert.match(lost.reason, /unavailable/);
  rc.close();
  assert.ok(BrowserLikeWebSocket.codes.length >= 2);
});
