#!/usr/bin/env node
// Drives roomcast.js in real headless Chromium against a running edge, for integration tests that
// kill and restart the edge and then check what the page saw.
//
// Environment:
//   ROOMCAST_URL            edge base URL, e.g. http://127.0.0.1:8080 (required); the page is ${ROOMCAST_URL}/
//   ROOMCAST_ROOM           room to subscribe to (required)
//   ROOMCAST_FROM           start position as JSON or a word: earliest (default), latest, {"last":N}, {"after":N,"epoch":"E"}
//   ROOMCAST_TOKEN          token for the connection (optional)
//   ROOMCAST_BACKOFF_MAX_MS cap of the reconnect backoff (default: the client's 30000)
//   ROOMCAST_PING_MS        app-level ping interval (default: the client's 30000)
//   ROOMCAST_READY_TIMEOUT_MS  how long to wait for the subscription to become active (default 30000)
//   ROOMCAST_CHROMIUM       browser binary (default /usr/bin/chromium)
//
// Protocol on stdout: one JSON object per line. The first line is {"event":"ready",...} once the
// subscription is active (or {"event":"ready","ok":false,...} and exit code 1). Then the script reads
// commands from stdin, one per line, and answers each with exactly one line:
//   wait-count N [timeoutMs]      wait until the page has seen at least N events
//   wait-state STATE [timeoutMs]  wait until the connection state is STATE (open, reconnecting, ...)
//   wait-opens N [timeoutMs]      wait until the connection has opened N times (1 + reconnects)
//   publish COUNT [prefix]        publish COUNT events from the page, one after another, with eventIds prefix-i
//   dump                          everything the page recorded (offsets, eventIds, data, states, gaps, errors)
//   screenshot PATH               save a PNG of the page
//   quit                          close the browser and exit 0 (end of stdin does the same)
// Every answer has "cmd" and "ok"; a failed wait answers {"ok":false,"error":"timeout",...} with a summary.
// Page console messages and diagnostics go to stderr.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

function config() {
  const env = process.env;
  if (!env.ROOMCAST_URL) throw new Error('ROOMCAST_URL is required (e.g. http://127.0.0.1:8080)');
  if (!env.ROOMCAST_ROOM) throw new Error('ROOMCAST_ROOM is required');
  const fromText = env.ROOMCAST_FROM || 'earliest';
  let from;
  if (fromText === 'latest') from = undefined;
  else if (fromText.startsWith('{')) from = JSON.parse(fromText);
  else from = fromText;
  const options = {};
  if (env.ROOMCAST_TOKEN) options.token = env.ROOMCAST_TOKEN;
  if (env.ROOMCAST_BACKOFF_MAX_MS) options.backoff = { maxMs: Number(env.ROOMCAST_BACKOFF_MAX_MS) };
  if (env.ROOMCAST_PING_MS) options.pingIntervalMs = Number(env.ROOMCAST_PING_MS);
  return {
    base: env.ROOMCAST_URL.replace(/\/+$/, ''),
    room: env.ROOMCAST_ROOM,
    from,
    options,
    readyTimeoutMs: Number(env.ROOMCAST_READY_TIMEOUT_MS || 30000),
    chromium: env.ROOMCAST_CHROMIUM || '/usr/bin/chromium',
  };
}

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

// Runs inside the page: connects with the module the edge serves and records everything.
async function startHarness({ room, from, options }) {
  const { connect } = await import('/roomcast.js');
  const rec = { offsets: [], eventIds: [], data: [], states: [], gaps: [], errors: [], opens: 0, duplicates: 0, outOfOrder: 0 };
  window.__roomcast = rec;
  const rc = connect(location.origin, options);
  rc.on('state', (s, info) => {
    rec.states.push({ state: s, at: Date.now(), code: info.code, delayMs: info.delayMs, attempt: info.attempt });
    if (s === 'open') rec.opens++;
  });
  rc.on('error', (e) => rec.errors.push({ code: e.code, message: e.message }));
  const seen = new Set();
  const sub = rc.subscribe(room, {
    from,
    onGap: (g) => rec.gaps.push(g),
    onError: (e) => rec.errors.push({ code: e.code, message: e.message, subscription: true }),
  }, (ev) => {
    // The client promises exactly-once in order; count violations here rather than trusting it.
    if (seen.has(ev.offset)) rec.duplicates++;
    if (rec.offsets.length && ev.offset <= rec.offsets[rec.offsets.length - 1]) rec.outOfOrder++;
    seen.add(ev.offset);
    rec.offsets.push(ev.offset);
    rec.eventIds.push(ev.eventId ?? null);
    rec.data.push(ev.data);
  });
  window.__roomcastClient = rc;
  window.__roomcastSub = sub;
}

function summary(page) {
  return page.evaluate(() => {
    const r = window.__roomcast;
    const sub = window.__roomcastSub;
    return {
      count: r.offsets.length,
      state: window.__roomcastClient.state,
      subscription: sub.state,
      position: sub.position(),
      opens: r.opens,
      duplicates: r.duplicates,
      outOfOrder: r.outOfOrder,
      gaps: r.gaps.length,
      errors: r.errors.length,
    };
  });
}

async function waitFor(page, predicateSource, arg, timeoutMs) {
  try {
    await page.waitForFunction(predicateSource, arg, { timeout: timeoutMs, polling: 50 });
    return true;
  } catch (e) {
    if (e && e.name === 'TimeoutError') return false;
    throw e;
  }
}

async function run(page, room, line) {
  const [cmd, ...args] = line.trim().split(/\s+/);
  switch (cmd) {
    case 'wait-count': {
      const n = Number(args[0]);
      const ok = await waitFor(page, (k) => window.__roomcast.offsets.length >= k, n, Number(args[1] || 60000));
      return { cmd, ok, ...(ok ? {} : { error: 'timeout' }), ...(await summary(page)) };
    }
    case 'wait-state': {
      const ok = await waitFor(page, (s) => window.__roomcastClient.state === s, args[0], Number(args[1] || 60000));
      return { cmd, ok, ...(ok ? {} : { error: 'timeout' }), ...(await summary(page)) };
    }
    case 'wait-opens': {
      const ok = await waitFor(page, (k) => window.__roomcast.opens >= k, Number(args[0]), Number(args[1] || 60000));
      return { cmd, ok, ...(ok ? {} : { error: 'timeout' }), ...(await summary(page)) };
    }
    case 'publish': {
      const result = await page.evaluate(async ({ count, prefix, room }) => {
        const acked = [];
        const failed = [];
        for (let i = 0; i < count; i++) {
          try {
            acked.push(await window.__roomcastClient.publish(room, { seq: i, from: 'browser' }, { eventId: `${prefix}-${i}` }));
          } catch (e) {
            failed.push({ seq: i, code: e.code });
          }
        }
        return { acked, failed };
      }, { count: Number(args[0] || 1), prefix: args[1] || 'browser', room });
      return { cmd, ok: result.failed.length === 0, ...result };
    }
    case 'dump': {
      const rec = await page.evaluate(() => window.__roomcast);
      return { cmd, ok: true, ...(await summary(page)), offsets: rec.offsets, eventIds: rec.eventIds, data: rec.data, states: rec.states, gaps: rec.gaps, errors: rec.errors };
    }
    case 'screenshot':
      await page.screenshot({ path: args[0], fullPage: true });
      return { cmd, ok: true, path: args[0] };
    case 'quit':
      return { cmd, ok: true };
    default:
      return { cmd, ok: false, error: `unknown command; known: wait-count, wait-state, wait-opens, publish, dump, screenshot, quit` };
  }
}

async function main() {
  let cfg;
  try {
    cfg = config();
  } catch (e) {
    out({ event: 'ready', ok: false, error: e.message });
    process.exit(1);
  }
  const profile = mkdtempSync(join(tmpdir(), 'roomcast-chromium-'));
  let context;
  let ready = false;
  const shutdown = async () => {
    try {
      if (context) await context.close();
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  };
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: cfg.chromium,
      headless: true,
      args: CHROMIUM_FLAGS,
    });
    const page = context.pages()[0] || (await context.newPage());
    page.on('console', (m) => process.stderr.write(`[page ${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => process.stderr.write(`[page error] ${e.message}\n`));
    await page.goto(`${cfg.base}/`, { waitUntil: 'load' });
    await page.evaluate(startHarness, { room: cfg.room, from: cfg.from, options: cfg.options });
    const ok = await waitFor(page, () => window.__roomcastSub.state === 'active', null, cfg.readyTimeoutMs);
    ready = true;
    out({ event: 'ready', ok, ...(ok ? {} : { error: 'subscription not active in time' }), room: cfg.room, url: cfg.base, ...(await summary(page)) });
    if (!ok) {
      await shutdown();
      process.exit(1);
    }
    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      let answer;
      try {
        answer = await run(page, cfg.room, line);
      } catch (e) {
        answer = { cmd: line.trim().split(/\s+/)[0], ok: false, error: String(e && e.message) };
      }
      out(answer);
      if (answer.cmd === 'quit') break;
    }
    await shutdown();
    process.exit(0);
  } catch (e) {
    out({ event: ready ? 'fatal' : 'ready', ok: false, error: String(e && e.stack) });
    await shutdown().catch(() => {});
    process.exit(1);
  }
}

main();
