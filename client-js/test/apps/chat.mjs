#!/usr/bin/env node
// Browser test of the chat app (/chat) against a running edge with a model producer.
// Two people in one room: messages reach both; a prompt from one streams to both; Stop from the
// other cancels it for everyone; a second prompt completes; a reload rebuilds the whole
// conversation; markup in messages and events of unknown types are shown as text; each answer's
// generation.message is folded into its bubble (never shown raw). A third page logs in through the
// window.roomcastToken hook (its name comes from the token), keeps the directory's rooms offered
// after switching rooms, and can open a room after the room field refused a name; it keeps only the
// newest 1,000 items. A page whose connection the edge refuses shows the edge's reason. A `dropped`
// gap keeps the conversation (only a lost position clears it).
// Env: ROOMCAST_URL, ROOMCAST_ROOM (chat:NAME), SCREENSHOTS, PHONE=1 (also run one page at 360 px).
// Last stdout line: {"ok":true,"answers":[{generationId,state,text,tokens,duplicates}],...}.
import assert from 'node:assert/strict';
import { env, newPage, run, screenshot, step } from './browser.mjs';

const room = process.env.ROOMCAST_ROOM || `chat:apps-${Date.now()}`;
const link = `${env.url}/chat?room=${encodeURIComponent(room)}`;

async function open(page, name) {
  await page.goto(link);
  await page.waitForSelector('#conn[data-state="open"]', { timeout: 30000 });
  await page.waitForSelector('#conversation[data-live="true"]', { timeout: 30000 });
  await page.fill('#name', name);
  await page.dispatchEvent('#name', 'change');
}

async function say(page, text) {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

const answerSel = '#conversation article.answer';

function answersOf(page) {
  return page.$$eval(answerSel, (els) => els.map((el) => ({
    generationId: el.dataset.generationId || null,
    promptOffset: el.dataset.promptOffset ? Number(el.dataset.promptOffset) : null,
    state: el.dataset.state,
    text: el.querySelector('.answer-text').textContent,
    tokens: Number(el.dataset.tokens),
    duplicates: Number(el.dataset.duplicates),
  })));
}

async function waitAnswer(page, index, predicate, arg, timeout = 60000) {
  await page.waitForFunction(({ sel, index, predicate, arg }) => {
    const el = document.querySelectorAll(sel)[index];
    return el && new Function('el', 'arg', `return (${predicate})(el, arg)`)(el, arg);
  }, { sel: answerSel, index, predicate: predicate.toString(), arg }, { timeout, polling: 50 });
}

/**
 * Waits until `page` has received the room's first `count` generation.message events (the producer
 * writes each one after its answer's terminal event), read by a probe connection of its own.
 */
async function waitAnswerMessages(page, count) {
  const last = await page.evaluate(async ({ room, count }) => {
    const { connect } = await import('/roomcast.js');
    const probe = connect(location.origin);
    const offsets = [];
    await new Promise((resolve) => probe.subscribe(room, { from: 'earliest' }, (ev) => {
      if (ev.type === 'generation.message' && offsets.push(ev.offset) === count) resolve();
    }));
    probe.close();
    return offsets[count - 1];
  }, { room, count });
  await page.waitForFunction((o) => (window.__chat.subscription().position()?.offset ?? -1) >= o, last, { timeout: 30000 });
}
const rawAnswerMessages = (page) => page.$$eval('#conversation .raw[data-type="generation.message"]', (els) => els.length);

await run(async (browser) => {
  const alice = await newPage(browser, 'alice');
  const bob = await newPage(browser, 'bob');
  step(`both open ${link}`);
  await open(alice, 'alice');
  await open(bob, 'bob');
  assert.equal(await alice.inputValue('#room'), room, 'the deep link opens the room');

  step('a message reaches both, as text');
  const markup = 'hello <img src=x onerror="window.__pwned=1"> <b>bold?</b>';
  await say(alice, markup);
  for (const p of [alice, bob]) {
    await p.waitForFunction((t) => [...document.querySelectorAll('#conversation article.msg .body')].some((b) => b.textContent === t), markup, { timeout: 30000 });
    assert.equal(await p.$$eval('#conversation img, #conversation b', (els) => els.length), 0, 'user text is never HTML');
  }

  step('@model from alice streams to both');
  await say(alice, '@model tell me a long story about partitions');
  await waitAnswer(alice, 0, (el) => el.dataset.state === 'streaming' && Number(el.dataset.tokens) >= 3);
  await waitAnswer(bob, 0, (el) => el.dataset.state === 'streaming' && Number(el.dataset.tokens) >= 3);
  assert.ok(await alice.isVisible(`${answerSel} .cursor`), 'a cursor while it streams');
  await screenshot(alice, 'chat-streaming.png');

  step('bob stops it; both see cancelled');
  await bob.click(`${answerSel} button.stop`);
  await waitAnswer(alice, 0, (el) => el.dataset.state === 'cancelled');
  await waitAnswer(bob, 0, (el) => el.dataset.state === 'cancelled');
  await alice.waitForFunction(() => [...document.querySelectorAll('#conversation .note')].some((n) => n.textContent === 'bob stopped an answer'));

  step('a second prompt completes on both');
  await say(bob, '@model and what is an offset?');
  await waitAnswer(alice, 1, (el) => el.dataset.state === 'done');
  await waitAnswer(bob, 1, (el) => el.dataset.state === 'done');

  step('each answer\'s generation.message is part of its bubble, not a raw event');
  for (const p of [alice, bob]) {
    await waitAnswerMessages(p, 2);
    assert.equal(await rawAnswerMessages(p), 0);
  }

  step('an event of an unknown type is shown raw and safely');
  await alice.evaluate((r) => window.__chat.client.publish(r, { html: '<script>window.__pwned=2</script>' }, { type: 'weird.thing' }), room);
  await bob.waitForFunction(() => [...document.querySelectorAll('#conversation .raw')].some((n) => n.textContent.includes('weird.thing') && n.textContent.includes('<script>')));
  assert.equal(await bob.evaluate(() => window.__pwned), undefined);

  const before = await answersOf(alice);
  assert.deepEqual(await answersOf(bob), before, 'both pages show the same answers');
  await screenshot(bob, 'chat.png');

  step('a dropped gap (a lossy policy) keeps the conversation and says what was not delivered');
  const shownBefore = await bob.$$eval('#conversation article', (els) => els.length);
  // The client's own path for a `dropped` frame; at the current position, so no offset is skipped.
  await bob.evaluate(() => {
    const sub = window.__chat.subscription();
    const at = sub.position().offset;
    sub._onDroppedFrame({ op: 'dropped', room: sub.room, count: 3, first: at, last: at });
  });
  await bob.waitForFunction(() => [...document.querySelectorAll('#conversation .note')].some((n) => n.textContent.startsWith('3 events not delivered')));
  assert.equal(await bob.$$eval('#conversation article', (els) => els.length), shownBefore, 'nothing was cleared');
  assert.deepEqual(await answersOf(bob), before);

  step('a reload shows the whole conversation');
  await alice.reload();
  await alice.waitForSelector('#conversation[data-live="true"]', { timeout: 30000 });
  await waitAnswer(alice, 1, (el) => el.dataset.state === 'done');
  const after = await answersOf(alice);
  assert.deepEqual(after, before, 'the reload rebuilds every answer from its tokens');
  assert.equal(await alice.inputValue('#name'), 'alice', 'the name is kept');
  assert.ok(after.every((a) => a.duplicates === 0));
  assert.equal(await rawAnswerMessages(alice), 0);
  const messages = await alice.$$eval('#conversation article.msg:not(.answer) .body', (els) => els.map((e) => e.textContent));
  assert.deepEqual(messages, [markup, '@model tell me a long story about partitions', '@model and what is an offset?']);

  if (process.env.PHONE === '1') {
    step('phone width');
    const phone = await newPage(browser, 'phone', { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await open(phone, 'carol');
    await waitAnswer(phone, 1, (el) => el.dataset.state === 'done');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at 360 px (overflow ${overflow})`);
    await screenshot(phone, 'chat-phone.png');
  }
  step('the token hook names the page; the directory\'s rooms stay offered; a refused room name can be corrected');
  const dora = await newPage(browser, 'dora');
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const token = `${b64({ alg: 'none' })}.${b64({ sub: 'u-dora', name: 'dora' })}.sig`; // an open edge does not check it
  await dora.addInitScript((t) => { window.roomcastToken = async () => t; }, token);
  const directoryRoom = 'chat:from-the-directory';
  await dora.route('**/rooms?namespace=chat', (r) => r.fulfill({ json: { rooms: [{ room: directoryRoom, source: 'edge', lastActivity: Date.now() }] } }));
  await dora.goto(link);
  await dora.waitForSelector('#conversation[data-live="true"]', { timeout: 30000 });
  await dora.waitForFunction(() => document.getElementById('name').value === 'dora' && document.getElementById('name').readOnly);
  await dora.waitForSelector('#members li[data-name="dora"]', { timeout: 30000 });
  const offered = () => dora.$$eval('#room-list option', (els) => els.map((e) => e.value));
  await dora.waitForFunction((d) => [...document.querySelectorAll('#room-list option')].some((o) => o.value === d), directoryRoom);
  await dora.fill('#room', 'bad room!');
  await dora.click('#open-room');
  assert.equal(await dora.$eval('#room', (e) => e.validity.patternMismatch), true, 'the field\'s pattern applies');
  await dora.fill('#room', 'x'.repeat(200)); // fits the pattern, too long with chat: in front
  await dora.click('#open-room');
  assert.equal(await dora.$eval('#room', (e) => e.validity.customError), true);
  const other = `${room}-other`;
  await dora.fill('#room', other);
  await dora.click('#open-room');
  await dora.waitForFunction((o) => window.__chat.room() === o, other);
  assert.ok((await offered()).includes(directoryRoom), `the directory's room is still offered: ${await offered()}`);
  assert.ok((await offered()).includes(room), 'and the room used before');

  step('a long-running page keeps the newest 1,000 items and forgets the answers it no longer shows');
  // Synthetic events through the page's own event path: 1,100 publishes would meet the edge's rate limits.
  await dora.evaluate(() => {
    const t0 = Date.now();
    const G = 'synthetic:0:1';
    window.__chat.receive({ offset: 1, ts: t0, type: 'prompt', data: { text: 'old question', name: 'bulk' } });
    window.__chat.receive({ offset: 2, ts: t0, type: 'token', data: { generationId: G, seq: 0, text: 'old answer' } });
    for (let i = 0; i < 1100; i++) window.__chat.receive({ offset: 3 + i, ts: t0 + i, type: 'message', data: { text: `bulk-${i}`, name: 'bulk' } });
  });
  const kept = await dora.evaluate(() => {
    const items = [...document.getElementById('conversation').children];
    return { count: items.length, last: items[items.length - 1].textContent, answers: window.__chat.answers.byPrompt.size,
      old: items.some((e) => e.textContent.includes('old ')) };
  });
  assert.deepEqual({ ...kept, last: kept.last.includes('bulk-1099') }, { count: 1000, last: true, answers: 0, old: false });

  step('a connection the edge refuses shows the edge\'s reason');
  const refused = await newPage(browser, 'refused');
  await refused.routeWebSocket(/\/ws/, (ws) => ws.close({ code: 1008, reason: 'origin not allowed' }));
  await refused.goto(link);
  await refused.waitForSelector('#conn[data-state="offline"]', { timeout: 30000 });
  assert.match(await refused.textContent('#conn .label'), /^offline · .*1008 origin not allowed/);

  step('a message whose publish goes unanswered shows at once as sending…, fails with its reason without touching a newer draft, and Retry sends it once');
  const erin = await newPage(browser, 'erin');
  let hold = true; // publish frames are held back (as while the edge is gone), everything else passes
  await erin.routeWebSocket(/\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => { if (!(hold && typeof m === 'string' && m.includes('"op":"publish"'))) server.send(m); });
    server.onMessage((m) => ws.send(m));
  });
  const outboxRoom = `${room}-outbox`;
  await erin.goto(`${env.url}/chat?room=${encodeURIComponent(outboxRoom)}`);
  await erin.waitForSelector('#conversation[data-live="true"]', { timeout: 30000 });
  // the client's 30 s publish timeout, shortened for this page: the path is the same, the suite 25 s faster
  await erin.evaluate(() => { window.__chat.client._opt.publishTimeoutMs = 5000; });
  await say(erin, 'held message');
  const pending = erin.locator('#conversation article.msg.outgoing');
  await pending.waitFor({ timeout: 2000 });
  assert.equal(await pending.getAttribute('data-send'), 'sending');
  assert.equal(await pending.locator('.body').textContent(), 'held message');
  assert.equal(await pending.locator('.send-state').textContent(), 'sending…');
  assert.ok(Number(await pending.evaluate((e) => getComputedStyle(e).opacity)) < 1, 'sending… looks different');
  assert.equal(await erin.inputValue('#text'), '');
  await erin.fill('#text', 'a newer draft');
  await screenshot(erin, 'chat-sending.png');
  await erin.waitForSelector('#conversation article.msg.outgoing[data-send="failed"]', { timeout: 15000 });
  assert.match(await pending.locator('.send-state').textContent(), /^not sent \(timeout: /);
  assert.equal(await erin.inputValue('#text'), 'a newer draft', 'the draft typed meanwhile stays');
  await pending.locator('button', { hasText: 'Edit' }).click();
  assert.equal(await erin.inputValue('#text'), 'a newer draft', 'Edit never overwrites a draft');
  assert.equal(await pending.locator('.body').textContent(), 'held message', 'the failed text stays on the page');
  await screenshot(erin, 'chat-not-sent.png');
  hold = false;
  await pending.locator('button', { hasText: 'Retry' }).click();
  await erin.waitForFunction(() => !document.querySelector('#conversation .outgoing')
    && [...document.querySelectorAll('#conversation article.msg[data-offset] .body')].some((b) => b.textContent === 'held message'), null, { timeout: 45000 });
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(await erin.$$eval('#conversation article.msg .body', (els) => els.map((e) => e.textContent)), ['held message'], 'written and shown once');
  assert.equal(await erin.evaluate(() => window.__chat.outbox.size), 0);

  return { room, answers: after };
});
