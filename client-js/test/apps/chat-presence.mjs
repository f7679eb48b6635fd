#!/usr/bin/env node
// Browser test of "who is here" in the chat app (/chat) against a running edge (no model needed).
// Two people open one room: each sees both names; one types and the other sees "… is typing"
// (an ephemeral signal); one renames and the other sees the new name; closing one page makes it
// leave the other's list.
// Env: ROOMCAST_URL, ROOMCAST_ROOM (chat:NAME), SCREENSHOTS.
// Last stdout line: {"ok":true,"seen":[...]} or {"ok":false,"error":...}.
import assert from 'node:assert/strict';
import { env, newPage, run, screenshot, step } from './browser.mjs';

const room = process.env.ROOMCAST_ROOM || `chat:here-${Date.now()}`;
const link = `${env.url}/chat?room=${encodeURIComponent(room)}`;

async function open(page, name) {
  await page.goto(link);
  await page.waitForSelector('#conn[data-state="open"]', { timeout: 30000 });
  await page.waitForSelector('#conversation[data-live="true"]', { timeout: 30000 });
  await page.fill('#name', name);
  await page.dispatchEvent('#name', 'change');
}

/** Types on `typist` until `watcher` shows `line` under the conversation; false after `attempts` tries of 2.5 s. */
async function typesUntilSeen(typist, watcher, line, attempts) {
  for (let i = 0; i < attempts; i++) {
    await typist.type('#text', 'hi ');
    const seen = await watcher.waitForFunction((l) => document.getElementById('typing').textContent === l, line, { timeout: 2500, polling: 50 })
      .then(() => true, () => false);
    if (seen) return true;
  }
  return false;
}

const here = (page) => page.$$eval('#members li', (els) => els.map((el) => el.dataset.name).sort());

const wire = new Map(); // page -> room frames it received and sent, for a failure's message

function record(page) {
  const frames = [];
  wire.set(page, frames);
  page.on('websocket', (ws) => {
    const keep = (dir) => (f) => {
      const text = typeof f.payload === 'string' ? f.payload : '';
      if (/"op":"(subscribe|unsubscribe|subscribed|unsubscribed|live|join|leave|presence)"/.test(text)) frames.push(dir + text.slice(0, 300));
    };
    ws.on('framesent', keep('> '));
    ws.on('framereceived', keep('< '));
  });
}

async function waitHere(page, names) {
  const want = [...names].sort();
  try {
    await page.waitForFunction((w) => {
      const got = [...document.querySelectorAll('#members li')].map((el) => el.dataset.name).sort();
      return JSON.stringify(got) === JSON.stringify(w);
    }, want, { timeout: 30000, polling: 50 });
  } catch (e) {
    const members = await page.evaluate(() => JSON.stringify(window.__chat.members()));
    process.stderr.write(`frames of the page:\n${(wire.get(page) || []).join('\n')}\n`);
    throw new Error(`wanted ${JSON.stringify(want)} here, the page shows ${JSON.stringify(await here(page))}, its subscription's members ${members}: ${e.message}`);
  }
}

await run(async (browser) => {
  const alice = await newPage(browser, 'alice');
  const bob = await newPage(browser, 'bob');
  record(alice);
  record(bob);
  step(`both open ${link}`);
  await open(alice, 'alice');
  await open(bob, 'bob');

  step('each sees both');
  await waitHere(alice, ['alice', 'bob']);
  await waitHere(bob, ['alice', 'bob']);
  assert.equal(await alice.$eval('#members li.me', (el) => el.dataset.name), 'alice', 'your own chip is marked');
  await screenshot(alice, 'chat-here.png');

  step('alice types; bob sees it (an ephemeral signal, never stored)');
  // the first signals may race the edge's signal tail reaching the topic's end: keep typing until one arrives
  assert.ok(await typesUntilSeen(alice, bob, 'alice is typing…', 12), 'bob saw alice typing');
  assert.equal(await alice.$eval('#typing', (el) => el.textContent), '', 'her own signal is not shown to alice');
  await alice.fill('#text', '');

  step('bob takes the name alice and types: alice sees it (a page hides only its own signals, not a name)');
  await bob.fill('#name', 'alice');
  await bob.dispatchEvent('#name', 'change');
  assert.ok(await typesUntilSeen(bob, alice, 'alice is typing…', 6), 'alice saw her namesake typing');
  await bob.fill('#text', '');

  step('bob renames; alice sees the new name, once');
  await bob.fill('#name', 'robert');
  await bob.dispatchEvent('#name', 'change');
  await waitHere(alice, ['alice', 'robert']);
  await waitHere(bob, ['alice', 'robert']);

  step('bob closes his page; he leaves alice\'s list');
  await bob.context().close();
  await waitHere(alice, ['alice']);
  const count = await alice.$eval('#members', (el) => Number(el.dataset.count));
  assert.equal(count, 1);
  return { room, seen: await here(alice) };
});
