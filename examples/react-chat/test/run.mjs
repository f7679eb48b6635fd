#!/usr/bin/env node
// Installs the chat the way a user would (the `npm pack` tarball of client-js, React from npm),
// builds it with esbuild and runs it in headless Chromium against a real edge: two people chat, one
// asks the model, and both see the answer stream in. The model is played by whoever runs this
// script (ws-edge's ExampleReactChatIT writes the generation records into Kafka).
//
// Environment: ROOMCAST_URL (edge base URL, required), ROOMCAST_ROOM (a chat room, required),
// ROOMCAST_CHROMIUM (default /usr/bin/chromium).
// Protocol: JSON lines on stdout. {"event":"prompt","offset":N} when the prompt is in the room; the
// runner then reads one line on stdin (the generation id the model answers with) and ends with
// {"ok":true} or {"ok":false,"error":...}.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const here = new URL('..', import.meta.url).pathname;
const clientJs = new URL('../../../client-js/', import.meta.url).pathname;
const { chromium } = await import(join(clientJs, 'node_modules/playwright-core/index.mjs'));
const { connect } = await import(join(clientJs, 'roomcast.js'));
const { default: WebSocket } = await import(join(clientJs, 'node_modules/ws/wrapper.mjs'));

const EDGE = process.env.ROOMCAST_URL;
const ROOM = process.env.ROOMCAST_ROOM;
if (!EDGE || !ROOM) throw new Error('ROOMCAST_URL and ROOMCAST_ROOM are required');
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const log = (m) => process.stderr.write(m + '\n');
const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const work = mkdtempSync(join(tmpdir(), 'react-chat-'));
let browser;
let server;
let watcher;
try {
  for (const f of ['package.json', 'build.mjs', 'index.html', 'src']) cpSync(join(here, f), join(work, f), { recursive: true });
  const npm = (args, cwd) => execFileSync('npm', args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  log('-- npm pack client-js');
  npm(['pack', '--pack-destination', work], clientJs);
  log('-- npm install (the tarball, React from npm)');
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund'], work);
  const installed = JSON.parse(readFileSync(join(work, 'node_modules/roomcast-client/package.json'), 'utf8'));
  if (!installed.exports['./react']) throw new Error('the tarball has no react entry point');
  log('-- build');
  execFileSync(process.execPath, ['build.mjs'], { cwd: work, stdio: 'inherit' });

  server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const file = path === '/' ? 'index.html' : path.slice(1);
    if (!['index.html', 'app.js'].includes(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' })
      .end(readFileSync(join(work, 'dist', file)));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const site = `http://127.0.0.1:${server.address().port}/`;

  // Watches the room like any other client, to tell the model about the prompt.
  const prompts = [];
  watcher = connect(EDGE, { WebSocket });
  watcher.subscribe(ROOM, (e) => e.type === 'prompt' && prompts.push(e));

  browser = await chromium.launch({
    executablePath: process.env.ROOMCAST_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const open = async (name) => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => log(`[${name} page error] ${e.message}`));
    await page.goto(`${site}?edge=${encodeURIComponent(EDGE)}&room=${encodeURIComponent(ROOM)}&name=${name}`);
    await page.waitForSelector('.status[data-state="open"]', { timeout: 30000 });
    return page;
  };
  const ann = await open('ann');
  const bob = await open('bob');

  log('-- ann says hello; bob sees it');
  await ann.fill('#text', 'hello from ann');
  await ann.click('#send');
  await bob.waitForFunction(() => [...document.querySelectorAll('#messages li')].some((li) => li.textContent === 'ann: hello from ann'), null, { timeout: 30000 });

  log('-- ann asks the model; both see the answer stream in');
  await ann.fill('#text', 'what is a partition?');
  await ann.click('#ask');
  const deadline = Date.now() + 30000;
  while (prompts.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (prompts.length === 0) throw new Error('the prompt never reached the room');
  say({ event: 'prompt', offset: prompts[0].offset });
  await stdin.next(); // the model has written its answer
  for (const page of [ann, bob]) {
    await page.waitForFunction(() => {
      const a = document.querySelector('#answers .answer');
      return a && a.dataset.status === 'done' && a.querySelector('.text').textContent === 'A partition is an ordered log.';
    }, null, { timeout: 30000 });
  }
  // a late joiner rebuilds the answer from the room's history
  const carol = await open('carol');
  await carol.waitForFunction(() => {
    const a = document.querySelector('#answers .answer');
    return a && a.dataset.status === 'done' && a.querySelector('.text').textContent === 'A partition is an ordered log.';
  }, null, { timeout: 30000 });
  say({ ok: true });
} catch (e) {
  say({ ok: false, error: String(e && e.stack) });
  process.exitCode = 1;
} finally {
  if (watcher) watcher.close();
  if (browser) await browser.close();
  if (server) server.close();
  rmSync(work, { recursive: true, force: true });
  process.exit();
}
