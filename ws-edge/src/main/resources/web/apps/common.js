// Shared pieces of the Roomcast apps: safe DOM building, the connection to this edge, the
// connection indicator. Plain ES module, no build step; everything user-supplied goes through
// textContent, never innerHTML.
import { connect } from '/roomcast.js';

/** Room names as the protocol allows them (docs/protocol.md). */
export const ROOM_NAME = /^[A-Za-z0-9._:@\/-]{1,200}$/;

/**
 * Creates an element. `attrs`: `class`, `text` (textContent), `data` (dataset), `on` (listeners),
 * anything else as an attribute. Children: nodes, or strings added as text nodes.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'data') Object.assign(el.dataset, v);
    else if (k === 'on') for (const [type, fn] of Object.entries(v)) el.addEventListener(type, fn);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** An event of unexpected shape, shown as text: type, offset and the JSON of its data (bounded). */
export function rawEvent(ev) {
  let data;
  try {
    data = typeof ev.data === 'string' ? ev.data : JSON.stringify(ev.data);
  } catch {
    data = String(ev.data);
  }
  if (data && data.length > 2000) data = data.slice(0, 2000) + '…';
  return h('div', { class: 'raw', data: { offset: String(ev.offset), type: String(ev.type) } },
    `${ev.type} @${ev.offset}${ev.encoding ? ' (' + ev.encoding + ')' : ''}: ${data}`);
}

/**
 * The token for this page, if any: from the URL fragment `#token=...` (never a query string, which
 * ends up in access logs), kept for the tab in sessionStorage, or from a login hook the hosting page
 * defines as `window.roomcastToken()` (called before every connection attempt, so an expired token
 * is refreshed through the same hook). `onToken` sees every token: the stored one now, each one
 * from the hook when the client asks for it.
 */
export function pageToken(onToken = () => {}) {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fromFragment = fragment.get('token');
  if (fromFragment) {
    sessionStorage.setItem('roomcast.token', fromFragment);
    fragment.delete('token');
    const rest = fragment.toString();
    history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
  }
  if (typeof window.roomcastToken === 'function') {
    return async () => {
      const token = await window.roomcastToken();
      onToken(token);
      return token;
    };
  }
  const stored = sessionStorage.getItem('roomcast.token') || undefined;
  if (stored) onToken(stored);
  return stored;
}

/** The claims of a JWT (unverified, for display only), or null. */
export function tokenClaims(token) {
  if (typeof token !== 'string') return null;
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part));
  } catch {
    return null;
  }
}

/** Connects to the edge that served this page; `onToken` as for pageToken. */
export function connectHere(options = {}, onToken = undefined) {
  const token = pageToken(onToken);
  return connect(location.origin, { ...(token ? { token } : {}), ...options });
}

/**
 * Keeps `el` showing the connection: connected / connecting / reconnecting in N s (counting down) /
 * offline, with the edge's reason when it gave one, and `position()` (a short text such as
 * "chat:lobby @ 1042") after it.
 */
export function connectionIndicator(el, client, position = () => '') {
  let state = client.state;
  let retryAt = 0;
  let why = ''; // why the edge closed the connection, when it said (a refusal at the door does not reach the page)
  const label = h('span', { class: 'label' });
  const pos = h('span', { class: 'pos' });
  el.replaceChildren(label, pos);
  el.setAttribute('role', 'status');
  el.setAttribute('aria-live', 'polite');
  const render = () => {
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    let text;
    if (state === 'open') text = 'connected';
    else if (state === 'connecting') text = 'connecting…';
    else if (state === 'reconnecting') {
      const left = Math.ceil((retryAt - Date.now()) / 1000);
      text = left > 0 ? `reconnecting in ${left} s` : 'reconnecting…';
      if (offline) text = 'offline · ' + text;
    } else text = 'offline';
    if (why && state !== 'open' && state !== 'connecting') text += ` · ${why}`;
    el.dataset.state = state === 'closed' ? 'offline' : state;
    if (label.textContent !== text) label.textContent = text;
    const p = position();
    if (pos.textContent !== p) pos.textContent = p;
  };
  client.on('state', (s, info) => {
    state = s;
    retryAt = s === 'reconnecting' && typeof info.delayMs === 'number' ? Date.now() + info.delayMs : 0;
    if (s === 'open') why = '';
    else if (info && (info.error || info.reason)) why = info.error ? info.error.message : info.reason;
    render();
  });
  setInterval(render, 250);
  render();
  return { render };
}

/** Formats ms since the epoch as a local time of day; the full ISO time goes into a title. */
export function timeOfDay(ts) {
  const d = new Date(ts);
  return Number.isFinite(d.getTime()) ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '';
}

export function isoTime(ts) {
  const d = new Date(ts);
  return Number.isFinite(d.getTime()) ? d.toISOString() : '';
}
