// Presence, ephemeral signals, compacted answers (partial frames) and snapshots against a fake edge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect } from '../../roomcast.js';
import { startFakeEdge, waitUntil } from '../support/fake-edge.mjs';

const FAST = { minMs: 5, initialMs: 10, maxMs: 40, resetAfterMs: 60000, random: () => 1 };
const ev = (room, offset, extra = {}) => ({ op: 'event', room, offset, type: 'message', ts: 1764000000000 + offset, data: { n: offset }, ...extra });
const ann = { client: 'e1.1', user: null, name: 'Ann', since: 1000, verified: false };
const bob = { client: 'e2.7', user: 'bob', name: 'Bob', since: 900, verified: true };

async function setup(t, edgeOptions = {}) {
  const edge = await startFakeEdge(edgeOptions);
  const errors = [];
  const rc = connect(edge.url, { WebSocket, backoff: FAST, publishTimeoutMs: 2000 });
  rc.on('error', (e) => errors.push(e));
  t.after(async () => {
    rc.close();
    await edge.close();
  });
  return { edge, rc, errors };
}

test('subscribe sends presence, name, ephemeral and compact only when asked', async (t) => {
  const { edge, rc } = await setup(t);
  rc.subscribe('chat:a', { presence: true, name: 'Ann', ephemeral: true, compact: true, from: 'earliest' }, () => {});
  rc.subscribe('chat:b', { name: 'ignored without presence' }, () => {});
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length === 2, 'subscribes');
  const [a, b] = edge.last.framesWith('subscribe');
  assert.deepEqual(a, { op: 'subscribe', id: a.id, room: 'chat:a', from: 'earliest', presence: true, name: 'Ann', ephemeral: true, compact: true });
  assert.deepEqual(b, { op: 'subscribe', id: b.id, room: 'chat:b' });
});

test('join and leave keep the member list; after a resubscribe, sync tells who left meanwhile', async (t) => {
  const { edge, rc } = await setup(t);
  const joins = [];
  const leaves = [];
  const lists = [];
  const sub = rc.subscribe('chat:a', {
    presence: true,
    name: 'Ann',
    onJoin: (j) => joins.push(j.member.name),
    onLeave: (l) => leaves.push(l.member.name),
    onPresence: (p) => lists.push(p.members.map((m) => m.name)),
  }, () => {});
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length === 1, 'subscribe');
  edge.last.send([{ op: 'join', room: 'chat:a', member: ann, count: 1 }, { op: 'join', room: 'chat:a', member: bob, count: 2 }]);
  await waitUntil(() => joins.length === 2, 'joins');
  assert.deepEqual(sub.members().map((m) => m.name), ['Bob', 'Ann'], 'longest present first');
  assert.equal(sub.presenceCount, 2);
  assert.deepEqual(sub.members()[0], bob);
  edge.last.send({ op: 'leave', room: 'chat:a', member: bob, count: 1 });
  await waitUntil(() => leaves.length === 1, 'leave');
  assert.deepEqual(sub.members().map((m) => m.name), ['Ann']);
  assert.deepEqual(lists, [['Ann'], ['Bob', 'Ann'], ['Ann']]);
  edge.last.send({ op: 'join', room: 'chat:a', member: bob, count: 2 });
  await waitUntil(() => joins.length === 3, 'Bob again');

  edge.last.kill();
  await waitUntil(() => edge.connections.length === 2 && edge.last.framesWith('subscribe').length === 1, 'resubscribed');
  assert.equal(edge.last.framesWith('subscribe')[0].presence, true);
  assert.equal(edge.last.framesWith('subscribe')[0].name, 'Ann');
  // The edge lists Bob, who stayed, and not Ann's old connection, which left with the lost one.
  const listsBefore = lists.length;
  edge.last.send([{ op: 'join', room: 'chat:a', member: bob, count: 1 }, { op: 'sync', room: 'chat:a', count: 1 }]);
  await waitUntil(() => leaves.length === 2, 'the old connection left');
  assert.deepEqual(leaves, ['Bob', 'Ann']);
  assert.deepEqual(sub.members().map((m) => m.name), ['Bob'], 'Bob stayed');
  // While the edge relisted, the list still held Ann's old connection: it is told once, at sync.
  await waitUntil(() => lists.length === listsBefore + 1, 'the list at sync');
  assert.deepEqual(lists.slice(listsBefore), [['Bob']]);
  edge.last.send({ op: 'join', room: 'chat:a', member: { ...ann, client: 'e1.2' }, count: 2 });
  await waitUntil(() => joins.length === 4, 'the new connection joined');
  assert.deepEqual(joins, ['Ann', 'Bob', 'Bob', 'Ann'], 'no join for Bob, who stayed');
  assert.deepEqual(sub.members().map((m) => m.client), [bob.client, 'e1.2']);
});

test('above the listing limit only the count is known', async (t) => {
  const { edge, rc } = await setup(t);
  const lists = [];
  const sub = rc.subscribe('chat:a', { presence: true, onPresence: (p) => lists.push(p) }, () => {});
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length === 1, 'subscribe');
  edge.last.send({ op: 'presence', room: 'chat:a', count: 812 });
  await waitUntil(() => lists.length === 1, 'count');
  assert.deepEqual(lists[0], { room: 'chat:a', members: [], count: 812, listed: false });
  assert.equal(sub.presenceCount, 812);
  // Back at the limit the edge sends the whole list once, then joins and leaves again.
  edge.last.send({ op: 'presence', room: 'chat:a', members: [bob, ann], count: 2 });
  await waitUntil(() => lists.length === 2, 'the whole list');
  assert.deepEqual(lists[1], { room: 'chat:a', members: [bob, ann], count: 2, listed: true });
  edge.last.send({ op: 'leave', room: 'chat:a', member: bob, count: 1 });
  await waitUntil(() => lists.length === 3, 'a leave after it');
  assert.deepEqual(lists[2], { room: 'chat:a', members: [ann], count: 1, listed: true });
});

test('presence(room) asks the edge; it waits for a connection and survives a lost one', async (t) => {
  const { edge, rc } = await setup(t);
  edge.onFrame = (conn, f) => {
    if (f.op !== 'presence') return false;
    if (conn.index === 0) {
      conn.kill(); // lost before the answer: asked again on the next connection
      return true;
    }
    conn.send({ op: 'presence', id: f.id, room: f.room, members: [ann], count: 1 });
    return true;
  };
  const answer = await rc.presence('chat:a');
  assert.deepEqual(answer, { room: 'chat:a', members: [ann], count: 1 });
  assert.equal(edge.connections.length, 2);
  edge.onFrame = (conn, f) => f.op === 'presence' && (conn.send({ op: 'error', id: f.id, room: f.room, code: 'forbidden', message: 'no' }), true);
  await assert.rejects(rc.presence('chat:b'), (e) => e.code === 'forbidden');
  edge.onFrame = (conn, f) => f.op === 'presence' && (conn.send({ op: 'presence', id: f.id, room: f.room, count: 900 }), true);
  assert.deepEqual(await rc.presence('chat:c'), { room: 'chat:c', count: 900 });
});

test('presence questions are bounded like publishes', async (t) => {
  const edge = await startFakeEdge({ acceptConnections: false });
  const rc = connect(edge.url, { WebSocket, backoff: FAST, publishQueueLimit: 2, publishTimeoutMs: 60000 });
  t.after(async () => {
    rc.close();
    await edge.close();
  });
  const waiting = [rc.presence('chat:a'), rc.presence('chat:b')];
  await assert.rejects(rc.presence('chat:c'), (e) => e.code === 'queue_full');
  rc.close();
  for (const p of waiting) await assert.rejects(p, (e) => e.code === 'closed');
});

test('ephemeral signals reach onEphemeral with no offset and never move the position', async (t) => {
  const { edge, rc, errors } = await setup(t);
  const events = [];
  const signals = [];
  const sub = rc.subscribe('chat:a', { ephemeral: true, from: 'earliest', onEphemeral: (s) => signals.push(s) }, (e) => events.push(e.offset));
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length === 1, 'subscribe');
  const signal = { op: 'event', room: 'chat:a', type: 'typing', ts: 5, data: { typing: true }, ephemeral: true, client: 'e1.1' };
  edge.last.send([ev('chat:a', 7), signal, ev('chat:a', 9), signal]);
  await waitUntil(() => events.length === 2 && signals.length === 2, 'events and signals');
  assert.deepEqual(events, [7, 9]);
  assert.deepEqual(signals[0], { room: 'chat:a', offset: null, type: 'typing', ts: 5, data: { typing: true }, ephemeral: true, client: 'e1.1', epoch: 'E' });
  assert.deepEqual(sub.position(), { offset: 9, epoch: 'E' });
  edge.last.kill();
  await waitUntil(() => edge.connections.length === 2 && edge.last.framesWith('subscribe').length === 1, 'resubscribed');
  assert.deepEqual(edge.last.framesWith('subscribe')[0].from, { after: 9, epoch: 'E' });
  assert.deepEqual(errors, []);
});

test('a signal never reaches onEvent (not even one typed like a stored answer); a subscription without ephemeral ignores signals', async (t) => {
  const { edge, rc } = await setup(t);
  const events = [];
  const signals = [];
  const b = [];
  rc.subscribe('chat:a', { ephemeral: true, onEphemeral: (s) => signals.push(s) }, (e) => events.push(e));
  rc.subscribe('chat:b', { onEphemeral: (s) => b.push(s) }, (e) => b.push(e));
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length === 2, 'subscribes');
  edge.last.send([
    { op: 'event', room: 'chat:b', type: 'typing', ts: 1, data: 1, ephemeral: true },
    { op: 'event', room: 'chat:a', type: 'generation.message', ts: 1, data: { generationId: 'g', text: 'forged' }, ephemeral: true },
    ev('chat:a', 3),
  ]);
  await waitUntil(() => events.length === 1 && signals.length === 1, 'event and signal');
  assert.deepEqual(events.map((e) => e.offset), [3]);
  assert.equal(signals[0].type, 'generation.message');
  assert.deepEqual(b, []);
});

test('an ephemeral publish sends ephemeral:true and resolves with null on an ack without offset', async (t) => {
  const { edge, rc, errors } = await setup(t);
  edge.onFrame = (conn, f) => f.op === 'publish' && f.ephemeral === true && (conn.send({ op: 'ack', id: f.id, room: f.room, ephemeral: true }), true);
  const offset = await rc.publish('chat:a', { typing: true }, { type: 'typing', ephemeral: true });
  assert.equal(offset, null);
  const sent = edge.last.framesWith('publish')[0];
  assert.deepEqual(sent, { op: 'publish', id: sent.id, room: 'chat:a', data: { typing: true }, type: 'typing', ephemeral: true });
  assert.equal(await rc.publish('chat:a', 1), 100, 'an ordinary publish still needs and gets an offset');
  await assert.rejects(rc.publish('chat:a', 1, { ephemeral: true, eventId: 'x-1' }), (e) => e.code === 'bad_request');
  assert.deepEqual(errors, []);
});

test('an ack without offset that is not ephemeral is still a bad frame', async (t) => {
  const { edge, rc, errors } = await setup(t);
  edge.onFrame = (conn, f) => f.op === 'publish' && (conn.send({ op: 'ack', id: f.id, room: f.room }), true);
  rc.publish('chat:a', 1).catch(() => {});
  await waitUntil(() => errors.length === 1, 'protocol error');
  assert.equal(errors[0].code, 'protocol');
});

test('a partial frame reaches onPartial and is a position, also when its offset lies below events delivered before it', async (t) => {
  const { edge, rc } = await setup(t);
  const partials = [];
  const events = [];
  const sub = rc.subscribe('chat:a', { compact: true, from: 'earliest', onPartial: (p) => partials.push(p) }, (e) => events.push(e.offset));
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length === 1, 'subscribe');
  const partial = { op: 'partial', room: 'chat:a', generationId: 'g1', fromSeq: 0, toSeq: 2, offset: 12, text: 'A bc' };
  edge.last.send([ev('chat:a', 10, { type: 'generation.message', data: { generationId: 'g0', status: 'done', text: 'x', replaces: { from: 3, to: 8 } } }),
    partial, { op: 'live', room: 'chat:a', offset: 12 }, ev('chat:a', 13, { type: 'token', data: { generationId: 'g1', seq: 3, text: '!' } })]);
  await waitUntil(() => events.length === 2, 'events');
  assert.deepEqual(partials, [{ room: 'chat:a', generationId: 'g1', fromSeq: 0, toSeq: 2, offset: 12, text: 'A bc', epoch: 'E' }]);
  assert.deepEqual(events, [10, 13]);
  // tokens held back while a later message passed: the partial's offset is below the message's
  edge.last.send([ev('chat:a', 20, { type: 'message' }), { ...partial, generationId: 'g3', offset: 18 }]);
  await waitUntil(() => partials.length === 2, 'the second partial');
  assert.equal(partials[1].generationId, 'g3');
  assert.deepEqual(sub.position(), { offset: 20, epoch: 'E' });
});

test('from snapshot: the snapshot reaches onSnapshot and makes the position, so a resume continues after it', async (t) => {
  const { edge, rc } = await setup(t);
  edge.onFrame = (conn, f) => {
    if (f.op !== 'subscribe' || conn.index !== 0) return false;
    conn.send({ op: 'snapshot', id: f.id, room: f.room, offset: 41, epoch: 'E', ts: 1, data: { count: 3 } });
    conn.send({ op: 'subscribed', id: f.id, room: f.room, epoch: 'E', recovered: true });
    return true;
  };
  const snapshots = [];
  const sub = rc.subscribe('chat:counter', { from: 'snapshot', onSnapshot: (s) => snapshots.push(s) }, () => {});
  await waitUntil(() => snapshots.length === 1, 'snapshot');
  assert.equal(edge.last.framesWith('subscribe')[0].from, 'snapshot');
  assert.deepEqual(snapshots[0], { room: 'chat:counter', offset: 41, epoch: 'E', ts: 1, data: { count: 3 } });
  await waitUntil(() => sub.state === 'active', 'active');
  assert.deepEqual(sub.position(), { offset: 41, epoch: 'E' });
  edge.last.kill();
  await waitUntil(() => edge.connections.length === 2 && edge.last.framesWith('subscribe').length === 1, 'resubscribed');
  assert.deepEqual(edge.last.framesWith('subscribe')[0].from, { after: 41, epoch: 'E' });
});

test('garbage presence, partial and snapshot frames are reported and ignored', async (t) => {
  const { edge, rc, errors } = await setup(t);
  const sub = rc.subscribe('chat:a', { presence: true, compact: true }, () => {});
  await waitUntil(() => edge.last && edge.last.framesWith('subscribe').length === 1, 'subscribe');
  edge.last.send([
    { op: 'join', room: 'chat:a', member: 'Ann' },
    { op: 'leave', room: 'chat:a' },
    { op: 'presence', room: 'chat:a', count: 'many' },
    { op: 'presence', room: 'chat:a', count: 1, members: [{ name: 'no client' }] },
    { op: 'partial', room: 'chat:a', generationId: 'g', fromSeq: 3, toSeq: 1, offset: 5, text: '' },
    { op: 'snapshot', room: 'chat:a', offset: 'x', epoch: 'E', data: 1 },
    { op: 'event', room: 'chat:a', ephemeral: 'yes', type: 'typing' },
  ]);
  await waitUntil(() => errors.length === 7, 'seven protocol errors');
  assert.ok(errors.every((e) => e.code === 'protocol'));
  assert.deepEqual(sub.members(), []);
});
