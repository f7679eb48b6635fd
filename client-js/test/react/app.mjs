// The test page for the React bindings: bundled with React by esbuild (see browser.mjs). The page
// mounts what the test asks for and publishes what the hooks return on window.__seen.
import { StrictMode, createElement as h, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import {
  RoomcastProvider, useConnectionState, useRoom, usePublish, useGeneration, usePresence, useRoomcast,
} from '../../react.js';

const seen = (window.__seen = { renders: 0 });

function Report({ name, value }) {
  useEffect(() => {
    seen[name] = value;
  });
  return null;
}

function Room({ room, from, policy }) {
  const r = useRoom(room, { from, policy });
  const conn = useConnectionState();
  const publish = usePublish();
  const presence = usePresence(room);
  const client = useRoomcast();
  useEffect(() => {
    window.__client = client;
    window.__publish = (data) => publish(room, data).then((o) => (seen.ack = o), (e) => (seen.publishError = e.code));
  });
  seen.renders++;
  return h('div', null,
    h(Report, { name: 'room', value: { offsets: r.events.map((e) => e.offset), live: r.live, gaps: r.gaps, error: r.error && r.error.code, position: r.position } }),
    h(Report, { name: 'connection', value: conn }),
    h(Report, { name: 'presence', value: presence }),
    h('ul', { id: 'events' }, r.events.map((e) => h('li', { key: e.offset }, String(e.offset)))));
}

function Generations({ room }) {
  const g = useGeneration(room);
  useEffect(() => {
    window.__cancelLatest = () => g.latest && g.latest.cancel();
    window.__prompt = (text) => g.prompt(text);
  });
  return h('div', null,
    h(Report, { name: 'generations', value: g.generations.map(({ cancel, tokens, ...rest }) => rest) }),
    g.generations.map((x) => h('p', { key: x.key, className: 'answer' }, `${x.status}: ${x.text}`)));
}

let root = null;
window.__mount = ({ url, strict = true, room, from, policy, generationRoom }) => {
  const children = [];
  if (room) children.push(h(Room, { key: 'room', room, from, policy }));
  if (generationRoom) children.push(h(Generations, { key: 'gen', room: generationRoom }));
  const options = { backoff: { minMs: 10, initialMs: 20, maxMs: 100 }, pingIntervalMs: 3600000 };
  const app = h(RoomcastProvider, { url, options }, children);
  root = createRoot(document.getElementById('root'));
  root.render(strict ? h(StrictMode, null, app) : app);
};
window.__unmount = () => {
  root.unmount();
  root = null;
};
