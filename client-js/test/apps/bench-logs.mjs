#!/usr/bin/env node
// Browser benchmark of the logs app (not a test): TOTAL lines arrive at RATE lines/s into one logs
// room while /logs follows it in headless Chromium. Reports long tasks, frames slower than 50 ms,
// the JS heap, and the time until a permalink into the middle of the room shows its line.
// The lines are published over WebSocket connections (the `ws` package) as the log shipper's event
// shape; the edge must allow RATE publishes per second per connection (--publishes-per-second,
// --frames-per-second). Env: ROOMCAST_URL, TOTAL (100000), RATE (2000).
import WebSocket from 'ws';
import { env, newPage, run, step } from './browser.mjs';

const TOTAL = Number(process.env.TOTAL || 100000);
const RATE = Number(process.env.RATE || 2000);
const room = `logs:bench-${Date.now()}`;
const levels = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];

function publisher() {
  const ws = new WebSocket(`${env.url.replace('http', 'ws')}/ws`);
  let acked = 0;
  let lastOffset = -1;
  let errors = 0;
  ws.on('message', (m) => {
    const frames = [].concat(JSON.parse(m.toString()));
    for (const f of frames) {
      if (f.op === 'ack') { acked++; lastOffset = Math.max(lastOffset, f.offset); }
      else if (f.op === 'error' && errors++ < 3) process.stderr.write(`publish error: ${JSON.stringify(f)}\n`);
    }
  });
  return new Promise((resolve) => ws.on('open', () => resolve({ ws, acked: () => acked, lastOffset: () => lastOffset })));
}

async function flood(pub) {
  const start = Date.now();
  let sent = 0;
  let id = 0;
  while (sent < TOTAL) {
    const due = Math.min(TOTAL, Math.floor(((Date.now() - start) / 1000) * RATE));
    const batch = [];
    for (; sent < due; sent++) {
      const level = levels[sent % levels.length];
      const line = sent % 500 === 0
        ? `${new Date().toISOString()} ERROR [worker-${sent % 8}] com.example.Bench - request ${sent} failed\njava.lang.IllegalStateException: boom\n\tat com.example.Bench.run(Bench.java:42)`
        : `${new Date().toISOString()} ${level} [worker-${sent % 8}] com.example.Bench - request ${sent} handled in ${sent % 97} ms`;
      batch.push({ op: 'publish', id: ++id, room, type: 'log', data: { line, level, time: new Date().toISOString(), source: { host: 'bench', file: '/bench.log' } } });
    }
    for (let i = 0; i < batch.length; i += 100) pub.ws.send(JSON.stringify(batch.slice(i, i + 100))); // the edge takes batches of up to 100
    await new Promise((r) => setTimeout(r, 20));
  }
  return (Date.now() - start) / 1000;
}

await run(async (browser) => {
  const page = await newPage(browser, 'bench');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${env.url}/logs?room=${encodeURIComponent(room)}&from=live`);
  await page.waitForSelector('#list[data-live="1"]', { timeout: 30000 });
  await page.evaluate(() => {
    const m = (window.__bench = { longTasks: 0, longTaskMs: 0, longestTask: 0, frames: 0, slowFrames: 0, worstFrame: 0 });
    new PerformanceObserver((list) => list.getEntries().forEach((e) => {
      m.longTasks++;
      m.longTaskMs += e.duration;
      m.longestTask = Math.max(m.longestTask, e.duration);
    })).observe({ type: 'longtask', buffered: true });
    let last = performance.now();
    const frame = (t) => {
      const d = t - last;
      last = t;
      m.frames++;
      if (d > 50) m.slowFrames++;
      m.worstFrame = Math.max(m.worstFrame, d);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const pub = await publisher();
  step(`publishing ${TOTAL} lines at ${RATE}/s into ${room}`);
  const seconds = await flood(pub);
  const published = Date.now();
  await page.waitForFunction((n) => window.__logs.store.records.length + window.__logs.store.dropped >= n, TOTAL, { timeout: 120000, polling: 500 });
  const lagAfterPublishMs = Date.now() - published;
  const metrics = await page.evaluate(() => window.__bench);
  const heap = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const state = await page.evaluate(() => window.__logs.state());
  const rowsInDom = await page.$$eval('#list .line', (els) => els.length);

  step('permalink into the middle of the room');
  const middle = await page.evaluate(() => window.__logs.store.view[Math.floor(window.__logs.store.view.length / 2)]);
  const link = `${env.url}/logs?room=${encodeURIComponent(room)}&at=${middle.offset}&epoch=${encodeURIComponent(middle.epoch)}`;
  const second = await newPage(browser, 'permalink');
  const t0 = Date.now();
  await second.goto(link);
  await second.waitForSelector(`#list .line.target[data-offset="${middle.offset}"]`, { timeout: 120000 });
  const permalinkMs = Date.now() - t0;
  const secondState = await second.evaluate(() => window.__logs.state());
  pub.ws.close();
  return {
    total: TOTAL, rate: RATE, publishSeconds: Math.round(seconds * 10) / 10, acked: pub.acked(), lagAfterPublishMs, dropped: await page.evaluate(() => window.__logs.store.dropped),
    records: state.records, view: state.view, rowsInDom,
    longTasks: metrics.longTasks, longTaskMs: Math.round(metrics.longTaskMs), longestTaskMs: Math.round(metrics.longestTask),
    frames: metrics.frames, slowFrames: metrics.slowFrames, worstFrameMs: Math.round(metrics.worstFrame),
    jsHeapUsedMB: Math.round(heap.JSHeapUsedSize / 1048576), jsHeapTotalMB: Math.round(heap.JSHeapTotalSize / 1048576), domNodes: heap.Nodes,
    permalinkMs, permalinkRecords: secondState.records,
  };
});
