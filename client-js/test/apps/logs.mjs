#!/usr/bin/env node
// Browser test of the logs app (/logs) against a running edge and a real log shipper that follows
// LOG_FILE_A into ROOM_A and LOG_FILE_B into ROOM_B. This script appends the lines itself.
// Covers: live follow, "N new lines", pause/resume with a count, level chips, text and regex
// filter, a folded stack trace, permalink with context, jump to a time, last N, download,
// two rooms merged, a record of unexpected shape shown safely; what the reader sees after filters
// and room switches (drawn rows, not the store), notes that stay, the cap under a scrolled-up reader,
// a view opened while a permalink still learns its epoch.
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
// The rows a reader sees: drawn (not display:none) and inside the list's viewport, top first.
// Added to every page, so waitForFunction can check what is on screen.
function shownRows() {
  const l = document.getElementById('list');
  return [...l.querySelectorAll('.line')]
    .filter((e) => getComputedStyle(e).display !== 'none' && e.offsetTop + e.offsetHeight > l.scrollTop && e.offsetTop < l.scrollTop + l.clientHeight)
    .sort((a, b) => a.offsetTop - b.offsetTop)
    .map((e) => ({ level: e.dataset.level, room: e.dataset.room, offset: Number(e.dataset.offset), text: e.querySelector('.msg-text').textContent }));
}
async function logsPage(browser, name, options) {
  const page = await newPage(browser, name, options);
  await page.addInitScript(`window.shownRows = ${shownRows}`);
  return page;
}
/** Waits until the rows on screen pass `check` (a page function of the rows and `arg`). */
async function waitShown(page, check, arg, timeout = 30000) {
  await page.waitForFunction(({ check, arg }) => new Function('rows', 'arg', `return (${check})(rows, arg)`)(window.shownRows(), arg),
    { check: check.toString(), arg }, { timeout, polling: 50 }).catch(async (e) => {
    throw new Error(`rows on screen never passed ${check}: ${JSON.stringify(await page.evaluate(() => window.shownRows()))} (${e.message})`);
  });
}
const statusText = (page) => page.textContent('#status-line');
const atBottom = (page) => page.$eval('#list', (l) => l.scrollHeight - l.scrollTop - l.clientHeight < 20);

await run(async (browser) => {
  const page = await logsPage(browser, 'logs', { acceptDownloads: true });
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
  // On screen: the five ERROR lines, and nothing left over from before the filter.
  await waitShown(page, (rows) => rows.length === 5 && rows.every((r) => r.level === 'ERROR') && rows.some((r) => r.text.endsWith('order-stack failed')));
  assert.match(page.url(), /level=error/);

  step('text and regex filter (over loaded and arriving lines)');
  await page.goto(q({ room: ROOM_A, q: 'order-42' }));
  await waitView(page, 1);
  await page.fill('#q', '/order-1[0-4]7 /');
  await waitView(page, 5);
  write(LOG_FILE_A, [line('INFO', 'order-127 retried'), line('INFO', 'order-999 processed')]);
  await waitView(page, 6);
  await page.waitForFunction(() => window.__logs.state().records === 225, null, { timeout: 30000 });
  await waitShown(page, (rows) => rows.length === 6 && rows.every((r) => /order-1[0-4]7 /.test(r.text)));
  await page.fill('#q', '/([/');
  await page.waitForSelector('#q[aria-invalid="true"]');
  await page.waitForFunction(() => document.getElementById('status-line').textContent.includes('invalid regex'));

  step('the invalid-regex note stays while lines arrive');
  const records = (await state(page)).records;
  write(LOG_FILE_A, [line('INFO', 'while-invalid')]);
  await page.waitForFunction((n) => document.getElementById('status-line').textContent.includes(`of ${n} lines shown`), records + 1, { timeout: 30000 });
  assert.match(await statusText(page), /invalid regex/);

  step('level chips apply while the regex is invalid (the previous filter stays)');
  await page.dblclick('#levels [data-level="ERROR"]');
  await waitView(page, 1);
  await waitShown(page, (rows) => rows.length === 1 && rows[0].level === 'ERROR' && rows[0].text.endsWith('order-107 processed'));
  await page.click('#levels [data-level="ERROR"]'); // the last level off: all levels again
  await waitView(page, 6);
  await page.fill('#q', '');
  await waitView(page, 226);
  assert.doesNotMatch(await statusText(page), /invalid regex/);

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
  const shared = await logsPage(browser, 'permalink');
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
  // The form says what the view is: the permalinked line, not "last N lines".
  assert.equal(await shared.$eval('#start', (e) => e.value), 'at');
  assert.equal(await shared.$eval('#start', (e) => e.selectedOptions[0].textContent), `line ${offset} of ${ROOM_A} (epoch ${new URL(link).searchParams.get('epoch')})`);
  assert.equal(await shared.$eval('#last-n', (e) => e.hidden), true);
  await screenshot(shared, 'logs-permalink.png');

  step('a permalink to a line that is not there says so, and the note stays');
  await shared.goto(q({ room: ROOM_A, at: '99999999' }));
  await shared.waitForSelector('#list[data-live="1"]', { timeout: 30000 });
  await shared.waitForFunction(() => document.getElementById('status-line').textContent.includes('line 99999999 is not in'), null, { timeout: 30000 });

  step('a permalink without an epoch into a refused room shows the refusal');
  await shared.goto(q({ room: 'nope:x', at: '5' }));
  await shared.waitForFunction(() => /nope:x: bad_request .*not configured/.test(document.getElementById('status-line').textContent), null, { timeout: 30000 });

  step('a view opened while a permalink still learns its epoch replaces it: the probe closes, nothing of the permalink stays');
  await shared.evaluate(([room, at]) => {
    history.replaceState(null, '', `/logs?${new URLSearchParams({ room, at: String(at) })}`);
    window.__logs.openUrl(); // waits for the room's epoch (a live-only probe subscription)
    document.getElementById('rooms').value = room; // the same room again, in the same task
    document.getElementById('start').value = 'last';
    document.getElementById('last-n').value = '20';
    document.getElementById('source').requestSubmit();
  }, [ROOM_A, offset]);
  await shared.waitForSelector('#list[data-live="1"]', { timeout: 30000 });
  await waitView(shared, 20);
  await new Promise((r) => setTimeout(r, 1000)); // time for the superseded open() to come back, if it did
  assert.equal((await state(shared)).subscriptions, 1);
  assert.equal((await state(shared)).view, 20);
  assert.equal(await shared.$$eval('#list .line.target', (e) => e.length), 0, 'no permalink line marked');
  assert.equal(new URL(shared.url()).searchParams.get('at'), null);

  step('a link\'s refused room, time or count opens nothing in their place: a note says what, the field is marked');
  const refusedLink = async (params, field, text, why) => {
    await shared.goto(`${env.url}/logs?${new URLSearchParams(params)}`);
    await shared.waitForFunction((w) => document.getElementById('status-line').textContent.includes(w), why, { timeout: 30000 });
    assert.match(await statusText(shared), /nothing opened/);
    assert.equal(await shared.$eval(`#${field}`, (e) => e.validity.customError && e.getAttribute('aria-invalid') === 'true'), true, `${field} is marked`);
    assert.equal(await shared.inputValue(`#${field}`), text);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await state(shared)).subscriptions, 0, 'no other room or start in its place');
    assert.equal((await state(shared)).records, 0);
  };
  await refusedLink([['room', 'logs:nope!!']], 'rooms', 'logs:nope!!', 'refused room name "logs:nope!!"');
  await refusedLink([['room', ROOM_A], ['time', 'banana']], 'time', 'banana', 'refused time="banana"');
  assert.equal(await shared.$eval('#start', (e) => e.value), 'time');
  await refusedLink([['room', ROOM_A], ['last', '0']], 'last-n', '0', 'refused last="0"');
  await screenshot(shared, 'logs-refused-link.png');
  await shared.fill('#last-n', '5');
  await shared.click('#go');
  await waitView(shared, 5);
  assert.doesNotMatch(await statusText(shared), /refused|nothing opened/);
  assert.equal(new URL(shared.url()).searchParams.get('last'), '5');
  await shared.close();

  step('jump to a time: only what was shipped after it');
  await new Promise((r) => setTimeout(r, 1100));
  const cut = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 50));
  write(LOG_FILE_A, [line('WARN', 'late-1'), line('INFO', 'late-2'), line('INFO', 'late-3')]);
  await waitView(page, 229);
  await page.goto(q({ room: ROOM_A, time: cut }));
  await waitView(page, 3);
  assert.deepEqual(await page.evaluate(() => window.__logs.store.view.map((r) => r.first.split(' - ')[1])), ['late-1', 'late-2', 'late-3']);
  await page.selectOption('#start', 'time');
  await page.fill('#time', '1d');
  await page.click('#go');
  await waitView(page, 229);

  step('last N lines');
  await page.goto(q({ room: ROOM_A, last: '50' }));
  await waitView(page, 50);

  step('download what is loaded');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const text = readFileSync(await download.path(), 'utf8');
  assert.equal(text.trimEnd().split('\n').length, 50);

  step('download with a level filter: a stack trace\'s lines each carry the prefix');
  await page.goto(q({ room: ROOM_A, level: 'error' }));
  await waitView(page, 5);
  const [errors] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const errorLines = readFileSync(await errors.path(), 'utf8').trimEnd().split('\n');
  assert.equal(errorLines.length, 7, errorLines.join('\n'));
  const prefix = new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+Z ${ROOM_A} \\d+ `);
  assert.deepEqual(errorLines.filter((l) => !prefix.test(l)), [], 'every line has its prefix');
  assert.ok(errorLines.some((l) => l.endsWith(' \tat com.example.App.handle(App.java:42)')));

  step('two rooms merged in the order of the times shown; a stranger\'s record shown raw');
  write(LOG_FILE_B, [line('INFO', 'from-b-1'), line('ERROR', 'from-b-2')]);
  await page.goto(`${env.url}/logs?${new URLSearchParams([['room', ROOM_A], ['room', ROOM_B], ['last', '20']])}`);
  await page.waitForFunction((rb) => window.__logs.store.view.filter((r) => r.room === rb).length === 2, ROOM_B, { timeout: 30000 });
  // A shipper's backlog: shipped now, logged ten seconds ago; it lands among A's lines, in its time.
  const tenAgo = new Date(Date.now() - 10000);
  const p2 = (v, n = 2) => String(v).padStart(n, '0');
  write(LOG_FILE_B, [`${tenAgo.getFullYear()}-${p2(tenAgo.getMonth() + 1)}-${p2(tenAgo.getDate())} ${p2(tenAgo.getHours())}:${p2(tenAgo.getMinutes())}:${p2(tenAgo.getSeconds())}.${p2(tenAgo.getMilliseconds(), 3)} INFO  [main] com.example.App - backlog-b\n`,
    line('INFO', 'after-backlog')]);
  await page.waitForFunction(() => window.__logs.store.view.some((r) => r.line.includes('backlog-b')), null, { timeout: 30000 });
  await page.evaluate((r) => window.__logs.client.publish(r, { weird: '<b>bold</b><img src=x onerror="window.__pwned=1">' }, { type: 'strange' }), ROOM_A);
  await page.evaluate((r) => window.__logs.client.publish(r, { line: '<b>stranger1</b>', foo: 1 }, { type: 'weird' }), ROOM_A);
  await page.waitForFunction(() => document.querySelectorAll('#list .line.unparsed').length === 2, null, { timeout: 30000 });
  assert.match(await page.textContent('#list .line.unparsed[data-offset] .msg-text'), /^strange @\d+: \{"weird":"<b>bold<\/b>/);
  const stranger = await page.$$eval('#list .line.unparsed .msg-text', (e) => e.map((x) => x.textContent));
  assert.ok(stranger.some((t) => /^weird @\d+: \{"line":"<b>stranger1<\/b>","foo":1\}$/.test(t)), stranger.join(' | '));
  assert.equal(await page.$$eval('#list b, #list img', (e) => e.length), 0);
  const merged = await page.evaluate(() => window.__logs.store.view.map((r) => [r.room, r.time, r.line]));
  assert.ok(merged.every((m, i) => i === 0 || merged[i - 1][1] <= m[1]), 'the order of the times shown');
  const shownTimes = await page.$$eval('#list .line:not([hidden]) .t', (e) => e.map((x) => [x.parentElement.offsetTop, x.textContent]).sort((a, b) => a[0] - b[0]).map((x) => x[1]));
  assert.deepEqual(shownTimes, [...shownTimes].sort(), 'the times on screen never run backwards');
  const backlog = merged.findIndex((m) => m[2].includes('backlog-b'));
  const shippedBefore = merged.findIndex((m) => m[2].includes('from-b-1'));
  assert.ok(backlog < shippedBefore, `the backlog line is in its place in time, above lines shipped before it (${backlog}, ${shippedBefore})`);
  assert.deepEqual(new Set(merged.map((m) => m[0])), new Set([ROOM_A, ROOM_B]));
  await screenshot(page, 'logs.png');

  step('a refused room name, then a valid one: the form opens it; only its lines are on screen');
  await page.fill('#rooms', 'bad room!');
  await page.click('#go');
  assert.equal(await page.$eval('#rooms', (e) => e.validity.customError), true, 'the field says what is wrong');
  await page.fill('#rooms', ROOM_B);
  await page.click('#go');
  await page.waitForFunction((rb) => window.__logs.state().rooms.join() === rb, ROOM_B);
  await waitView(page, 4);
  await waitShown(page, (rows, rb) => rows.length === 4 && rows.every((r) => r.room === rb), ROOM_B);

  step('an invalid time, then a valid one: the form opens it');
  await page.selectOption('#start', 'time');
  await page.fill('#time', 'whenever');
  await page.click('#go');
  assert.equal(await page.$eval('#time', (e) => e.validity.customError), true);
  await page.fill('#time', '1d');
  await page.click('#go');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('time') === '1d');

  step('the cap drops the oldest lines; the list does not move under a reader scrolled up');
  // Synthetic records through the page's own event path: 100,000 shipped lines would take minutes.
  await page.goto(q({ room: `logs:cap-${Date.now()}`, from: 'live' }));
  await page.waitForSelector('#list[data-live="1"]', { timeout: 30000 });
  const feed = (from, n) => page.evaluate(([from, n, t0]) => {
    for (let i = from; i < from + n; i++) {
      window.__logs.receive({ room: window.__logs.state().rooms[0], offset: i, ts: t0 + i, type: 'log', data: { line: `cap-${i}`, level: 'INFO' } });
    }
  }, [from, n, Date.now()]);
  await feed(0, 60000);
  await waitView(page, 60000);
  await page.$eval('#list', (l) => { l.scrollTop = 50000 * 20; l.dispatchEvent(new Event('scroll')); });
  await waitShown(page, (rows) => rows[0]?.offset === 50000);
  await feed(60000, 50000); // 110,000 records: the oldest 20,000 go
  await page.waitForFunction(() => document.getElementById('status-line').textContent.includes('20,000 oldest dropped'), null, { timeout: 30000 });
  assert.equal((await page.evaluate(() => window.shownRows()))[0].offset, 50000, 'the line at the top stays at the top');

  step('what the cap drops while paused is counted on resume');
  await page.click('#pause');
  await feed(110000, 100010); // 10 more than a pause keeps
  await page.waitForFunction(() => document.getElementById('pause').textContent === 'Resume (100010 new)', null, { timeout: 30000 });
  await page.click('#pause');
  // 90,000 kept + 100,000 resumed: the cap drops 100,000 more; with the 10 the pause dropped, 120,010
  await page.waitForFunction(() => document.getElementById('status-line').textContent.includes('120,010 oldest dropped'), null, { timeout: 30000 });
  return { permalinkPaintMs: paint };
});
