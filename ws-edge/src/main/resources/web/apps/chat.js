// The chat app (/chat): a room's conversation, with the model's answers assembled token by token.
// See docs/apps.md. Everything from the room is rendered with textContent only.
import { h, rawEvent, connectHere, connectionIndicator, timeOfDay, isoTime, tokenClaims, ROOM_NAME } from './common.js';
import { Answers } from './answers.js';

const MODEL_MENTION = /^\s*@model\b\s*/i;
const $ = (id) => document.getElementById(id);
const conversation = $('conversation');
const roomInput = $('room');
const nameInput = $('name');
const text = $('text');

// This browser's id: own messages (eventId prefix) are marked as mine, also after a reload.
const session = localStorage.getItem('roomcast.clientId') || Math.random().toString(36).slice(2, 8);
localStorage.setItem('roomcast.clientId', session);
// Event ids must not repeat within the edge's dedupe window, also across reloads: a per-page part.
const pageLoad = Math.random().toString(36).slice(2, 8);
let published = 0;
const members = $('members');
const typingLine = $('typing');
const TYPING_EVERY_MS = 2000; // at most one typing signal per 2 s while typing
/** Tells this page's typing signals from others': a connection does not learn its own presence id. */
const PAGE = Math.random().toString(36).slice(2, 12);
const TYPING_SHOWN_MS = 3500; // a typist is shown this long after their last signal
// A tab left open for days keeps only the newest items (messages, answers, notes); Kafka keeps the rest.
const MAX_ITEMS = 1000;
const typists = new Map(); // presence client id -> {name, until}
let typingSentAt = 0;
const answers = new Answers();
const answerViews = new Map(); // Answer -> view
const answerOfElement = new WeakMap(); // an answer's bubble -> its Answer, to forget it with the bubble
let room = null;
let sub = null;
let directoryRooms = []; // the chat rooms the edge's room directory knows
// This page's own messages until the room delivers them: eventId -> {el, state, ...}. Shown at the
// bottom as "sending…" from the moment they are sent; the room's event replaces them in place of order.
const outbox = new Map();

// Display name: kept in localStorage, unless the page's token names the user (showTokenName).
nameInput.value = localStorage.getItem('roomcast.name') || 'guest-' + session.slice(0, 4);
const client = connectHere({}, showTokenName);
// For the browser tests; `receive` is the subscription's event path (to feed events).
window.__chat = { client, answers, receive: onEvent, room: () => room, subscription: () => sub, members: () => (sub ? sub.members() : []), outbox };
connectionIndicator($('conn'), client, () => {
  const p = sub && sub.position();
  return p ? `${room} @ ${p.offset}` : room || '';
});

/**
 * The token's `name` (else `sub`) claim is the display name, from a token in the page or each one the
 * login hook gives; a changed name reaches the others by subscribing again.
 */
function showTokenName(token) {
  const claims = tokenClaims(token);
  const name = claims && (claims.name || claims.sub);
  if (!name) return;
  nameInput.readOnly = true;
  if (nameInput.value === String(name)) return;
  nameInput.value = String(name);
  if (sub) rejoin();
}

nameInput.addEventListener('change', () => {
  nameInput.value = nameInput.value.replace(/\p{C}/gu, '').trim().slice(0, 40) || 'guest-' + session.slice(0, 4);
  localStorage.setItem('roomcast.name', nameInput.value);
  if (room) rejoin(); // others see the new name: presence takes it on subscribe
});

function normaliseRoom(value) {
  const v = value.trim();
  const name = v.includes(':') ? v : 'chat:' + v;
  return ROOM_NAME.test(name) ? name : null;
}

function rememberRoom(name) {
  const known = JSON.parse(localStorage.getItem('roomcast.chatRooms') || '[]').filter((r) => r !== name && ROOM_NAME.test(r));
  known.unshift(name);
  localStorage.setItem('roomcast.chatRooms', JSON.stringify(known.slice(0, 20)));
  fillRoomList();
}

/** Offers the rooms used before (localStorage), then the directory's. */
function fillRoomList() {
  const local = JSON.parse(localStorage.getItem('roomcast.chatRooms') || '[]');
  const names = [...new Set([...local, ...directoryRooms])].filter((r) => typeof r === 'string' && ROOM_NAME.test(r));
  $('room-list').replaceChildren(...names.map((n) => h('option', { value: n })));
}

async function loadDirectory() {
  // The edge's room directory (docs/apps.md); missing on older edges, which is fine.
  try {
    const res = await fetch('/rooms?namespace=chat');
    if (!res.ok) return;
    const body = await res.json();
    directoryRooms = (body.rooms || []).map((r) => r.room);
    fillRoomList();
  } catch {
    // no directory: typing a room name always works
  }
}

function openRoom(name) {
  if (sub) sub.unsubscribe();
  room = name;
  roomInput.value = name;
  document.title = `${name} · Roomcast chat`;
  const params = new URLSearchParams(location.search);
  params.set('room', name);
  history.replaceState(null, '', `${location.pathname}?${params}${location.hash}`);
  rememberRoom(name);
  reset();
  sub = client.subscribe(name, subscribeOptions('earliest'), onEvent);
}

/** The room's subscription: the conversation from `from`, and this page present in the room under its name. */
function subscribeOptions(from) {
  return {
    from,
    presence: true,
    name: nameInput.value || undefined,
    onPresence: renderMembers,
    // typing signals where the edge allows them by default (chat rooms); elsewhere a refusal would end the subscription
    ephemeral: room.startsWith('chat:'),
    onEphemeral: onSignal,
    onGap: (gap) => {
      // Events a lossy delivery policy dropped (set by an operator) are only a hole: what is shown stays.
      if (gap.reason === 'dropped') {
        const span = gap.first >= 0 ? ` (offsets ${gap.first}–${gap.last})` : '';
        note(`${gap.count > 0 ? gap.count : 'some'} event${gap.count === 1 ? '' : 's'} not delivered${span}: this room's delivery policy drops events under load`);
        return;
      }
      // A lost position (recovered: false: retention, topic re-created): start the view again.
      reset();
      note(`history reset (${gap.reason}); showing the room from offset ${gap.resumeAt ?? '?'}`);
    },
    onLive: () => conversation.dataset.live = 'true',
    onError: (e) => note(`subscription: ${e.code} ${e.message}`, 'error'),
  };
}

/** Subscribes again from the position (nothing shown twice), so a new name reaches the others. */
function rejoin() {
  const p = sub && sub.position();
  if (sub) sub.unsubscribe();
  sub = client.subscribe(room, subscribeOptions(p ? { after: p.offset, epoch: p.epoch } : 'earliest'), onEvent);
}

/**
 * Who is here: one chip per person (members grouped by user; anonymous members by name), with the
 * number of their tabs when more than one, "unverified" for names chosen without a token.
 */
function renderMembers(presence) {
  members.dataset.count = String(presence.count);
  if (!presence.listed) {
    members.replaceChildren(h('li', { text: `${presence.count} people` }));
    return;
  }
  const people = new Map();
  for (const m of presence.members) {
    const key = m.user !== null ? `u:${m.user}` : `n:${m.name}`;
    const p = people.get(key) || { name: m.name || m.user || 'anonymous', verified: m.verified, tabs: 0 };
    p.tabs++;
    people.set(key, p);
  }
  const me = nameInput.value;
  members.replaceChildren(...[...people.values()].map((p) => h('li', { class: p.name === me ? 'me' : null, data: { name: p.name } },
    p.name,
    p.tabs > 1 ? h('span', { class: 'tabs', text: `×${p.tabs}` }) : null,
    p.verified ? null : h('span', { class: 'unverified', title: 'name chosen without a token', text: '?' }))));
}

/** A typing signal from someone else (never stored): shown for a few seconds, as text. */
function onSignal(s) {
  if (s.type !== 'typing' || !s.client || !s.data || typeof s.data.name !== 'string') return;
  if (s.data.page === PAGE) return; // this page's own signal (another tab, or someone of the same name, is shown)
  typists.set(s.client, { name: s.data.name.slice(0, 40), until: Date.now() + TYPING_SHOWN_MS });
  renderTyping();
  setTimeout(renderTyping, TYPING_SHOWN_MS + 50);
}

function renderTyping() {
  const now = Date.now();
  for (const [client, t] of typists) if (t.until <= now) typists.delete(client);
  const names = [...new Set([...typists.values()].map((t) => t.name))];
  typingLine.textContent = names.length === 0 ? '' : `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`;
}

/** Tells the room this page is typing: an ephemeral signal, at most every 2 s; losing one is harmless. */
function signalTyping() {
  const now = Date.now();
  if (!room || !room.startsWith('chat:') || now - typingSentAt < TYPING_EVERY_MS) return;
  typingSentAt = now;
  client.publish(room, { name: nameInput.value || 'anonymous', page: PAGE }, { type: 'typing', ephemeral: true }).catch(() => {});
}

function reset() {
  typists.clear();
  typingLine.textContent = '';
  members.replaceChildren();
  delete members.dataset.count;
  answers.clear();
  answerViews.clear();
  outbox.clear();
  conversation.replaceChildren();
  delete conversation.dataset.live;
}

// ---- rendering ----------------------------------------------------------------------------

/** Text with ``` fences: fenced parts become <pre><code>, the rest stays text. Never HTML. */
function richText(container, value) {
  const parts = value.split('```');
  const nodes = [];
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      const code = part.replace(/^[^\n]*\n/, (first) => (/^[\w+-]*\n$/.test(first) ? '' : first));
      nodes.push(h('pre', {}, h('code', { text: code })));
    } else if (part) {
      nodes.push(h('span', { text: part }));
    }
  });
  container.replaceChildren(...nodes);
}

function stickToBottom(fn) {
  const atBottom = conversation.scrollHeight - conversation.scrollTop - conversation.clientHeight < 60;
  fn();
  if (atBottom) conversation.scrollTop = conversation.scrollHeight;
}

function note(message, cls = '') {
  append(h('div', { class: `note ${cls}` }, message));
}

function messageView(ev, author, body, extra = {}) {
  const mine = ev.eventId && ev.eventId.startsWith(`chat-${session}-`);
  const el = h('article', { class: `msg${mine ? ' mine' : ''}${extra.prompt ? ' prompt' : ''}`, data: { offset: String(ev.offset), type: ev.type } },
    h('div', { class: 'meta' },
      h('span', { class: 'who', text: author || 'anonymous' }),
      extra.prompt ? h('span', { class: 'badge', text: 'asks the model' }) : null,
      h('time', { datetime: isoTime(ev.ts), title: isoTime(ev.ts), text: timeOfDay(ev.ts) })),
    h('div', { class: 'body' }));
  richText(el.querySelector('.body'), body);
  return el;
}

function authorOf(data) {
  return data && typeof data === 'object' && typeof data.name === 'string' ? data.name.slice(0, 60) : null;
}

function answerView(answer) {
  let v = answerViews.get(answer);
  if (v) return v;
  const badge = h('span', { class: 'badge' });
  const stop = h('button', { type: 'button', class: 'stop', text: 'Stop', 'aria-label': 'Stop this answer', on: { click: () => cancel(answer, stop) } });
  const body = h('div', { class: 'body answer-text' });
  const cursor = h('span', { class: 'cursor', 'aria-hidden': 'true' });
  const detail = h('span', { class: 'detail' });
  const el = h('article', { class: 'msg answer', 'aria-label': 'model answer' },
    h('div', { class: 'meta' }, h('span', { class: 'who', text: 'model' }), badge, detail, stop),
    body, h('div', { class: 'error' }));
  v = { el, badge, stop, body, cursor, detail, pending: false };
  answerViews.set(answer, v);
  answerOfElement.set(el, answer);
  return v;
}

function renderAnswer(answer) {
  const v = answerView(answer);
  v.pending = false;
  const el = v.el;
  el.dataset.state = answer.state;
  el.dataset.tokens = String(answer.tokenCount);
  el.dataset.duplicates = String(answer.duplicates);
  if (answer.generationId) el.dataset.generationId = answer.generationId;
  if (answer.promptOffset !== null) el.dataset.promptOffset = String(answer.promptOffset);
  const label = answer.restarted && !answer.final ? `restarted · ${answer.state}` : answer.state;
  v.badge.textContent = label;
  v.detail.textContent = [answer.model, answer.finishReason && answer.finishReason !== 'stop' ? `finish: ${answer.finishReason}` : null]
    .filter(Boolean).join(' · ');
  richText(v.body, answer.text());
  if (!answer.final) v.body.append(v.cursor);
  v.stop.hidden = answer.final;
  el.querySelector('.error').textContent = answer.error ? `${answer.error.code}: ${answer.error.message}` : '';
}

/** Re-renders an answer at most once per frame, however many tokens arrive. */
function scheduleRender(answer) {
  const v = answerView(answer);
  if (v.pending) return;
  v.pending = true;
  requestAnimationFrame(() => stickToBottom(() => renderAnswer(answer)));
}

function onEvent(ev) {
  const data = ev.data;
  const own = ev.eventId !== undefined && outbox.get(ev.eventId);
  if (own) {
    // The room has it (also after a send that failed but was written): the pending bubble goes.
    outbox.delete(ev.eventId);
    own.el.remove();
  }
  switch (ev.type) {
    case 'message': {
      const body = typeof data === 'string' ? data : data && typeof data.text === 'string' ? data.text : null;
      if (body === null) return append(rawEvent(ev));
      return append(messageView(ev, authorOf(data), body));
    }
    case 'prompt': {
      const body = typeof data === 'string' ? data : data && typeof data.text === 'string' ? data.text : null;
      if (body === null) return append(rawEvent(ev));
      append(messageView(ev, authorOf(data), '@model ' + body, { prompt: true }));
      const answer = answers.forPrompt(ev.offset);
      append(answerView(answer).el);
      return renderAnswer(answer);
    }
    case 'cancel': {
      const who = authorOf(data) || 'someone';
      return note(`${who} stopped an answer`);
    }
    case 'token':
    case 'generation.started':
    case 'generation.restarted':
    case 'generation.done':
    case 'generation.cancelled':
    case 'generation.error':
    case 'generation.message': {
      const answer = answers.apply(ev.type, data);
      if (!answer) return append(rawEvent(ev));
      const v = answerView(answer);
      if (!v.el.isConnected) append(v.el); // an answer whose prompt is no longer retained
      if (ev.type === 'token') return scheduleRender(answer);
      return stickToBottom(() => renderAnswer(answer));
    }
    default:
      return append(rawEvent(ev));
  }
}

function append(el) {
  stickToBottom(() => {
    // Own messages not yet in the room stay at the bottom: what the room delivers goes above them.
    const firstPending = outbox.size ? conversation.querySelector(':scope > .msg.outgoing') : null;
    if (firstPending && !el.classList.contains('outgoing')) firstPending.before(el);
    else conversation.append(el);
    while (conversation.childElementCount > MAX_ITEMS) {
      const oldest = conversation.firstElementChild;
      oldest.remove();
      const answer = answerOfElement.get(oldest);
      if (answer) {
        answers.forget(answer);
        answerViews.delete(answer);
      }
    }
  });
}

// ---- publishing -----------------------------------------------------------------------------

function nextEventId() {
  return `chat-${session}-${pageLoad}-${++published}`;
}

/**
 * Sends the box's text. The message shows at once at the bottom as "sending…" (dashed, muted) until
 * the edge acknowledges it, then as sent; the room's own event then takes its place. A failure marks
 * it "not sent" with the reason, with Retry (same eventId: written at most once), Edit (back into the
 * box, only when the box is empty: a newer draft is never overwritten) and Discard.
 */
function send() {
  const value = text.value;
  if (!value.trim() || !room) return;
  const name = nameInput.value || 'anonymous';
  const isPrompt = MODEL_MENTION.test(value);
  const data = { text: isPrompt ? value.replace(MODEL_MENTION, '') : value, name };
  const item = { eventId: nextEventId(), room, type: isPrompt ? 'prompt' : 'message', data, value, retry: false };
  item.el = messageView({ eventId: item.eventId, offset: '', type: item.type, ts: Date.now() }, name, isPrompt ? '@model ' + data.text : data.text, { prompt: isPrompt });
  item.el.classList.add('outgoing');
  delete item.el.dataset.offset;
  item.status = h('span', { class: 'send-state', role: 'status' });
  item.actions = h('span', { class: 'send-actions' });
  item.el.querySelector('.meta').append(item.status, item.actions);
  outbox.set(item.eventId, item);
  text.value = '';
  append(item.el);
  publishOutgoing(item);
}

function setSendState(item, state, error = null) {
  item.el.dataset.send = state;
  // The reason: the error's code and the first clause of its message (the whole message in the title).
  item.why = error ? `not sent (${error.code}: ${String(error.message).split(';')[0]})` : '';
  item.status.textContent = state === 'sending' ? 'sending…' : state === 'sent' ? 'sent' : item.why;
  item.status.title = error ? `${error.code}: ${error.message}` : '';
  item.actions.replaceChildren(...(state !== 'failed' ? [] : [
    h('button', { type: 'button', text: 'Retry', on: { click: () => publishOutgoing(item) } }),
    h('button', { type: 'button', text: 'Edit', title: 'back into the message box (when it is empty)', on: { click: () => editOutgoing(item) } }),
    h('button', { type: 'button', text: 'Discard', on: { click: () => { outbox.delete(item.eventId); item.el.remove(); } } }),
  ]));
}

async function publishOutgoing(item) {
  setSendState(item, 'sending');
  try {
    await client.publish(item.room, item.data, { type: item.type, eventId: item.eventId, ...(item.retry ? { retry: true } : {}) });
    if (outbox.get(item.eventId) === item) setSendState(item, 'sent');
  } catch (e) {
    if (outbox.get(item.eventId) !== item) return; // delivered meanwhile, or the room was left
    // One that may have been written is sent again as a retry: the edge then writes it at most once.
    if (e.maybeWritten || e.code === 'outcome_unknown') item.retry = true;
    setSendState(item, 'failed', e);
  }
}

function editOutgoing(item) {
  if (text.value.trim()) {
    item.status.textContent = `${item.why} · the box has a draft: send or clear it, then Edit`;
    return;
  }
  text.value = item.value;
  outbox.delete(item.eventId);
  item.el.remove();
  text.focus();
}

async function cancel(answer, button) {
  button.disabled = true;
  button.textContent = 'Stopping…';
  const data = answer.generationId
    ? { generationId: answer.generationId, name: nameInput.value }
    : { promptOffset: answer.promptOffset, name: nameInput.value };
  try {
    await client.publish(room, data, { type: 'cancel', eventId: nextEventId() });
  } catch (e) {
    button.disabled = false;
    button.textContent = 'Stop';
    note(`stop not sent (${e.code}): ${e.message}`, 'error');
  }
}

$('compose').addEventListener('submit', (e) => {
  e.preventDefault();
  send();
});
text.addEventListener('input', signalTyping);
text.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    send();
  }
});
// The field's complaint lasts until it is edited: while set, the browser refuses every submit.
roomInput.addEventListener('input', () => roomInput.setCustomValidity(''));
$('room-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const name = normaliseRoom(roomInput.value);
  if (!name) {
    roomInput.setCustomValidity('1–200 characters of A–Z a–z 0–9 . _ : @ / -');
    roomInput.reportValidity();
    return;
  }
  if (name !== room) openRoom(name);
  text.focus();
});

const requested = normaliseRoom(new URLSearchParams(location.search).get('room') || '');
const last = JSON.parse(localStorage.getItem('roomcast.chatRooms') || '[]')[0];
openRoom(requested || (last && normaliseRoom(last)) || 'chat:lobby');
loadDirectory();
