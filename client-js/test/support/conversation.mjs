// Replays a recorded conversation of protocol/conversations/ against roomcast.js: a fake edge plays
// the edge's frames, the script checks the frames the client sends and what the application sees.
// The file format is described in protocol/conversations/README.md.
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect } from '../../roomcast.js';
import { startFakeEdge, waitUntil } from './fake-edge.mjs';

const FAST = { minMs: 5, initialMs: 10, maxMs: 40, factor: 2, resetAfterMs: 60000, random: () => 1 };

/** Whether `actual` matches `expected`: given fields equal (objects recursively), "$any" matches anything. */
export function matches(expected, actual) {
  if (expected === '$any') return true;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(e, actual[i]));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.keys(expected).every((k) => matches(expected[k], actual[k]));
  }
  return Object.is(expected, actual);
}

export async function replay(conversation) {
  const edge = await startFakeEdge();
  edge.onFrame = () => true; // the script answers everything
  const observed = [];
  const options = { WebSocket, backoff: FAST, pingIntervalMs: 3600000 };
  const c = conversation.client || {};
  if (Array.isArray(c.token)) {
    let n = 0;
    options.token = () => {
      observed.push({ kind: 'token' });
      return c.token[Math.min(n++, c.token.length - 1)];
    };
  } else if (c.token !== undefined) {
    options.token = c.token;
  }
  if (c.tokenInUrl) options.tokenInUrl = true;
  const rc = connect(edge.url, options);
  rc.on('state', (state, info) => {
    if (state === 'connecting') return;
    const o = { kind: 'state', state };
    if (info && info.error) o.code = info.error.code;
    observed.push(o);
  });
  rc.on('gap', (g) => observed.push({ kind: 'gap', room: g.room, reason: g.reason, after: g.after, resumeAt: g.resumeAt, count: g.count, first: g.first, last: g.last }));
  rc.on('error', (e) => observed.push({ kind: 'error', code: e.code }));

  let conn = null;
  let sentIndex = 0;
  const lastIds = {};
  let seen = 0;
  const resolve = (v) => {
    if (typeof v === 'string') {
      if (v.startsWith('$id:')) return lastIds[v.slice(4)];
      const now = /^\$now\+(\d+)$/.exec(v);
      if (now) return Date.now() + Number(now[1]);
      return v;
    }
    if (Array.isArray(v)) return v.map(resolve);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
    return v;
  };
  const describe = (i, step) => `step ${i} ${JSON.stringify(step)}; observed ${JSON.stringify(observed.slice(seen))}`;

  try {
    for (const [i, step] of conversation.steps.entries()) {
      if (step.app) {
        const a = step.app;
        if (a.subscribe !== undefined) {
          const opts = {
            onError: (e) => observed.push({ kind: 'subscriptionError', room: a.subscribe, code: e.code, retrying: e.retrying }),
            onLive: (l) => observed.push({ kind: 'live', room: l.room, offset: l.offset }),
          };
          if (a.from !== undefined) opts.from = a.from;
          if (a.policy !== undefined) opts.policy = a.policy;
          for (const flag of ['presence', 'ephemeral', 'compact']) if (a[flag] !== undefined) opts[flag] = a[flag];
          if (a.name !== undefined) opts.name = a.name;
          const membership = (kind) => (c) => observed.push({ kind, room: c.room, client: c.member.client, name: c.member.name, count: c.count });
          opts.onJoin = membership('join');
          opts.onLeave = membership('leave');
          opts.onEphemeral = (e) => observed.push({ kind: 'ephemeral', room: e.room, type: e.type, data: e.data, client: e.client });
          opts.onPartial = (p) => observed.push({ kind: 'partial', room: p.room, generationId: p.generationId, fromSeq: p.fromSeq, toSeq: p.toSeq, offset: p.offset, text: p.text });
          opts.onSnapshot = (x) => observed.push({ kind: 'snapshot', room: x.room, offset: x.offset, epoch: x.epoch, data: x.data });
          rc.subscribe(a.subscribe, opts, (e) => {
            const o = { kind: 'event', room: e.room, offset: e.offset, type: e.type, data: e.data };
            if (e.eventId !== undefined) o.eventId = e.eventId;
            observed.push(o);
          });
        } else if (a.unsubscribe !== undefined) {
          rc._subs.get(a.unsubscribe).unsubscribe();
        } else if (a.publish !== undefined) {
          const po = {};
          if (a.type !== undefined) po.type = a.type;
          if (a.eventId !== undefined) po.eventId = a.eventId;
          if (a.ephemeral !== undefined) po.ephemeral = a.ephemeral;
          rc.publish(a.publish, a.data, po).then(
            (offset) => observed.push({ kind: 'ack', as: a.as, offset }),
            (e) => observed.push({ kind: 'publishError', as: a.as, code: e.code }));
        } else if (a.presence !== undefined) {
          rc.presence(a.presence).then(
            (p) => observed.push({ kind: 'presence', as: a.as, count: p.count, names: (p.members || []).map((m) => m.name) }),
            (e) => observed.push({ kind: 'presenceError', as: a.as, code: e.code }));
        } else {
          throw new Error(`unknown app step ${JSON.stringify(a)}`);
        }
      } else if (step.connected !== undefined) {
        await waitUntil(() => edge.connections.length >= step.connected, describe(i, step));
        conn = edge.connections[step.connected - 1];
        sentIndex = 0;
        if (step.query !== undefined) {
          const q = conn.path.includes('?') ? conn.path.slice(conn.path.indexOf('?') + 1) : '';
          assert.equal(q, step.query, `connection ${step.connected} query`);
        }
      } else if (step.send !== undefined) {
        const next = () => {
          while (sentIndex < conn.received.length && conn.received[sentIndex].op === 'ping') sentIndex++;
          return conn.received[sentIndex];
        };
        const frame = await waitUntil(next, describe(i, step));
        assert.ok(matches(step.send, frame), `${describe(i, step)}: the client sent ${JSON.stringify(frame)}`);
        lastIds[frame.op] = frame.id;
        sentIndex++;
      } else if (step.receive !== undefined) {
        conn.send(resolve(step.receive));
      } else if (step.receiveRaw !== undefined) {
        conn.send(step.receiveRaw);
      } else if (step.closeBy !== undefined) {
        conn.close(step.closeBy.code, step.closeBy.reason);
      } else if (step.expect !== undefined) {
        await waitUntil(() => observed.length > seen, describe(i, step));
        assert.ok(matches(step.expect, observed[seen]), `${describe(i, step)}: saw ${JSON.stringify(observed[seen])}`);
        seen++;
      } else if (step.expectUnordered !== undefined) {
        const n = step.expectUnordered.length;
        await waitUntil(() => observed.length >= seen + n, describe(i, step));
        const got = observed.slice(seen, seen + n);
        for (const e of step.expectUnordered) {
          const k = got.findIndex((o) => matches(e, o));
          assert.ok(k >= 0, `${describe(i, step)}: nothing matches ${JSON.stringify(e)} in ${JSON.stringify(got)}`);
          got.splice(k, 1);
        }
        seen += n;
      } else {
        throw new Error(`unknown step ${JSON.stringify(step)}`);
      }
    }
    assert.deepEqual(observed.slice(seen), [], 'nothing else reached the application');
  } finally {
    rc.close();
    await edge.close();
  }
}
