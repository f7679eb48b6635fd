#!/usr/bin/env node
// The React bindings in real headless Chromium: React from npm, bundled for the test by the pinned
// esbuild; a scripted fake edge (test/support/fake-edge.mjs) plays the edge. Covers StrictMode,
// unmount cleanup (no timer or socket left), a reconnect in the middle of a generation (no token
// twice), the dropped gap, publish and cancel. Prints one line per scenario; exit code 0 = all pass.
// Run by ws-edge's JsReactBrowserIT under `mvn verify`, or by hand: node test/react/browser.mjs
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { startFakeEdge, waitUntil } from '../support/fake-edge.mjs';

const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

const out = mkdtempSync(join(tmpdir(), 'roomcast-react-'));
await build({
  entryPoints: [new URL('./app.mjs', import.meta.url).pathname],
  bundle: true, format: 'esm', outfile: join(out, 'app.js'), logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"development"' },
});
const page$ = { '/': ['text/html', '<!doctype html><div id="root"></div><script type="module" src="/app.js"></script>'],
  '/app.js': ['text/javascript', readFileSync(join(out, 'app.js'))] };
const http = createServer((req, res) => {
  const e = page$[req.url];
  if (!e) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': e[0] }).end(e[1]);
});
await new Promise((r) => http.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${http.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.ROOMCAST_CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_FLAGS });

const ev = (room, offset, type = 'message', data = { n: offset }) => ({ op: 'event', room, offset, type, ts: 1764000000000 + offset, data });
let failures = 0;

async function scenario(name, fn) {
  const edge = await startFakeEdge();
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(base);
  await page.waitForFunction(() => typeof window.__mount === 'function');
  const seen = (path) => page.evaluate((p) => p.split('.').reduce((o, k) => (o == null ? o : o[k]), window.__seen), path);
  const until = async (fnc, what, ms = 10000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fnc();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; seen ${JSON.stringify(await page.evaluate(() => window.__seen))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    await fn({ edge, page, seen, until, url: edge.url });
    console.log(`ok - ${name}`);
  } catch (e) {
    failures++;
    console.log(`not ok - ${name}: ${e && e.stack}`);
  } finally {
    await page.close();
    await edge.close();
  }
}

await scenario('StrictMode double mounting: one live subscription, every event once', async ({ edge, page, seen, until, url }) => {
  await page.evaluate((u) => window.__mount({ url: u, room: 'chat:a', from: 'earliest' }), url);
  await until(() => seen('connection.state').then((s) => s === 'open'), 'open');
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length - edge.last.framesWith('unsubscribe').length === 1
    && edge.last.framesWith('subscribe').length >= 1, 'one subscription left');
  await new Promise((r) => setTimeout(r, 100));
  const c = edge.last;
  assert.equal(c.framesWith('subscribe').length - c.framesWith('unsubscribe').length, 1, `subscribes ${JSON.stringify(c.received)}`);
  c.send([ev('chat:a', 1), ev('chat:a', 2), { op: 'live', room: 'chat:a', offset: 2 }, ev('chat:a', 3)]);
  await until(() => seen('room.offsets').then((o) => o && o.length === 3), 'three events');
  assert.deepEqual(await seen('room.offsets'), [1, 2, 3]);
  assert.equal(await seen('room.live'), true);
});

await scenario('unmount cleanup: the subscription, the socket and every timer are released', async ({ edge, page, seen, until, url }) => {
  await page.evaluate((u) => window.__mount({ url: u, room: 'chat:a' }), url);
  await until(() => seen('connection.state').then((s) => s === 'open'), 'open');
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length >= 1, 'subscribe');
  await page.evaluate(() => window.__unmount());
  await waitUntil(() => edge.connections.every((c) => c.closed), 'every socket closed');
  const left = await page.evaluate(() => ({ state: window.__client.state, timers: window.__client._timers.size, ws: window.__client._ws, subs: window.__client._subs.size, listeners: window.__client._listeners.size }));
  assert.deepEqual(left, { state: 'closed', timers: 0, ws: null, subs: 0, listeners: 0 });
});

await scenario('reconnect in the middle of a generation: the answer resumes, no token twice', async ({ edge, page, seen, until, url }) => {
  await page.evaluate((u) => window.__mount({ url: u, generationRoom: 'chat:g' }), url);
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length >= 1, 'subscribe');
  const first = edge.last;
  assert.deepEqual(first.framesWith('subscribe').at(-1).from, { last: 500 });
  assert.equal(first.framesWith('subscribe').at(-1).compact, true, 'useGeneration asks for compacted answers');
  const gid = 'roomcast.chat:0:10';
  first.send([
    ev('chat:g', 10, 'prompt', { text: 'hi?' }),
    { op: 'live', room: 'chat:g', offset: 10 },
    ev('chat:g', 11, 'generation.started', { generationId: gid, promptOffset: 10, model: 'sim' }),
    ev('chat:g', 12, 'token', { generationId: gid, seq: 0, text: 'Hello' }),
    ev('chat:g', 13, 'token', { generationId: gid, seq: 1, text: ' world' }),
  ]);
  await until(() => seen('generations').then((g) => g && g[0] && g[0].text === 'Hello world'), 'two tokens');
  assert.equal((await seen('generations'))[0].status, 'streaming');
  first.kill();
  await waitUntil(() => edge.connections.length === 2 && edge.last.framesWith('subscribe').length >= 1, 'resubscribed');
  assert.deepEqual(edge.last.framesWith('subscribe').at(-1).from, { after: 13, epoch: 'E' });
  edge.last.send([
    ev('chat:g', 13, 'token', { generationId: gid, seq: 1, text: ' world' }), // an overlapping replay
    ev('chat:g', 14, 'token', { generationId: gid, seq: 2, text: '!' }),
    ev('chat:g', 15, 'generation.done', { generationId: gid, finishReason: 'stop', usage: { promptTokens: 2, completionTokens: 3 } }),
  ]);
  await until(() => seen('generations').then((g) => g[0].status === 'done'), 'done');
  const g = (await seen('generations'))[0];
  assert.equal(g.text, 'Hello world!');
  assert.equal(g.prompt, 'hi?');
  assert.equal(g.finishReason, 'stop');
  assert.equal((await seen('generations')).length, 1);
});

await scenario('generation restarted by a takeover, then cancelled through cancel()', async ({ edge, page, seen, until, url }) => {
  await page.evaluate((u) => window.__mount({ url: u, generationRoom: 'chat:g' }), url);
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length >= 1, 'subscribe');
  const gid = 'roomcast.chat:0:20';
  edge.last.send([
    ev('chat:g', 20, 'prompt', { text: 'again?' }),
    ev('chat:g', 21, 'generation.started', { generationId: gid, promptOffset: 20, model: 'sim' }),
    ev('chat:g', 22, 'token', { generationId: gid, seq: 0, text: 'Lost' }),
    ev('chat:g', 23, 'generation.restarted', { generationId: gid, promptOffset: 20, model: 'sim', reason: 'takeover' }),
  ]);
  await until(() => seen('generations').then((g) => g && g[0] && g[0].status === 'restarted'), 'restarted');
  assert.equal((await seen('generations'))[0].text, '');
  edge.last.send(ev('chat:g', 24, 'token', { generationId: gid, seq: 0, text: 'Found' }));
  await until(() => seen('generations').then((g) => g[0].text === 'Found' && g[0].status === 'streaming'), 'streamed again');
  await page.evaluate(() => window.__cancelLatest());
  await waitUntil(() => edge.last.framesWith('publish').length === 1, 'cancel published');
  const cancel = edge.last.framesWith('publish')[0];
  assert.equal(cancel.type, 'cancel');
  assert.deepEqual(cancel.data, { generationId: gid });
  edge.last.send(ev('chat:g', 25, 'generation.cancelled', { generationId: gid, tokens: 1, durationMs: 5 }));
  await until(() => seen('generations').then((g) => g[0].status === 'cancelled'), 'cancelled');
});

await scenario('the dropped gap reaches useRoom with its count and offsets; publish resolves with the ack', async ({ edge, page, seen, until, url }) => {
  await page.evaluate((u) => window.__mount({ url: u, room: 'logs:api', policy: 'drop-oldest' }), url);
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length >= 1, 'subscribe');
  await until(() => seen('connection.state').then((s) => s === 'open'), 'open');
  assert.equal(edge.last.framesWith('subscribe').at(-1).policy, 'drop-oldest');
  edge.last.send([ev('logs:api', 1), { op: 'dropped', room: 'logs:api', count: 5, first: 2, last: 6 }, ev('logs:api', 7)]);
  await until(() => seen('room.offsets').then((o) => o && o.length === 2), 'two events');
  assert.deepEqual(await seen('room.offsets'), [1, 7]);
  const gaps = await seen('room.gaps');
  assert.equal(gaps.length, 1);
  assert.deepEqual({ reason: gaps[0].reason, count: gaps[0].count, first: gaps[0].first, last: gaps[0].last }, { reason: 'dropped', count: 5, first: 2, last: 6 });
  await page.evaluate(() => window.__publish({ text: 'hi' }));
  await until(() => seen('ack'), 'ack');
  assert.equal(await seen('ack'), 100);
});

await scenario('useRoom and useGeneration of one room share one subscription and both see its history', async ({ edge, page, seen, until, url }) => {
  await page.evaluate((u) => window.__mount({ url: u, room: 'chat:s', from: { last: 50 }, generationRoom: 'chat:s' }), url);
  await until(() => seen('connection.state').then((s) => s === 'open'), 'open');
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length >= 1, 'subscribe');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(edge.last.framesWith('subscribe').length, 1, JSON.stringify(edge.last.received));
  const gid = 'roomcast.chat:0:30';
  edge.last.send([
    ev('chat:s', 29, 'message', { name: 'ann', text: 'hi' }),
    ev('chat:s', 30, 'prompt', { text: 'q' }),
    ev('chat:s', 31, 'token', { generationId: gid, seq: 0, text: 'A' }),
    { op: 'live', room: 'chat:s', offset: 31 },
  ]);
  await until(() => seen('generations').then((g) => g && g[0] && g[0].text === 'A'), 'answer');
  await until(() => seen('room.offsets').then((o) => o && o.length === 3), 'events');
  assert.deepEqual(await seen('room.offsets'), [29, 30, 31]);
});

await scenario('useGeneration, late joiner with compact: finished answers whole, the streaming one partial then live, no gap or duplicate', async ({ edge, page, seen, until, url }) => {
  await page.evaluate((u) => window.__mount({ url: u, generationRoom: 'chat:c' }), url);
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length >= 1, 'subscribe');
  await new Promise((r) => setTimeout(r, 100));
  const c = edge.last;
  assert.equal(c.framesWith('subscribe').length - c.framesWith('unsubscribe').length, 1);
  assert.equal(c.framesWith('subscribe').at(-1).compact, true);
  const g1 = 'roomcast.chat:0:10';
  const g2 = 'roomcast.chat:0:40';
  c.send([
    ev('chat:c', 10, 'prompt', { text: 'first?' }),
    ev('chat:c', 11, 'generation.started', { generationId: g1, promptOffset: 10, model: 'sim' }),
    // tokens 12..30 are left out of a compact history
    ev('chat:c', 31, 'generation.done', { generationId: g1, finishReason: 'stop', usage: null }),
    ev('chat:c', 32, 'generation.message', { generationId: g1, status: 'done', text: 'One whole answer.', tokens: 19, replaces: { from: 12, to: 30 } }),
    ev('chat:c', 40, 'prompt', { text: 'second?' }),
    ev('chat:c', 41, 'generation.started', { generationId: g2, promptOffset: 40, model: 'sim' }),
    ev('chat:c', 42, 'message', { text: 'a message between tokens' }),
    { op: 'partial', room: 'chat:c', generationId: g2, fromSeq: 0, toSeq: 2, offset: 45, text: 'Half an' },
    { op: 'live', room: 'chat:c', offset: 45 },
  ]);
  await until(() => seen('generations').then((g) => g && g.length === 2 && g[1].text === 'Half an'), 'partial shown');
  let gens = await seen('generations');
  assert.deepEqual(gens.map((g) => [g.prompt, g.status, g.text]), [['first?', 'done', 'One whole answer.'], ['second?', 'streaming', 'Half an']]);
  assert.equal(gens[0].compacted, true);
  c.send([
    ev('chat:c', 45, 'token', { generationId: g2, seq: 2, text: ' an' }), // at the position: never delivered twice
    ev('chat:c', 46, 'token', { generationId: g2, seq: 3, text: ' answer' }),
    ev('chat:c', 47, 'token', { generationId: g2, seq: 4, text: '.' }),
    ev('chat:c', 48, 'generation.done', { generationId: g2, finishReason: 'stop', usage: null }),
    ev('chat:c', 49, 'generation.message', { generationId: g2, status: 'done', text: 'Half an answer.', tokens: 5, replaces: { from: 43, to: 47 } }),
  ]);
  await until(() => seen('generations').then((g) => g[1].status === 'done' && g[1].compacted), 'second done');
  gens = await seen('generations');
  assert.equal(gens[1].text, 'Half an answer.', 'partial, then the live tokens: no gap, no duplicate');
  assert.equal(gens.length, 2);
});

await scenario('useGeneration, compact history of a finished answer without generation.message: its partial after the terminal event is its text', async ({ edge, page, seen, until, url }) => {
  await page.evaluate((u) => window.__mount({ url: u, generationRoom: 'chat:o' }), url);
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length >= 1, 'subscribe');
  const gid = 'roomcast.chat:0:5';
  edge.last.send([
    ev('chat:o', 5, 'prompt', { text: 'old?' }),
    ev('chat:o', 6, 'generation.started', { generationId: gid, promptOffset: 5, model: 'sim' }),
    ev('chat:o', 9, 'generation.done', { generationId: gid, finishReason: 'stop', usage: null }),
    { op: 'partial', room: 'chat:o', generationId: gid, fromSeq: 0, toSeq: 1, offset: 8, text: 'An old answer' },
    { op: 'live', room: 'chat:o', offset: 9 },
  ]);
  await until(() => seen('generations').then((g) => g && g[0] && g[0].text === 'An old answer'), 'the partial text');
  assert.equal((await seen('generations'))[0].status, 'done');
});

await scenario('usePresence and useEphemeral: presence with a name on the room\'s subscription, members follow join and leave, signals have no offset', async ({ edge, page, seen, until, url }) => {
  await page.evaluate((u) => window.__mount({ url: u, presenceRoom: 'chat:p', name: 'Ann' }), url);
  await until(() => seen('connection') === undefined ? true : true, 'mounted');
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length >= 1, 'subscribe');
  await new Promise((r) => setTimeout(r, 100));
  const c = edge.last;
  assert.equal(c.framesWith('subscribe').length - c.framesWith('unsubscribe').length, 1, JSON.stringify(c.received));
  const sub = c.framesWith('subscribe').at(-1);
  assert.equal(sub.presence, true);
  assert.equal(sub.ephemeral, true);
  assert.equal(sub.name, 'Ann');
  const ann = { client: 'e1.1', user: null, name: 'Ann', since: 2, verified: false };
  const bob = { client: 'e2.1', user: 'bob', name: 'Bob', since: 1, verified: true };
  const bob2 = { client: 'e2.2', user: 'bob', name: 'Bob', since: 3, verified: true };
  c.send([{ op: 'join', room: 'chat:p', member: ann, count: 1 }, { op: 'join', room: 'chat:p', member: bob, count: 2 }, { op: 'join', room: 'chat:p', member: bob2, count: 3 }]);
  await until(() => seen('presence').then((p) => p && p.count === 3), 'three members');
  assert.deepEqual(await seen('presence'), { available: true, count: 3, listed: true, names: ['Bob', 'Ann', 'Bob'], users: 2 });
  c.send({ op: 'leave', room: 'chat:p', member: bob, count: 2 });
  await until(() => seen('presence').then((p) => p.count === 2), 'bob left once');
  assert.deepEqual((await seen('presence')).names, ['Ann', 'Bob']);
  c.send({ op: 'event', room: 'chat:p', type: 'typing', ts: 1, data: { typing: true }, ephemeral: true, client: 'e2.2' });
  await until(() => seen('signals'), 'signal');
  assert.deepEqual(await seen('signals'), [{ type: 'typing', data: { typing: true }, offset: null, client: 'e2.2' }]);
  edge.onFrame = (conn, f) => f.op === 'publish' && f.ephemeral === true && (conn.send({ op: 'ack', id: f.id, room: f.room, ephemeral: true }), true);
  await page.evaluate(() => window.__signal('typing', { typing: false }));
  await until(() => seen('signalAck'), 'signal ack');
  assert.equal(await seen('signalAck'), 'null');
  assert.equal(c.framesWith('publish').at(-1).ephemeral, true);
});

// The late component holds usePresence and useEphemeral: their one commit upgrades the subscription
// once. (When each hook upgraded it in turn, the second unsubscribe dropped what the edge sent to the
// first upgrade, and this scenario failed in about one run of five.)
await scenario('useRoom first, usePresence joins later: the one subscription is upgraded from its position, no event twice', async ({ edge, page, seen, until, url }) => {
  await page.evaluate((u) => window.__mount({ url: u, room: 'chat:u', from: 'earliest' }), url);
  await until(() => seen('connection.state').then((s) => s === 'open'), 'open');
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length >= 1, 'subscribe');
  edge.last.send([ev('chat:u', 1), ev('chat:u', 2), { op: 'live', room: 'chat:u', offset: 2 }]);
  await until(() => seen('room.offsets').then((o) => o && o.length === 2), 'two events');
  await page.evaluate(() => window.__showPresence('chat:u', 'Zed'));
  await waitUntil(() => edge.last.framesWith('subscribe').some((f) => f.presence === true), 'presence subscribe');
  const last = edge.last.framesWith('subscribe').at(-1);
  assert.deepEqual(last.from, { after: 2, epoch: 'E' }, 'resubscribed from the position');
  assert.equal(last.presence, true);
  assert.equal(last.name, 'Zed');
  assert.equal(last.ephemeral, true, 'one upgrade for both of the component\'s hooks');
  assert.equal(edge.last.framesWith('subscribe').length - edge.last.framesWith('unsubscribe').length, 1, 'one subscription left');
  edge.last.send([ev('chat:u', 3), { op: 'join', room: 'chat:u', member: { client: 'x.1', user: null, name: 'Zed', since: 1, verified: false }, count: 1 }]);
  await until(() => seen('presence').then((p) => p && p.count === 1), 'joined');
  await until(() => seen('room.offsets').then((o) => o && o.includes(3)), 'event 3');
  const offsets = await seen('room.offsets');
  assert.deepEqual(offsets, [...new Set(offsets)], 'no event twice');
});

await scenario('usePresence unmounted while useRoom stays: the subscription is made again from its position without presence or signals', async ({ edge, page, seen, until, url }) => {
  await page.evaluate((u) => window.__mount({ url: u, room: 'chat:v', from: 'earliest' }), url);
  await until(() => seen('connection.state').then((s) => s === 'open'), 'open');
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length >= 1, 'subscribe');
  edge.last.send([ev('chat:v', 1), ev('chat:v', 2), { op: 'live', room: 'chat:v', offset: 2 }]);
  await until(() => seen('room.offsets').then((o) => o && o.length === 2), 'two events');
  await page.evaluate(() => window.__showPresence('chat:v', 'Zed'));
  await waitUntil(() => edge.last.framesWith('subscribe').some((f) => f.presence === true), 'presence subscribe');
  edge.last.send([ev('chat:v', 3), { op: 'join', room: 'chat:v', member: { client: 'x.1', user: null, name: 'Zed', since: 1, verified: false }, count: 1 }]);
  await until(() => seen('presence').then((p) => p && p.count === 1), 'joined');
  await until(() => seen('room.offsets').then((o) => o && o.includes(3)), 'event 3');
  const before = edge.last.framesWith('subscribe').length;
  await page.evaluate(() => window.__hidePresence());
  await waitUntil(() => edge.last.framesWith('subscribe').length > before, 'a subscribe without presence');
  const last = edge.last.framesWith('subscribe').at(-1);
  assert.deepEqual(last.from, { after: 3, epoch: 'E' }, 'resubscribed from the position');
  assert.equal('presence' in last, false, 'no longer present');
  assert.equal('ephemeral' in last, false, 'no longer listening to signals');
  assert.equal('name' in last, false);
  await new Promise((r) => setTimeout(r, 100)); // lets a second, needless resubscribe show itself
  assert.equal(edge.last.framesWith('subscribe').length, before + 1, 'one resubscribe');
  assert.equal(edge.last.framesWith('subscribe').length - edge.last.framesWith('unsubscribe').length, 1, 'one subscription left');
  edge.last.send(ev('chat:v', 4));
  await until(() => seen('room.offsets').then((o) => o && o.includes(4)), 'event 4');
  assert.deepEqual(await seen('room.offsets'), [1, 2, 3, 4]);
});

await scenario('a lossy room dropping again and again: useRoom and useGeneration keep the newest 100 gaps, not every one', async ({ edge, page, seen, until, url }) => {
  await page.evaluate((u) => window.__mount({ url: u, room: 'logs:d', policy: 'drop-oldest', generationRoom: 'logs:d' }), url);
  await until(() => seen('connection.state').then((s) => s === 'open'), 'open');
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length >= 1, 'subscribe');
  const drops = [];
  for (let i = 0; i < 150; i++) drops.push({ op: 'dropped', room: 'logs:d', count: 1, first: 2 * i + 1, last: 2 * i + 1 }, ev('logs:d', 2 * i + 2));
  edge.last.send(drops);
  await until(() => seen('room.offsets').then((o) => o && o.at(-1) === 300), 'every event');
  await until(() => seen('generationGaps').then((g) => g && g.length > 0 && g.at(-1).first === 299), 'the last gap in useGeneration');
  for (const name of ['room.gaps', 'generationGaps']) {
    const gaps = await seen(name);
    assert.equal(gaps.length, 100, name);
    assert.deepEqual([gaps[0].first, gaps.at(-1).first], [101, 299], `${name}: the newest kept`);
  }
  assert.equal((await seen('room.offsets')).length, 150, 'a dropped gap keeps the events shown');
});

await scenario('usePublish in a mount effect under a url provider: the publish waits for the client, then is acked', async ({ edge, page, seen, until, url }) => {
  await page.evaluate((u) => window.__mount({ url: u, earlyPublishRoom: 'chat:e' }), url);
  // StrictMode runs the mount effect twice: two publishes, both wait for the client and are acked; none is refused.
  await until(() => seen('earlyAcks').then((a) => a && a.length === 2), 'both acks');
  assert.equal(await seen('earlyError'), undefined);
  assert.deepEqual(edge.last.framesWith('publish').map((f) => f.data), [{ early: true }, { early: true }]);
});

await scenario('a useRoom mounted later gets the newest limit events and is told the room is live, though the live marker left the kept items', async ({ edge, page, seen, until, url }) => {
  await page.evaluate((u) => window.__mount({ url: u, room: 'chat:l', limit: 2 }), url);
  await until(() => seen('connection.state').then((s) => s === 'open'), 'open');
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length >= 1, 'subscribe');
  // the marker first, then more events than the feed keeps (limit + the gaps' 100 slots)
  const events = [];
  for (let o = 2; o <= 150; o++) events.push(ev('chat:l', o));
  edge.last.send([ev('chat:l', 1), { op: 'live', room: 'chat:l', offset: 1 }, ...events]);
  await until(() => seen('room.offsets').then((o) => o && o.at(-1) === 150), 'every event');
  assert.deepEqual(await seen('room.offsets'), [149, 150]);
  await page.evaluate(() => window.__showRoom('chat:l', 2));
  await until(() => seen('lateRoom'), 'the late hook');
  assert.deepEqual(await seen('lateRoom'), { offsets: [149, 150], live: true });
  assert.equal(edge.last.framesWith('subscribe').length, 1, 'the late hook shares the subscription');
});

await browser.close();
http.close();
rmSync(out, { recursive: true, force: true });
console.log(failures === 0 ? '# all passed' : `# ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
