#!/usr/bin/env node
// Smoke test of reconnect.mjs and roomcast.js in headless Chromium against the in-process MiniEdge
// (no Java, no Kafka): events keep being written while the edge crashes and comes back; the page
// must see every event of the room exactly once, in order. Drives reconnect.mjs exactly the way the
// Java integration test does (child process, commands on stdin, JSON lines on stdout).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';
import { MiniEdge } from '../support/mini-edge.mjs';

const ROOM = 'chat:smoke';
const TOTAL = 150;
const edge = await new MiniEdge().start();
edge.append('chat:other', 'noise before');

const child = spawn(process.execPath, [new URL('./reconnect.mjs', import.meta.url).pathname], {
  env: { ...process.env, ROOMCAST_URL: `http://127.0.0.1:${edge.port}`, ROOMCAST_ROOM: ROOM, ROOMCAST_BACKOFF_MAX_MS: '2000' },
  stdio: ['pipe', 'pipe', 'inherit'],
});
const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
async function next() {
  const { value, done } = await answers.next();
  if (done) throw new Error('reconnect.mjs ended early');
  console.log('<', value.length > 300 ? value.slice(0, 300) + '...' : value);
  return JSON.parse(value);
}
async function command(line) {
  console.log('>', line);
  child.stdin.write(line + '\n');
  return next();
}
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

try {
  const ready = await next();
  assert.equal(ready.ok, true, 'ready');
  // Two crashes; each time the edge stays down ~1 s while events keep being written, and the
  // next crash waits until the page has reconnected.
  let opens = 1;
  for (let i = 0; i < TOTAL; i++) {
    edge.append(ROOM, { seq: i });
    if (i % 3 === 0) edge.append('chat:other', 'noise'); // makes the room's offsets non-contiguous
    if (i === 50 || i === 100) {
      console.log(`-- edge crashes after event ${i}; events keep being written`);
      await edge.stop();
    }
    if (i === 80 || i === 130) {
      await edge.start();
      console.log('-- edge is back');
      assert.equal((await command(`wait-opens ${++opens} 30000`)).ok, true, 'reconnected');
    }
    await pause(i > 50 && i < 80 || i > 100 && i < 130 ? 35 : 10);
  }
  assert.equal((await command(`wait-count ${TOTAL} 30000`)).ok, true, 'every event');
  const published = await command('publish 5 smoke');
  assert.equal(published.ok, true);
  assert.equal((await command(`wait-count ${TOTAL + 5} 30000`)).ok, true, 'own publishes');
  const dump = await command('dump');
  assert.deepEqual(dump.offsets, edge.offsetsOf(ROOM), 'exactly the room\'s events, once each, in order');
  assert.equal(dump.duplicates, 0);
  assert.equal(dump.outOfOrder, 0);
  assert.deepEqual(dump.data.slice(0, TOTAL).map((d) => d.seq), [...Array(TOTAL).keys()]);
  assert.deepEqual(dump.eventIds.slice(TOTAL), ['smoke-0', 'smoke-1', 'smoke-2', 'smoke-3', 'smoke-4']);
  assert.ok(dump.states.some((s) => s.state === 'reconnecting'));
  if (process.env.SMOKE_SCREENSHOT) await command(`screenshot ${process.env.SMOKE_SCREENSHOT}`);
  await command('quit');
  console.log('1 passed, 0 failed');
} catch (e) {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
  child.kill();
} finally {
  await edge.stop().catch(() => {});
}
