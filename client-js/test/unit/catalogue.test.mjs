// The client's constants against protocol/catalogue.json: the same state names, error codes (and
// whether they are retryable), close-code actions and gap reasons as the edge and the Java client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { State, ErrorCodes, GapReason, CloseCodes, closeAction, closeError, Subscription } from '../../roomcast.js';

const catalogue = JSON.parse(readFileSync(new URL('../../../protocol/catalogue.json', import.meta.url), 'utf8'));

test('connection states are the catalogue\'s', () => {
  assert.deepEqual(Object.values(State), catalogue.connectionStates);
});

test('error codes and their retryability are the catalogue\'s, edge and client codes apart', () => {
  const expected = {};
  for (const [code, v] of Object.entries(catalogue.errorCodes)) expected[code] = { retryable: v.retryable, origin: 'edge' };
  for (const [code, v] of Object.entries(catalogue.clientErrorCodes)) expected[code] = { retryable: v.retryable, origin: 'client' };
  assert.deepEqual({ ...ErrorCodes }, expected);
});

test('close codes: the catalogue\'s action for every listed code, its ranges and its default', () => {
  const listed = Object.fromEntries(Object.entries(catalogue.closeCodes).map(([c, v]) => [c, v.action]));
  assert.deepEqual({ ...CloseCodes }, listed);
  for (const c of Object.keys(listed)) assert.equal(closeAction(Number(c)), listed[c], `close code ${c}`);
  for (const r of catalogue.closeCodeRanges) {
    for (const c of [r.from, r.to, Math.floor((r.from + r.to) / 2)]) {
      if (!(c in listed)) assert.equal(closeAction(c), r.action, `close code ${c}`);
    }
  }
  assert.equal(closeAction(1006), catalogue.closeCodeDefault.action);
  assert.equal(closeAction(1012), catalogue.closeCodeDefault.action);
});

test('a close that ends the client reports the catalogue\'s error code, as the Java client does', () => {
  for (const [c, v] of Object.entries(catalogue.closeCodes)) {
    if (v.action !== 'reconnect') assert.equal(closeError(Number(c)), v.error, `close code ${c}`);
  }
  const range = catalogue.closeCodeRanges.find((r) => r.action === 'stop');
  for (const c of [range.from, range.to]) assert.equal(closeError(c), range.error, `close code ${c}`);
});

test('gap reasons are the catalogue\'s', () => {
  assert.deepEqual(Object.values(GapReason).sort(), Object.keys(catalogue.gapReasons).sort());
});

test('subscription states are the catalogue\'s', () => {
  const sub = new Subscription({}, 'chat:a', {}, () => {});
  assert.ok(catalogue.subscriptionStates.includes(sub.state));
  const source = readFileSync(new URL('../../roomcast.js', import.meta.url), 'utf8');
  const used = new Set([...source.matchAll(/\.state = '([a-z]+)'/g)].map((m) => m[1]));
  assert.deepEqual([...used].sort(), [...catalogue.subscriptionStates].sort());
});
