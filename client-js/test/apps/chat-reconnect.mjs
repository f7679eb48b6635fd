#!/usr/bin/env node
// Browser test of the chat app across an edge restart: an answer is streaming when the edge goes
// away. Prints {"step":"streaming"}; the Java side stops the edge. Prints {"step":"reconnecting"}
// once the indicator counts down; the Java side starts the edge again. Then the answer must
// complete with every token exactly once. Last line: {"ok":true,"answer":{...}}.
import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';
import { env, newPage, run, screenshot, step } from './browser.mjs';

const room = process.env.ROOMCAST_ROOM;
const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const say = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

await run(async (browser) => {
  const page = await newPage(browser, 'chat');
  await page.goto(`${env.url}/chat?room=${encodeURIComponent(room)}`);
  await page.waitForSelector('#conversation[data-live="true"]', { timeout: 30000 });
  await page.fill('#text', '@model tell me about resuming');
  await page.press('#text', 'Enter');
  await page.waitForFunction(() => {
    const el = document.querySelector('#conversation article.answer');
    return el && el.dataset.state === 'streaming' && Number(el.dataset.tokens) >= 3;
  }, null, { timeout: 60000 });
  say({ step: 'streaming' });
  await stdin.next(); // the edge is stopped
  await page.waitForSelector('#conn[data-state="reconnecting"]', { timeout: 30000 });
  const label = await page.textContent('#conn .label');
  assert.match(label, /reconnecting/);
  await screenshot(page, 'chat-reconnecting.png');
  say({ step: 'reconnecting', label });
  await stdin.next(); // the edge is back
  step('the answer completes after the reconnect');
  await page.waitForSelector('#conn[data-state="open"]', { timeout: 60000 });
  await page.waitForFunction(() => document.querySelector('#conversation article.answer').dataset.state === 'done', null, { timeout: 90000 });
  const answer = await page.$eval('#conversation article.answer', (el) => ({
    generationId: el.dataset.generationId,
    text: el.querySelector('.answer-text').textContent,
    tokens: Number(el.dataset.tokens),
    duplicates: Number(el.dataset.duplicates),
  }));
  assert.equal(answer.duplicates, 0);
  return { answer };
});
process.stdin.destroy();
