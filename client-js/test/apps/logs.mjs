#!/usr/bin/env node
// Browser test of the logs app (/logs) against a running edge and a real log shipper that follows
// LOG_FILE_A into ROOM_A and LOG_FILE_B into ROOM_B. This script appends the lines itself.
// Covers: live follow, "N new lines", pause/resume with a count, level chips, text and regex
// filter, a folded stack trace, permalink with context, jump to a time, last N, download,
// two rooms merged, a record of unexpected shape shown safely.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { env, newPage, run, screenshot, step } from './browser.mjs';

const { LOG_FILE_A, LOG_FILE_B, ROOM_A, ROOM_B } = process.env;
const q = (params) => `${env.url}/logs?${new URLSearchParams(params)}`;

function stamp() {
  const d = new Date();
  const p = (v, n = 2) => String(v).padStart(n, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
const line = (level, text) => `${stamp()} ${level.padEnd(5)} [main] com.example.App - ${text}\n`;
function write(file, lines) {
  appendFileSync(file, lines.join(''));
}

const state = (page) => page.evaluate(() => window.__logs.state());
async function waitView(page, n, timeout = 30000) {
  await page.waitForFunction((k) => window.__logs.state().view === k, n, { timeout, polling: 50 }).catch(async (e) => {
    throw new Error(`view never had ${n} lines: ${JSON.stringify(await state(page))} (${e.message})`);
  });
}
const atBottom = (page) => page.$eval('#list', (l) => l.scrollHeight - l.scrollTop - l.clientHeight < 20);

await run(async (browser) => {
  const page = await newPage(browser, 'logs', { acceptDownloads: true });
  step('200 lines and a stack trace are shipped; the page shows them');
  const first = [];
  for (let i = 0; i < 200; i++) {
    first.push(line(i % 50 === 7 ? 'ERROR' : i % 10 === 3 ? 'WARN' : 'INFO', `order-${i} processed`));
    if (i === 100) first.push(line('ERROR', 'order-stack failed'), '\tat com.example.App.handle(App.java:42)\n', '\tat com.example.App.main(App.java:7)\n');
  }
  write(LOG_FILE_A, first);
  await page.goto(q({ room: ROOM_A }));
  await waitView(page, 201);
  assert.ok(await atBottom(page), 'follow mode sticks to the bottom');

  step('follow: new lines appear and the list stays at the bottom');
  write(LOG_FILE_A, [0, 1, 2, 3, 4].map((i) => line('INFO', `follow-${i}`)));
  await waitView(page, 206);
  await page.waitForFunction(() => { const l = document.getElementById('list'); return l.scrollHeight - l.scrollTop - l.clientHeight < 20; });

  step('scrolled up: new lines do not steal the scroll; "N new lines" takes the user down');
  await page.$eval('#list', (l) => { l.scrollTop = 0; l.dispatchEvent(new Event('scroll')); });
  await page.waitForFunction(() => !window.__logs.state().following);
  write(LOG_FILE_A, [...Array(10).keys()].map((i) => line('INFO', `away-${i}`)));
  await waitView(page, 216);
  await page.waitForSelector('#newlines:not([hidden])');
  assert.equal(await page.textContent('#newlines'), '10 new lines ↓');
  assert.equal(await page.$eval('#list', (l) => l.scrollTop), 0, 'the scroll was not stolen');
  await page.click('#newlines');
  await page.waitForFunction(() => { const l = document.getElementById('list'); return l.scrollHeight - l.scrollTop - l.clientHeight < 20; });

  step('pause counts what arrives; resume shows it');
  await page.click('#pause');
  write(LOG_FILE_A, [...Array(7).keys()].map((i) => line('INFO', `paused-${i}`)));
  await page.waitForFunction(() => document.getElementById('pause').textContent === 'Resume (7 new)', null, { timeout: 30000 });
  assert.equal((await state(page)).view, 216);
  await page.click('#pause');
  await waitView(page, 223);

  step('level chips');
  await page.dblclick('#levels [data-level="ERROR"]');
  await waitView(page, 5);
  assert.ok((await page.$$eval('#list .line:not([hidden])', (els) => els.map((e) => e.dataset.level))).every((l) => l === 'ERROR'));
  assert.match(page.url(), /level=error/);

  step('text and regex filter (over loaded and arriving lines)');
  await page.goto(q({ room: ROOM_A, q: 'order-42' }));
  await waitView(page, 1);
  await page.fill('#q', '/order-1[0-4]7 /');
  await waitView(page, 5);
  write(LOG_FILE_A, [line('INFO', 'order-127 retried'), line('INFO', 'order-999 processed')]);
  await waitView(page, 6);
  await page.fill('#q', '/([/');
  await page.waitForSelector('#q[aria-invalid="true"]');
  await page.fill('#q', '');
  await waitView(page, 225);

  step('a stack trace is folded; details show it whole, with a permalink');
  await page.evaluate(() => {
    // The list is virtual: only rows near the viewport exist, so scroll the list to the record.
    const i = window.__logs.store.view.findIndex((r) => r.first.endsWith('order-stack failed'));
    const l = document.getElementById('list');
    l.scrollTop = i * 20 - 100;
    l.dispatchEvent(new Event('scroll'));
  });
  const folded = page.locator('#list .line', { hasText: 'order-stack failed' });
  await folded.waitFor();
  assert.equal(await folded.locator('.more').textContent(), '+2 lines');
  await folded.click();
  assert.match(await page.textContent('#detail-text'), /\tat com\.example\.App\.handle\(App\.java:42\)\n\tat com\.example\.App\.main/);
  const link = await page.getAttribute('#permalink', 'href');
  const offset = Number(new URL(link).searchParams.get('at'));

  step('the permalink opens the line with context before and after');
  const shared = await newPage(browser, 'permalink');
  const t0 = Date.now();
  await shared.goto(link);
  await shared.waitForSelector(`#list .line.target[data-offset="${offset}"]`, { timeout: 30000 });
  const paint = Date.now() - t0;
  const context = await shared.evaluate((o) => {
    const v = window.__logs.store.view;
    const i = v.findIndex((r) => r.offset === o);
    const l = document.getElementById('list');
    const row = document.querySelector('#list .line.target');
    return { index: i, length: v.length, visible: row.offsetTop >= l.scrollTop && row.offsetTop < l.scrollTop + l.clientHeight };
  }, offset);
  assert.ok(context.index > 0 && context.index < context.length - 1, `context around the line: ${JSON.stringify(context)}`);
  assert.ok(context.visible, 'the line is scrolled into view');
  assert.match(await shared.textContent('#detail-text'), /order-stack failed/);
  await screenshot(shared, 'logs-permalink.png');
  await shared.close();

  step('jump to a time: only what was shipped after it');
  await new Promise((r) => setTimeout(r, 1100));
  const cut = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 50));
  write(LOG_FILE_A, [line('WARN', 'late-1'), line('INFO', 'late-2'), line('INFO', 'late-3')]);
  await waitView(page, 228);
  await page.goto(q({ room: ROOM_A, time: cut }));
  await waitView(page, 3);
  assert.deepEqual(await page.evaluate(() => window.__logs.store.view.map((r) => r.first.split(' - ')[1])), ['late-1', 'late-2', 'late-3']);
  await page.selectOption('#start', 'time');
  await page.fill('#time', '1d');
  await page.click('#go');
  await waitView(page, 228);

  step('last N lines');
  await page.goto(q({ room: ROOM_A, last: '50' }));
  await waitView(page, 50);

  step('download what is loaded');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const text = readFileSync(await download.path(), 'utf8');
  assert.equal(text.trimEnd().split('\n').length, 50);

  step('two rooms merged in time order; a stranger\'s record shown raw');
  write(LOG_FILE_B, [line('INFO', 'from-b-1'), line('ERROR', 'from-b-2')]);
  await page.goto(`${env.url}/logs?${new URLSearchParams([['room', ROOM_A], ['room', ROOM_B], ['last', '20']])}`);
  await page.waitForFunction((rb) => window.__logs.store.view.filter((r) => r.room === rb).length === 2, ROOM_B, { timeout: 30000 });
  await page.evaluate((r) => window.__logs.client.publish(r, { weird: '<b>bold</b><img src=x onerror="window.__pwned=1">' }, { type: 'strange' }), ROOM_A);
  await page.waitForSelector('#list .line.unparsed');
  assert.match(await page.textContent('#list .line.unparsed'), /<b>bold<\/b>/);
  assert.equal(await page.$$eval('#list b, #list img', (e) => e.length), 0);
  const merged = await page.evaluate(() => window.__logs.store.view.map((r) => [r.room, r.ts]));
  assert.ok(merged.every((m, i) => i === 0 || merged[i - 1][1] <= m[1]), 'time order');
  assert.deepEqual(new Set(merged.map((m) => m[0])), new Set([ROOM_A, ROOM_B]));
  await screenshot(page, 'logs.png');
  return { permalinkPaintMs: paint };
});
