// Unit tests of the chat app's answer assembly (ws-edge/src/main/resources/web/apps/answers.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Answers, promptOffsetOf } from '../../../ws-edge/src/main/resources/web/apps/answers.js';

const G = 'roomcast.chat:3:1042';
const tok = (seq, text) => ['token', { generationId: G, seq, text }];

test('tokens are assembled in seq order and a repeated token counts once', () => {
  const a = new Answers();
  a.forPrompt(1042);
  a.apply('generation.started', { generationId: G, promptOffset: 1042, model: 'sim' });
  for (const [type, data] of [tok(0, 'A'), tok(2, ' c'), tok(1, ' b'), tok(1, ' b')]) a.apply(type, data);
  const answer = a.forPrompt(1042);
  assert.equal(answer.text(), 'A b c');
  assert.equal(answer.tokenCount, 3);
  assert.equal(answer.duplicates, 1);
  assert.equal(answer.state, 'streaming');
  assert.equal(answer.model, 'sim');
});

test('restarted clears the earlier attempt and is flagged', () => {
  const a = new Answers();
  a.apply(...tok(0, 'old'));
  a.apply('generation.restarted', { generationId: G, promptOffset: 1042, reason: 'takeover' });
  a.apply(...tok(0, 'new'));
  const answer = a.forPrompt(1042);
  assert.equal(answer.text(), 'new');
  assert.equal(answer.restarted, true);
});

test('the first terminal event wins; tokens after it are ignored', () => {
  const a = new Answers();
  a.apply(...tok(0, 'x'));
  a.apply('generation.cancelled', { generationId: G, tokens: 1 });
  a.apply('generation.error', { generationId: G, code: 'unavailable', message: 'late' });
  a.apply(...tok(1, 'y'));
  const answer = a.forPrompt(1042);
  assert.equal(answer.state, 'cancelled');
  assert.equal(answer.text(), 'x');
});

test('an error keeps its code and message', () => {
  const a = new Answers();
  a.apply('generation.error', { generationId: G, code: 'timeout', message: 'the model stopped sending tokens' });
  assert.deepEqual(a.forPrompt(1042).error, { code: 'timeout', message: 'the model stopped sending tokens' });
});

test('events of unexpected shape are refused (shown raw by the page)', () => {
  const a = new Answers();
  assert.equal(a.apply('token', null), null);
  assert.equal(a.apply('token', 'text'), null);
  assert.equal(a.apply('token', { generationId: 7 }), null);
  assert.equal(a.apply('token', { generationId: G, seq: -1, text: 'x' }), null);
  assert.equal(a.apply('token', { generationId: G, seq: 0, text: { html: '<b>' } }), null);
  assert.equal(a.apply('generation.unknown', { generationId: G }), null);
});

test('the prompt offset comes from the generation id when the event has none', () => {
  assert.equal(promptOffsetOf('roomcast.chat:3:1042'), 1042);
  assert.ok(Number.isNaN(promptOffsetOf('garbage')));
});

test('generation.message is folded into its answer: the text when the tokens are missing, else ignored', () => {
  const message = (status, text) => ['generation.message', { generationId: G, status, text, tokens: 2, replaces: null }];
  const streamed = new Answers();
  streamed.apply(...tok(0, 'A'));
  streamed.apply(...tok(1, ' b'));
  streamed.apply('generation.done', { generationId: G, finishReason: 'stop' });
  assert.equal(streamed.apply(...message('done', 'something else')), streamed.forPrompt(1042));
  assert.equal(streamed.forPrompt(1042).text(), 'A b');

  const tokensGone = new Answers(); // the tokens are no longer retained, or were compacted away
  tokensGone.apply(...message('cancelled', 'A b'));
  const answer = tokensGone.forPrompt(1042);
  assert.equal(answer.text(), 'A b');
  assert.equal(answer.state, 'cancelled');
  assert.equal(tokensGone.apply('generation.message', { generationId: G, status: 'done', text: 7 }), null);
});

test('a forgotten answer is gone from both indexes; a later event of it starts a new one', () => {
  const a = new Answers();
  a.apply(...tok(0, 'x'));
  const old = a.forPrompt(1042);
  a.forget(old);
  assert.equal(a.byPrompt.size, 0);
  assert.equal(a.byGeneration.size, 0);
  const again = a.apply(...tok(1, 'y'));
  assert.notEqual(again, old);
  assert.equal(again.text(), 'y');
});
