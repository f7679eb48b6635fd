// The landing page (/): this edge's readiness and the rooms its directory knows.
import { h } from './common.js';

const health = document.getElementById('health');

async function checkHealth() {
  try {
    const res = await fetch('/readyz', { cache: 'no-store' });
    health.dataset.state = res.ok ? 'open' : 'reconnecting';
    health.textContent = res.ok ? 'this edge is ready' : 'this edge is not ready';
  } catch {
    health.dataset.state = 'offline';
    health.textContent = 'this edge is unreachable';
  }
}

function link(room) {
  if (room.startsWith('chat:')) return `/chat?room=${encodeURIComponent(room)}`;
  if (room.startsWith('logs:')) return `/logs?room=${encodeURIComponent(room)}`;
  if (room.startsWith('sys:')) return '/status';
  return null;
}

async function loadRooms() {
  const list = document.getElementById('rooms');
  try {
    const res = await fetch('/rooms', { cache: 'no-store' });
    if (!res.ok) throw new Error(String(res.status));
    const { rooms = [] } = await res.json();
    if (!rooms.length) {
      list.replaceChildren(h('li', { text: 'none yet — open a chat room or ship some logs' }));
      return;
    }
    list.replaceChildren(...rooms.slice(0, 50).map((r) => {
      const href = typeof r.room === 'string' ? link(r.room) : null;
      const label = String(r.room);
      return h('li', {}, href ? h('a', { href, text: label }) : label,
        r.source ? ` · ${String(r.source)}` : '', r.lastActivity ? ` · ${new Date(r.lastActivity).toLocaleString()}` : '');
    }));
  } catch {
    list.replaceChildren(h('li', { text: 'the room directory is not available on this edge' }));
  }
}

checkHealth();
loadRooms();
setInterval(checkHealth, 10000);
