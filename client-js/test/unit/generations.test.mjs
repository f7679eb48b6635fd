// useGeneration's reducer (react.js): bounded to the newest generations, each token touching one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { _internals } from '../../react.js';

const { generationsReducer: reduce, GENERATION_LIMIT } = _internals;
const ev = (type, offset, data) => ({ type: 'event', event: { type, offset, data } });
const gid = (p) => `gen-x:${p}`;

/** A prompt at offset p, its answer started and one token. */
function ask(state, p) {
  state = reduce(state, ev('prompt', p, { text: `q${p}` }));
  state = reduce(state, ev('generation.started', p + 1, { generationId: gid(p), promptOffset: p }));
  return reduce(state, ev('token', p + 2, { generationId: gid(p), seq: 0, text: `a${p}` }));
}

test('keeps the newest 100 generations; a late event of a forgotten one does not bring it back', () => {
  let state = reduce(null, { type: 'reset' });
  for (let i = 0; i < 150; i++) state = ask(state, i * 10);
  assert.equal(GENERATION_LIMIT, 100);
  assert.equal(state.order.length, 100);
  assert.equal(Object.keys(state.byKey).length, 100);
  assert.equal(Object.keys(state.byGen).length, 100);
  assert.equal(state.order[0], 'p500');
  assert.equal(state.byKey.p1490.text, 'a1490');
  // a token of an evicted answer (by generationId, or by promptOffset) changes nothing
  assert.equal(reduce(state, ev('token', 9999, { generationId: gid(10), seq: 1, text: '!' })), state);
  assert.equal(reduce(state, ev('generation.done', 9999, { promptOffset: 10 })), state);
  // a kept one still follows its tokens
  const next = reduce(state, ev('token', 9999, { generationId: gid(1490), seq: 1, text: '+' }));
  assert.equal(next.byKey.p1490.text, 'a1490+');
  assert.equal(next.order, state.order, 'a token does not copy the order');
  assert.equal(next.byGen, state.byGen, 'nor the generationId index');
});

test('a duplicate token leaves the state as it was', () => {
  let state = ask(reduce(null, { type: 'reset' }), 0);
  assert.equal(reduce(state, ev('token', 5, { generationId: gid(0), seq: 0, text: 'again' })), state);
  state = reduce(state, ev('generation.done', 6, { generationId: gid(0) }));
  assert.equal(state.byKey.p0.status, 'done');
  assert.equal(state.byKey.p0.text, 'a0');
});
