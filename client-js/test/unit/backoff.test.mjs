import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, shouldReconnect, endpointUrl, DEFAULTS } from '../../roomcast.js';

test('first retry waits between 0.5 s and 1 s', () => {
  assert.equal(backoffDelay(0, DEFAULTS.backoff, () => 0), 500);
  assert.equal(backoffDelay(0, DEFAULTS.backoff, () => 1), 1000);
  assert.equal(backoffDelay(0, DEFAULTS.backoff, () => 0.5), 750);
});

test('ceiling doubles per attempt and is capped at 30 s', () => {
  const ceilings = [0, 1, 2, 3, 4, 5, 6, 10, 50].map((a) => backoffDelay(a, DEFAULTS.backoff, () => 1));
  assert.deepEqual(ceilings, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
});

test('full jitter never goes below the floor, so there is no tight loop', () => {
  for (let attempt = 0; attempt < 40; attempt++) {
    assert.equal(backoffDelay(attempt, DEFAULTS.backoff, () => 0), 500);
    const d = backoffDelay(attempt, DEFAULTS.backoff, Math.random);
    assert.ok(d >= 500 && d <= 30000, `attempt ${attempt}: ${d}`);
  }
});

test('backoff settings are honoured', () => {
  const b = { minMs: 10, initialMs: 20, maxMs: 100, factor: 3 };
  assert.deepEqual([0, 1, 2, 3].map((a) => backoffDelay(a, b, () => 1)), [20, 60, 100, 100]);
  assert.equal(backoffDelay(0, { minMs: 50, initialMs: 20 }, () => 0), 20, 'floor never exceeds the ceiling');
});

test('close codes: 4000-4399 and transport failures reconnect, 1000 and 4400-4999 do not', () => {
  for (const code of [1001, 1005, 1006, 1011, 1012, 1013, 4000, 4001, 4029, 4399]) assert.equal(shouldReconnect(code), true, String(code));
  for (const code of [1000, 1003, 1007, 1008, 1009, 4400, 4401, 4403, 4999]) assert.equal(shouldReconnect(code), false, String(code));
});

test('endpoint URL accepts an http base or a ws URL', () => {
  assert.equal(endpointUrl('http://127.0.0.1:8080').toString(), 'ws://127.0.0.1:8080/ws');
  assert.equal(endpointUrl('https://edge.example/').toString(), 'wss://edge.example/ws');
  assert.equal(endpointUrl('ws://h:1/custom/ws').toString(), 'ws://h:1/custom/ws');
  // a path is a reverse proxy's way to the edge's /ws: used as it is, as the Java client does
  assert.equal(endpointUrl('https://example.com/rc').toString(), 'wss://example.com/rc');
  assert.throws(() => endpointUrl('ftp://h/'), { code: 'bad_request' });
  assert.throws(() => endpointUrl('not a url'));
});
