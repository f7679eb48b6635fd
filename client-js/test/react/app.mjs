// The test page for the React bindings: bundled with React by esbuild (see browser.mjs). The page
// mounts what the test asks for and publishes what the hooks return on window.__seen.
import { StrictMode, createElement as h, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import {
  RoomcastProvider, useConnectionState, useRoom, usePublish, useGeneration, usePresence, useEphemeral, useRoomcast,
} from '../../react.js';

const seen = (window.__seen = { renders: 0 });

function Report({ name, value }) {
  useEffect(() => {
    seen[name] = value;
  });
  return null;
}

function Room({ room, from, policy, limit }) {
  const r = useRoom(room, { from, policy, limit });
  const conn = useConnectionState();
  const publish = usePublish();
  const client = useRoomcast();
  useEffect(() => {
    window.__client = client;
    window.__publish = (data) => publish(room, data).then((o) => (seen.ack = o), (e) => (seen.publishError = e.code));
  });
  seen.renders++;
  return h('div', null,
    h(Report, { name: 'room', value: { offsets: r.events.map((e) => e.offset), live: r.live, gaps: r.gaps, error: r.error && r.error.code, position: r.position } }),
    h(Report, { name: 'connection', value: conn }),
    h('ul', { id: 'events' }, r.events.map((e) => h('li', { key: e.offset }, String(e.offset)))));
}

/** Publishes in its mount effect, before the provider's own effect has made the client. */
function EarlyPublisher({ room }) {
  const publish = usePublish();
  useEffect(() => {
    publish(room, { early: true }).then((o) => (seen.earlyAcks = (seen.earlyAcks || []).concat(o)),
      (e) => (seen.earlyError = `${e.name} ${e.code}`));
  }, [publish, room]);
  return null;
}

function Generations({ room }) {
  const g = useGeneration(room);
  useEffect(() => {
    window.__cancelLatest = () => g.latest && g.latest.cancel();
    window.__prompt = (text) => g.prompt(text);
  });
  return h('div', null,
    h(Report, { name: 'generations', value: g.generations.map(({ cancel, tokens, ...rest }) => rest) }),
    h(Report, { name: 'generationGaps', value: g.gaps }),
    g.generations.map((x) => h('p', { key: x.key, className: 'answer' }, `${x.status}: ${x.text}`)));
}

function Presence({ room, name }) {
  const p = usePresence(room, { name });
  const signal = useEphemeral(room, (s) => (seen.signals = (seen.signals || []).concat({ type: s.type, data: s.data, offset: s.offset, client: s.client })));
  useEffect(() => {
    window.__signal = (type, data) => signal(type, data).then((o) => (seen.signalAck = o === null ? 'null' : o), (e) => (seen.signalError = e.code));
  });
  return h('div', null,
    h(Report, { name: 'presence', value: { available: p.available, count: p.count, listed: p.listed, names: p.members.map((m) => m.name), users: p.users.length } }),
    h('ul', { id: 'members' }, p.members.map((m) => h('li', { key: m.client }, m.name))));
}

/**
 * Mounts Presence later, inside the same provider (and client): window.__showPresence(room, name);
 * window.__hidePresence() unmounts it again.
 */
function LatePresence() {
  const [shown, setShown] = useState(null);
  useEffect(() => {
    window.__showPresence = (room, name) => setShown({ room, name });
    window.__hidePresence = () => setShown(null);
  }, []);
  return shown ? h(Presence, shown) : null;
}

/** A second useRoom of a room, mounted later: window.__showRoom(room, limit). */
function LateRoom() {
  const [shown, setShown] = useState(null);
  useEffect(() => {
    window.__showRoom = (room, limit) => setShown({ room, limit });
  }, []);
  return shown ? h(LateRoomView, shown) : null;
}

function LateRoomView({ room, limit }) {
  const r = useRoom(room, { limit });
  return h(Report, { name: 'lateRoom', value: { offsets: r.events.map((e) => e.offset), live: r.live } });
}

let root = null;
window.__mount = ({ url, strict = true, room, from, policy, limit, generationRoom, presenceRoom, name, earlyPublishRoom }) => {
  const children = [];
  if (earlyPublishRoom) children.push(h(EarlyPublisher, { key: 'early', room: earlyPublishRoom }));
  if (room) children.push(h(Room, { key: 'room', room, from, policy, limit }));
  if (generationRoom) children.push(h(Generations, { key: 'gen', room: generationRoom }));
  if (presenceRoom) children.push(h(Presence, { key: 'presence', room: presenceRoom, name }));
  children.push(h(LatePresence, { key: 'late' }));
  children.push(h(LateRoom, { key: 'lateRoom' }));
  const options = { backoff: { minMs: 10, initialMs: 20, maxMs: 100 }, pingIntervalMs: 3600000 };
  const app = h(RoomcastProvider, { url, options }, children);
  root = createRoot(document.getElementById('root'));
  root.render(strict ? h(StrictMode, null, app) : app);
};
window.__unmount = () => {
  root.unmount();
  root = null;
};
