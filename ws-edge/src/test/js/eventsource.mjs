#!/usr/bin/env node
// Drives Chromium's own EventSource against an edge's /sse endpoint, for integration tests that
// kill and restart the edge and check what the page saw.
//
// Environment: ROOMCAST_URL (edge base URL, required), ROOMCAST_SSE_QUERY (query of /sse, e.g.
// "room=chat:x&from=earliest", required), ROOMCAST_CHROMIUM (default /usr/bin/chromium).
//
// stdout: one JSON object per line. First {"event":"ready","ok":true} once the stream is open and
// live; then one answer per command read from stdin:
//   wait-count N [timeoutMs]   until the page has received N room events
//   wait-opens N [timeoutMs]   until the EventSource has opened N times (1 + reconnects)
//   dump                       offsets, ids, named events and counts the page recorded
//   quit                       close the browser and exit 0
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];
const base = process.env.ROOMCAST_URL.replace(/\/+$/, '');
const query = process.env.ROOMCAST_SSE_QUERY;

const browser = await chromium.launch({ executablePath: process.env.ROOMCAST_CHROMIUM || '/usr/bin/chromium', args: FLAGS });
const page = await browser.newPage();
page.on('console', (m) => process.stderr.write(`[page] ${m.text()}\n`));
await page.goto(`${base}/healthz`); // any page of the edge's origin: EventSource is same-origin here
await page.evaluate((url) => {
  const seen = { offsets: [], ids: [], named: [], opens: 0, errors: 0, live: false };
  window.seen = seen;
  const source = new EventSource(url);
  source.onopen = () => { seen.opens++; };
  source.onerror = () => { seen.errors++; };
  source.onmessage = (e) => {
    seen.offsets.push(JSON.parse(e.data).offset);
    seen.ids.push(e.lastEventId);
  };
  for (const name of ['subscribed', 'gap', 'live', 'dropped', 'notice', 'reconnect']) {
    source.addEventListener(name, () => {
      seen.named.push(name);
      if (name === 'live') seen.live = true;
    });
  }
}, `/sse?${query}`);

async function waitFor(predicate, arg, timeoutMs) {
  try {
    await page.waitForFunction(predicate, arg, { timeout: timeoutMs, polling: 50 });
    return { ok: true };
  } catch (e) {
    const s = await page.evaluate(() => ({ count: window.seen.offsets.length, opens: window.seen.opens, errors: window.seen.errors }));
    return { ok: false, error: 'timeout', ...s };
  }
}

const ready = await waitFor(() => window.seen.live, undefined, 30000);
console.log(JSON.stringify({ event: 'ready', ...ready }));
for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, a, b] = line.trim().split(/\s+/);
  let answer;
  if (cmd === 'wait-count') answer = await waitFor((n) => window.seen.offsets.length >= n, Number(a), Number(b || 60000));
  else if (cmd === 'wait-opens') answer = await waitFor((n) => window.seen.opens >= n, Number(a), Number(b || 60000));
  else if (cmd === 'dump') answer = { ok: true, ...(await page.evaluate(() => window.seen)) };
  else if (cmd === 'quit') break;
  else answer = { ok: false, error: `unknown command ${cmd}` };
  console.log(JSON.stringify({ cmd, ...answer }));
}
await browser.close();
