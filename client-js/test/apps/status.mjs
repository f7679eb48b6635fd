#!/usr/bin/env node
// Browser test of the status app (/status) with two edges reporting into sys:edges. Prints
// {"step":"two-up"} when both edges show as up, then waits for a line on stdin (the Java side
// stops edge EDGE_B meanwhile) and checks that EDGE_B is shown as gone while the other stays up.
// Also: publishing into the system room is refused; a refused sys:edges subscription stays shown;
// an edge that cannot reach Kafka is not counted as up; the landing page at phone width. The
// refusal and Kafka-unreachable steps rewrite the page's WebSocket frames (playwright routeWebSocket).
// A browser clock an hour ahead still shows the edges up; a stopped edge's card is removed after ten
// minutes without a report (the page's clock fast-forwarded).
import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';
import { env, newPage, run, screenshot, step } from './browser.mjs';

const { EDGE_B } = process.env;
const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

/** Frames of one WebSocket message (a batch is an array), and back. */
const framesOf = (message) => [JSON.parse(message)].flat();
const messageOf = (frames) => JSON.stringify(frames.length === 1 ? frames[0] : frames);

/**
 * Routes the page's WebSocket through `rewrite`: client frames via `toEdge(frame, page)` (return
 * false to keep one from the edge), edge frames via `toPage(frame)` (changes it in place).
 */
async function rewrite(page, { toEdge = () => true, toPage = () => {} }) {
  await page.routeWebSocket(/\/ws/, (ws) => {
    const edge = ws.connectToServer();
    ws.onMessage((m) => {
      const frames = framesOf(m).filter((f) => toEdge(f, ws));
      if (frames.length) edge.send(messageOf(frames));
    });
    edge.onMessage((m) => {
      const frames = framesOf(m);
      frames.forEach(toPage);
      ws.send(messageOf(frames));
    });
  });
}

await run(async (browser) => {
  const page = await newPage(browser, 'status');
  await page.goto(`${env.url}/status`);
  step('both edges report and show as up');
  await page.waitForFunction(() => document.querySelectorAll('#edges .node[data-state="up"]').length === 2, null, { timeout: 30000 });
  await page.waitForFunction(() => [...document.querySelectorAll('#edges .node polyline')].some((p) => p.getAttribute('points')), null, { timeout: 30000 });
  const figures = await page.$$eval('#edges .node', (els) => els.map((el) => ({
    key: el.dataset.key,
    values: Object.fromEntries([...el.querySelectorAll('.figures .k')].map((k) => [k.textContent, k.nextElementSibling.textContent])),
  })));
  assert.ok(figures.some((f) => f.key === EDGE_B), `edge ${EDGE_B} is listed: ${JSON.stringify(figures)}`);
  assert.ok(figures.every((f) => Number(f.values.connections) >= 0 && f.values.uptime !== '—'));
  await screenshot(page, 'status.png');

  step('publishing into the system room is refused');
  const refusal = await page.evaluate(() => window.__status.client.publish('sys:edges', { edge: 'fake' }, { type: 'edge.status' }).then(() => 'written', (e) => e.code));
  assert.equal(refusal, 'forbidden');

  step('the model producer reports into sys:producers');
  await page.waitForSelector('#producers .node[data-state="up"]', { timeout: 30000 });
  assert.match(await page.textContent('#producers .node .sub'), /backend sim/);

  step('a refused sys:edges subscription stays shown');
  const refused = await newPage(browser, 'refused');
  await refused.clock.install(); // the page's 1 s refresh runs when the test says so
  await rewrite(refused, {
    toEdge: (f, ws) => {
      if (f.op !== 'subscribe' || f.room !== 'sys:edges') return true;
      ws.send(JSON.stringify({ op: 'error', id: f.id, room: f.room, code: 'forbidden', message: 'sys:edges is for operators' }));
      return false;
    },
  });
  await refused.goto(`${env.url}/status`);
  await refused.waitForFunction(() => document.getElementById('edges').textContent.includes('sys:edges: forbidden sys:edges is for operators'), null, { timeout: 30000 });
  await refused.clock.runFor(3000);
  assert.match(await refused.textContent('#edges'), /sys:edges: forbidden sys:edges is for operators/);
  await refused.close();

  step('an edge that cannot reach Kafka is shown so, and not counted as up');
  const unreachable = await newPage(browser, 'unreachable');
  await rewrite(unreachable, {
    toPage: (f) => {
      if (f.op === 'event' && f.type === 'edge.status' && f.data?.edge === EDGE_B) f.data.kafkaReachable = false;
    },
  });
  await unreachable.goto(`${env.url}/status`);
  await unreachable.waitForFunction((b) => document.querySelector(`#edges .node[data-key="${b}"]`)?.dataset.state === 'kafka-unreachable', EDGE_B, { timeout: 30000 });
  assert.equal(await unreachable.textContent(`#edges .node[data-key="${EDGE_B}"] .state`), 'kafka unreachable');
  assert.notEqual(await unreachable.$eval(`#edges .node[data-key="${EDGE_B}"] .state`, (e) => getComputedStyle(e).color),
    await unreachable.$eval('#edges .node[data-state="up"] .state', (e) => getComputedStyle(e).color), 'not in the colour of up');
  await unreachable.waitForFunction(() => document.getElementById('edge-count').textContent === '1 up of 2');
  await unreachable.close();

  step('a browser clock an hour ahead still shows both edges up (gone is judged on the browser clock alone)');
  const skewed = await newPage(browser, 'skewed');
  await skewed.addInitScript(() => {
    const real = Date.now;
    Date.now = () => real() + 3600000;
  });
  await skewed.goto(`${env.url}/status`);
  await skewed.waitForFunction(() => document.querySelectorAll('#edges .node[data-state="up"]').length === 2, null, { timeout: 30000 });
  await skewed.close();

  process.stdout.write(JSON.stringify({ step: 'two-up' }) + '\n');
  await stdin.next();
  step(`edge ${EDGE_B} stopped: it is shown as gone, the other stays up`);
  await page.waitForFunction((b) => document.querySelector(`#edges .node[data-key="${b}"]`)?.dataset.state === 'gone', EDGE_B, { timeout: 30000 });
  assert.equal(await page.$$eval('#edges .node[data-state="up"]', (els) => els.length), 1);
  await screenshot(page, 'status-one-gone.png');

  step(`ten minutes without a report: ${EDGE_B}'s card is removed, the other edge's stays`);
  const later = await newPage(browser, 'later');
  await later.clock.install();
  await later.goto(`${env.url}/status`);
  await later.waitForFunction((b) => document.querySelector(`#edges .node[data-key="${b}"]`)?.dataset.state === 'gone', EDGE_B, { timeout: 30000 });
  await later.clock.fastForward('10:30');
  await later.clock.runFor(2000); // the page's refresh after the jump
  await later.waitForFunction((b) => !document.querySelector(`#edges .node[data-key="${b}"]`)
    && document.querySelectorAll('#edges .node[data-state="up"]').length === 1, EDGE_B, { timeout: 30000 });
  await later.close();

  step('landing page at phone width, dark theme');
  const phone = await newPage(browser, 'phone', { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  await phone.goto(`${env.url}/`);
  await phone.waitForSelector('#health[data-state="open"]');
  for (const link of ['/chat', '/logs', '/status']) assert.equal(await phone.getAttribute(`a.card[href="${link}"]`, 'href'), link);
  assert.equal(await phone.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(21, 23, 27)', 'prefers-color-scheme: dark');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 360 px (overflow ${overflow})`);
  await screenshot(phone, 'landing-phone.png');
  await phone.goto(`${env.url}/status`);
  await phone.waitForSelector('#edges .node');
  await screenshot(phone, 'status-phone.png');
  return { edges: figures.map((f) => f.key) };
});
process.stdin.destroy(); // the readline on stdin would keep the process alive
