// React bindings for the Roomcast client: `roomcast-client/react`. React is a peer dependency; no JSX,
// no build step. Hooks of one room share one subscription (a feed, see RoomFeed), joined in an
// effect and left in its cleanup; the last hook to leave releases it, so unmounts leave no
// subscription, timer or listener behind. The client resumes the subscription after reconnects,
// and StrictMode's unmount-remount keeps it, so no event is shown twice.
import {
  createContext, createElement, useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState,
} from 'react';
import { connect, DEFAULTS, GapReason, RoomcastError } from './roomcast.js';

const RoomcastContext = createContext(null);

/**
 * Provides a client to the hooks below. Pass an existing `client` (you own it and close it), or a
 * `url` and `options`: the provider then connects on mount and closes on unmount.
 */
export function RoomcastProvider({ client, url, options, children }) {
  const [owned, setOwned] = useState(null);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  useEffect(() => {
    if (client || !url) return undefined;
    const c = connect(url, optionsRef.current || {});
    setOwned(c);
    return () => {
      c.close();
      setOwned((current) => (current === c ? null : current));
    };
  }, [client, url]);
  return createElement(RoomcastContext.Provider, { value: client || owned }, children);
}

/** The client of the nearest RoomcastProvider (null until the provider has connected). */
export function useRoomcast() {
  return useContext(RoomcastContext);
}

/**
 * The connection: `state` (connecting, open, reconnecting, closed), `retryInMs` and `attempt` while
 * reconnecting, `error` once closed for good, and `positions` (each room's resume position when the
 * state last changed: where a reconnect resumes).
 */
export function useConnectionState() {
  const client = useRoomcast();
  const [info, setInfo] = useState(() => describe(client ? client.state : 'connecting', {}));
  useEffect(() => {
    if (!client) return undefined;
    setInfo(describe(client.state, {}, client.positions()));
    return client.on('state', (state, details) => setInfo(describe(state, details || {}, client.positions())));
  }, [client]);
  return info;
}

function describe(state, details, positions = {}) {
  return {
    positions,
    state,
    retryInMs: state === 'reconnecting' && typeof details.delayMs === 'number' ? details.delayMs : null,
    retryAt: state === 'reconnecting' && typeof details.delayMs === 'number' ? Date.now() + details.delayMs : null,
    attempt: details.attempt ?? 0,
    closeCode: details.code ?? null,
    error: details.error ?? null,
  };
}

// ---- rooms ------------------------------------------------------------------------------------

/**
 * One subscription per client and room, shared by every hook that shows the room: the JS client
 * holds at most one subscription per room, and several components (a message list, the answers of
 * the model) usually show the same room. The feed keeps the room's recent items (events, gaps,
 * `live`) so a hook that joins later sees them too; the first hook's `from` and `policy` apply. A
 * feed whose last hook leaves is released on the next tick, so StrictMode's unmount-remount keeps
 * the subscription (and its position) instead of resubscribing.
 */
class RoomFeed {
  constructor(client, room, { from, policy, compact, presence, ephemeral, name }, limit, onEmpty) {
    this.items = []; // {kind: 'event'|'partial'|'gap'|'live'|'error', value}, oldest first
    this.liveItem = null; // the newest `live`: a hook that joins later is told, also once it left `items`
    this.limit = limit;
    this.hooks = new Map(); // hook -> what it needs of the subscription: {presence, ephemeral, name}, newest last
    this.releaseTimer = null;
    this.onEmpty = onEmpty;
    this.client = client;
    this.room = room;
    // what the current subscription was made with
    this.flags = { from, policy, compact: compact === true, presence: presence === true, ephemeral: ephemeral === true, name };
    this.presence = { members: [], count: 0, listed: true };
    this.fitQueued = false;
    this.subscribe(from);
  }

  subscribe(from) {
    const f = this.flags;
    const options = {
      onGap: (g) => {
        // a lost position resets the view: what came before it is not shown again
        if (g.reason !== GapReason.DROPPED) {
          this.items = [];
          this.liveItem = null;
        }
        this.push('gap', g);
      },
      onLive: (l) => this.push('live', l),
      onError: (e) => this.push('error', e),
      onPartial: (p) => this.push('partial', p),
      // signals are live only: not kept for hooks that join later
      onEphemeral: (e) => this.broadcast({ kind: 'ephemeral', value: e }),
      onPresence: (p) => {
        this.presence = { members: p.members, count: p.count, listed: p.listed };
        this.broadcast({ kind: 'presence', value: this.presence });
      },
    };
    if (f.policy !== undefined) options.policy = f.policy;
    if (from !== undefined && from !== null) options.from = from;
    if (f.compact) options.compact = true;
    if (f.presence) options.presence = true;
    if (f.presence && typeof f.name === 'string' && f.name.trim() !== '') options.name = f.name;
    if (f.ephemeral) options.ephemeral = true;
    this.sub = this.client.subscribe(this.room, options, (e) => this.push('event', e));
  }

  /**
   * Makes the room's one subscription carry `presence` (with `name`) and `ephemeral` exactly while a
   * mounted hook needs them: the connection is present in the room only while a `usePresence` is.
   * A change subscribes again from the feed's position, so nothing is delivered twice or missed. It
   * waits for the end of the current task, so the hooks of one commit (a component with
   * `usePresence` and `useEphemeral`, StrictMode's unmount-remount) change the subscription once, or
   * not at all. With no hook left the release timer ends the subscription instead.
   */
  fitToHooks() {
    if (this.fitQueued) return;
    this.fitQueued = true;
    queueMicrotask(() => {
      this.fitQueued = false;
      if (this.hooks.size === 0 || this.sub.state === 'closed' || this.client.state === 'closed') return;
      let presence = false;
      let ephemeral = false;
      let name;
      for (const need of this.hooks.values()) {
        ephemeral = ephemeral || need.ephemeral;
        if (!need.presence) continue;
        presence = true;
        if (need.name !== undefined) name = need.name; // the newest hook's name
      }
      const f = this.flags;
      if (presence === f.presence && ephemeral === f.ephemeral && (!presence || name === f.name)) return;
      f.presence = presence;
      f.ephemeral = ephemeral;
      f.name = presence ? name : undefined;
      if (!presence) this.presence = { members: [], count: 0, listed: true };
      const pos = this.sub.position();
      this.sub.unsubscribe();
      this.subscribe(pos ? { after: pos.offset, epoch: pos.epoch } : f.from);
    });
  }

  push(kind, value) {
    const item = { kind, value };
    if (kind === 'live') this.liveItem = item;
    this.items.push(item);
    // `limit` counts events; the few other items (the hooks keep the newest GAP_LIMIT gaps) get room of their own.
    const keep = this.limit + GAP_LIMIT;
    if (this.items.length > keep) this.items.splice(0, this.items.length - keep);
    this.broadcast(item);
  }

  broadcast(item) {
    for (const hook of [...this.hooks.keys()]) hook(item);
  }

  join(hook, { presence, ephemeral, name }) {
    if (this.releaseTimer !== null) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
    this.hooks.set(hook, { presence: presence === true, ephemeral: ephemeral === true, name });
    for (const item of this.items) hook(item);
    if (this.liveItem) hook(this.liveItem); // once only: hooks skip an item they had
    this.fitToHooks();
  }

  leave(hook) {
    this.hooks.delete(hook);
    this.fitToHooks();
    if (this.hooks.size > 0 || this.releaseTimer !== null) return;
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = null;
      if (this.hooks.size > 0) return;
      this.sub.unsubscribe();
      this.onEmpty();
    }, 0);
  }
}

const feedsByClient = new WeakMap();

function feedFor(client, room, options, limit) {
  let feeds = feedsByClient.get(client);
  if (!feeds) feedsByClient.set(client, (feeds = new Map()));
  let feed = feeds.get(room);
  if (!feed || feed.sub.state === 'closed' || feed.sub.state === 'failed') {
    feed = new RoomFeed(client, room, options, limit, () => {
      if (feeds.get(room) === feed) feeds.delete(room);
    });
    feeds.set(room, feed);
  }
  feed.limit = Math.max(feed.limit, limit);
  return feed;
}

/**
 * Follows a room for the component's lifetime through the room's shared feed. Each item reaches
 * the hook once, also when StrictMode runs the effect twice or the hook rejoins the feed.
 */
function useRoomSubscription(room, {
  from, policy, compact, presence, ephemeral, name, limit = 1000, onEvent, onGap, onLive, onError, onPartial, onPresence, onEphemeral,
}) {
  const client = useRoomcast();
  const handlers = useRef(null);
  handlers.current = { onEvent, onGap, onLive, onError, onPartial, onPresence, onEphemeral };
  const delivered = useRef(new WeakSet());
  const fromKey = JSON.stringify(from ?? null);
  useEffect(() => {
    if (!client || !room || client.state === 'closed') return undefined;
    let feed;
    try {
      feed = feedFor(client, room, { from, policy, compact, presence, ephemeral, name }, limit);
    } catch (e) {
      if (handlers.current.onError) handlers.current.onError(e);
      return undefined;
    }
    const hook = (item) => {
      if (delivered.current.has(item)) return;
      delivered.current.add(item);
      const h = handlers.current;
      const fn = {
        event: h.onEvent, gap: h.onGap, live: h.onLive, error: h.onError, partial: h.onPartial, presence: h.onPresence, ephemeral: h.onEphemeral,
      }[item.kind];
      if (fn) fn(item.value);
    };
    feed.join(hook, { presence, ephemeral, name });
    if (presence) hook({ kind: 'presence', value: feed.presence });
    return () => feed.leave(hook);
    // `from` only matters for the first subscription of a room; later ones resume from the position
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, room, policy, fromKey, limit, compact, presence, ephemeral, name]);
}

/** How many gaps useRoom and useGeneration keep (the newest): a lossy room may drop again and again. */
const GAP_LIMIT = 100;

/** `list` with `item` appended, keeping its newest `max` items. */
function appendNewest(list, item, max) {
  return list.length >= max ? list.slice(list.length - max + 1).concat(item) : list.concat(item);
}

function roomReducer(state, action) {
  switch (action.type) {
    case 'reset':
      return { events: [], live: false, gaps: [], error: null, position: null };
    case 'event': {
      const events = appendNewest(state.events, action.event, action.limit);
      return { ...state, events, position: { offset: action.event.offset, epoch: action.event.epoch } };
    }
    case 'live':
      return { ...state, live: true, position: { offset: action.offset, epoch: action.epoch } };
    case 'gap': {
      // A lost position (recovered:false) means: reset the view, the room is delivered again from
      // resumeAt. Dropped events are only a hole: what was shown stays.
      const reset = action.gap.reason !== GapReason.DROPPED;
      return { ...state, events: reset ? [] : state.events, live: reset ? false : state.live, gaps: appendNewest(state.gaps, action.gap, GAP_LIMIT) };
    }
    case 'error':
      return { ...state, error: action.error };
    default:
      return state;
  }
}

/**
 * The events of a room so far (at most `limit`, default 1000, the newest kept), whether `live`
 * was reached, the `gaps` (with reason, count and offsets; the newest 100), the last subscription `error`, and the
 * `position`. Resumes across re-renders, StrictMode and reconnects without showing an event twice.
 */
export function useRoom(room, { from, policy, limit = 1000 } = {}) {
  const [state, dispatch] = useReducer(roomReducer, undefined, () => roomReducer(null, { type: 'reset' }));
  const shownRoom = useRef(room);
  if (shownRoom.current !== room) {
    shownRoom.current = room;
    dispatch({ type: 'reset' });
  }
  useRoomSubscription(room, {
    from,
    policy,
    limit,
    onEvent: (event) => dispatch({ type: 'event', event, limit }),
    onLive: (l) => dispatch({ type: 'live', offset: l.offset, epoch: l.epoch }),
    onGap: (gap) => dispatch({ type: 'gap', gap }),
    onError: (error) => dispatch({ type: 'error', error }),
  });
  return state;
}

/**
 * A stable `publish(room, data, options)`: a promise of the offset Kafka acknowledged, rejected with
 * a RoomcastError whose `code` is one of the catalogue's error codes.
 */
export function usePublish() {
  const client = useRoomcast();
  const ref = useRef(client);
  ref.current = client;
  // Publishes made before a `url` provider's client exists (a child's mount effect runs before its
  // provider's, which connects): they wait for it, as the client's own publishes wait for a connection.
  const waiting = useRef([]);
  const mounted = useRef(false);
  const flush = useCallback((c) => {
    for (const p of waiting.current.splice(0)) c.publish(p.room, p.data, p.options).then(p.resolve, p.reject);
  }, []);
  useEffect(() => {
    if (client) flush(client);
  }, [client, flush]);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      // StrictMode's rehearsal mounts again at once; only a real unmount fails what still waits.
      queueMicrotask(() => {
        if (mounted.current) return;
        for (const p of waiting.current.splice(0)) {
          p.reject(new RoomcastError('closed', 'unmounted before the Roomcast client existed', { room: p.room }));
        }
      });
    };
  }, []);
  return useCallback((room, data, options) => {
    const c = ref.current;
    if (c) {
      flush(c);
      return c.publish(room, data, options);
    }
    if (waiting.current.length >= DEFAULTS.publishQueueLimit) {
      return Promise.reject(new RoomcastError('queue_full', `${DEFAULTS.publishQueueLimit} publishes wait for the Roomcast client`, { room }));
    }
    return new Promise((resolve, reject) => waiting.current.push({ room, data, options, resolve, reject }));
  }, [flush]);
}

// ---- generations ------------------------------------------------------------------------------

const FINAL = { 'generation.done': 'done', 'generation.cancelled': 'cancelled', 'generation.error': 'error' };

const STATUS = { done: 'done', cancelled: 'cancelled', error: 'error' };

/** How many generations useGeneration keeps (the newest, by prompt): a long-lived room stays small. */
const GENERATION_LIMIT = 100;

/**
 * The generations of a room: `order` (keys, oldest prompt first; at most GENERATION_LIMIT), `byKey`,
 * `byGen` (generationId -> key, so a token finds its generation without a scan) and `floor` (the
 * newest prompt offset evicted: a late event of an evicted generation does not bring it back).
 */
function generationsReducer(state, action) {
  if (action.type === 'reset') return { order: [], byKey: {}, byGen: {}, floor: -1 };
  const e = action.type === 'partial' ? { type: 'partial', data: action.partial } : action.event;
  const data = e.data && typeof e.data === 'object' ? e.data : {};
  const put = (key, update) => {
    const old = state.byKey[key];
    if (!old && /^p\d+$/.test(key) && Number(key.slice(1)) <= state.floor) return state; // evicted already
    const next = update(old || {
      key, generationId: null, promptOffset: null, prompt: null, tokens: [], text: '', status: 'waiting', error: null, finishReason: null, usage: null, compacted: false,
    });
    if (next === old) return state; // a duplicate changes nothing, not even the state's identity
    let { order, byGen, floor } = state;
    const byKey = { ...state.byKey, [key]: next };
    if (next.generationId !== null && (!old || old.generationId !== next.generationId)) byGen = { ...byGen, [next.generationId]: key };
    if (!old) {
      order = order.concat(key);
      if (order.length > GENERATION_LIMIT) {
        const evicted = order.slice(0, order.length - GENERATION_LIMIT);
        order = order.slice(evicted.length);
        byGen = { ...byGen };
        for (const k of evicted) {
          const g = byKey[k];
          delete byKey[k];
          if (g.generationId !== null && byGen[g.generationId] === k) delete byGen[g.generationId];
          const offset = typeof g.promptOffset === 'number' ? g.promptOffset : /^p\d+$/.test(k) ? Number(k.slice(1)) : -1;
          floor = Math.max(floor, offset);
        }
      }
    }
    return { order, byKey, byGen, floor };
  };
  const keyOf = () => {
    if (typeof data.promptOffset === 'number') return `p${data.promptOffset}`;
    if (typeof data.generationId === 'string') {
      const known = state.byGen[data.generationId];
      if (known) return known;
      const m = /:(\d+)$/.exec(data.generationId);
      return m ? `p${m[1]}` : `g${data.generationId}`;
    }
    return null;
  };
  switch (e.type) {
    case 'prompt':
      return put(`p${e.offset}`, (g) => ({ ...g, promptOffset: e.offset, prompt: data.text ?? null }));
    case 'generation.started':
    case 'generation.restarted': {
      const key = keyOf();
      if (!key) return state;
      return put(key, (g) => ({
        ...g,
        generationId: data.generationId ?? g.generationId,
        promptOffset: data.promptOffset ?? g.promptOffset,
        // a takeover streams the answer again from seq 0: what was shown is discarded
        tokens: e.type === 'generation.restarted' ? [] : g.tokens,
        text: e.type === 'generation.restarted' ? '' : g.text,
        status: e.type === 'generation.restarted' ? 'restarted' : (g.status === 'waiting' ? 'streaming' : g.status),
      }));
    }
    case 'token': {
      const key = keyOf();
      if (!key || !Number.isInteger(data.seq) || data.seq < 0) return state;
      return put(key, (g) => {
        if (g.tokens[data.seq] !== undefined || FINAL[g.status]) return g; // a duplicate seq changes nothing
        const tokens = g.tokens.slice();
        tokens[data.seq] = typeof data.text === 'string' ? data.text : '';
        return { ...g, generationId: data.generationId ?? g.generationId, tokens, text: contiguousText(tokens), status: 'streaming' };
      });
    }
    case 'partial': {
      // The tokens fromSeq..toSeq of an answer, as one text (a compact history: an answer still
      // streaming, or a finished one whose producer wrote no generation.message, whose terminal event
      // then came first). Kept at fromSeq with empty strings for the rest, so the live tokens from
      // toSeq + 1 continue it and a token or partial already seen changes nothing.
      const key = keyOf();
      const { fromSeq, toSeq } = data;
      if (!key || !Number.isInteger(fromSeq) || !Number.isInteger(toSeq) || fromSeq < 0 || toSeq < fromSeq) return state;
      return put(key, (g) => {
        if (g.compacted || g.tokens[fromSeq] !== undefined) return g;
        const tokens = g.tokens.slice();
        tokens[fromSeq] = typeof data.text === 'string' ? data.text : '';
        for (let i = fromSeq + 1; i <= toSeq; i++) if (tokens[i] === undefined) tokens[i] = '';
        return { ...g, generationId: data.generationId ?? g.generationId, tokens, text: contiguousText(tokens), status: STATUS[g.status] ? g.status : 'streaming' };
      });
    }
    case 'generation.message': {
      // The whole answer as one event (written after the terminal event); in a compact history it
      // stands for the tokens, which do not come.
      const key = keyOf();
      if (!key || typeof data.text !== 'string') return state;
      return put(key, (g) => ({
        ...g,
        generationId: data.generationId ?? g.generationId,
        text: data.text,
        status: STATUS[data.status] || g.status,
        compacted: true,
      }));
    }
    default: {
      if (!FINAL[e.type]) return state;
      const key = keyOf();
      if (!key) return state;
      return put(key, (g) => ({
        ...g,
        generationId: data.generationId ?? g.generationId,
        // a generation.message seen first (it cannot come first, but a replay may start between them) keeps its text
        status: FINAL[e.type],
        finishReason: data.finishReason ?? null,
        usage: data.usage ?? null,
        error: e.type === 'generation.error' ? { code: data.code ?? 'internal', message: data.message ?? '' } : null,
      }));
    }
  }
}

/** The text of the tokens in seq order, up to the first missing seq (later ones wait for it). */
function contiguousText(tokens) {
  let text = '';
  for (let i = 0; i < tokens.length && tokens[i] !== undefined; i++) text += tokens[i];
  return text;
}

/**
 * Follows the LLM generations of a room (docs/protocol.md, Generation events). Returns
 * `generations` in prompt order, each with `prompt`, `text` (tokens in seq order, each seq once),
 * `status` (waiting, streaming, done, cancelled, error, restarted), `error`, `finishReason`,
 * `usage` and `cancel()` (the newest 100 generations: older ones are forgotten, and a late event of
 * one does not bring it back); `latest`; `prompt(text, data)` to ask; and the room's `live` and `gaps`
 * (the newest 100).
 * Reads the room's last `history` events (default 500) with `compact` (unless `compact: false`): a
 * finished answer arrives as its one `generation.message` (`compacted: true`), an answer still
 * streaming as a `partial` text and then its live tokens, so a late joiner sees the conversation at
 * once, each answer's text exactly as a full replay would build it.
 */
export function useGeneration(room, { history = 500, model, params, compact = true } = {}) {
  const [state, dispatch] = useReducer(generationsReducer, undefined, () => generationsReducer(null, { type: 'reset' }));
  const [meta, setMeta] = useState({ live: false, gaps: [], error: null });
  const publish = usePublish();
  const shownRoom = useRef(room);
  if (shownRoom.current !== room) {
    shownRoom.current = room;
    dispatch({ type: 'reset' });
  }
  useRoomSubscription(room, {
    from: { last: history },
    compact,
    limit: Math.max(history, 1000),
    onEvent: (event) => dispatch({ type: 'event', event }),
    onPartial: (partial) => dispatch({ type: 'partial', partial }),
    onLive: () => setMeta((m) => ({ ...m, live: true })),
    onGap: (gap) => {
      if (gap.reason !== GapReason.DROPPED) dispatch({ type: 'reset' });
      setMeta((m) => ({ ...m, gaps: appendNewest(m.gaps, gap, GAP_LIMIT) }));
    },
    onError: (error) => setMeta((m) => ({ ...m, error })),
  });
  // Each generation's object (with its cancel) is made once per change of it: a token touches one.
  const shown = useMemo(() => new WeakMap(), [publish, room]);
  const generations = useMemo(() => state.order.map((key) => {
    const g = state.byKey[key];
    let out = shown.get(g);
    if (!out) {
      const cancel = () => publish(room, g.generationId ? { generationId: g.generationId } : { promptOffset: g.promptOffset }, { type: 'cancel' });
      out = { ...g, cancel };
      shown.set(g, out);
    }
    return out;
  }), [state, shown, publish, room]);
  const prompt = useCallback((text, extra = {}) => {
    const data = { text, ...extra };
    if (model !== undefined && data.model === undefined) data.model = model;
    if (params !== undefined && data.params === undefined) data.params = params;
    return publish(room, data, { type: 'prompt' });
  }, [publish, room, model, params]);
  return { generations, latest: generations[generations.length - 1] || null, prompt, ...meta };
}

/** For the unit tests only; not part of the API. */
export const _internals = { generationsReducer, GENERATION_LIMIT };

// ---- presence ---------------------------------------------------------------------------------

/**
 * Who is in a room: the members (one per connection, longest present first, each `{client, user,
 * name, since, verified}`), `count`, `listed` (false above the edge's listing limit: then only the
 * count is known) and `users` (members grouped by user, for showing people rather than tabs). This
 * component's connection is present in the room while the hook is mounted (the room's subscription
 * carries `presence: true`); `name` is its display name on connections without a token.
 */
export function usePresence(room, { name } = {}) {
  const [state, setState] = useState({ members: [], count: 0, listed: true });
  const shownRoom = useRef(room);
  if (shownRoom.current !== room) {
    shownRoom.current = room;
    setState({ members: [], count: 0, listed: true });
  }
  useRoomSubscription(room, { presence: true, name, onPresence: (p) => setState(p) });
  return useMemo(() => ({ available: true, room, ...state, users: groupByUser(state.members) }), [room, state]);
}

/** Members grouped by `user`; anonymous members (no user) each stand alone. */
function groupByUser(members) {
  const byUser = new Map();
  for (const m of members) {
    const key = m.user !== null ? `u:${m.user}` : `c:${m.client}`;
    if (!byUser.has(key)) byUser.set(key, { user: m.user, name: m.name, verified: m.verified, since: m.since, connections: 0 });
    byUser.get(key).connections++;
  }
  return [...byUser.values()];
}

/**
 * Follows a room's ephemeral signals (typing, cursors): `onSignal` is called with each one
 * (`{room, type, ts, data, client, ephemeral: true}`, no offset), live only, never replayed.
 * Returns a stable `signal(type, data)` that publishes one (resolves once Kafka has it).
 */
export function useEphemeral(room, onSignal) {
  const publish = usePublish();
  useRoomSubscription(room, { ephemeral: true, onEphemeral: onSignal });
  return useCallback((type, data) => publish(room, data, { type, ephemeral: true }), [publish, room]);
}
