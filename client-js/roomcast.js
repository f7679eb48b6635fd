// Roomcast JavaScript client: one ES module, no runtime dependencies.
// Browser first; on Node 20 pass a WebSocket constructor (for example from the `ws` package).
//
// Contract (see docs/clients.md):
// - One connection, many subscriptions (one per room). The connection reconnects by itself with
//   exponential backoff and full jitter; every subscription resumes with {after, epoch}.
// - Per room, onEvent sees offsets strictly increasing and never the same offset twice.
// - A lost position (recovered:false) always reaches the application through onGap and the
//   client's 'gap' event; it is never silent.
// - publish() resolves only with the offset Kafka acknowledged; it rejects with a RoomcastError
//   whose `code` is a protocol error code or one of timeout, queue_full, disconnected, closed.
// - Everything runs on the caller's event loop; callbacks are called synchronously in frame order.

/** Connection states, in the order a connection normally passes through them. */
export const State = Object.freeze({
  CONNECTING: 'connecting',
  OPEN: 'open',
  RECONNECTING: 'reconnecting',
  CLOSED: 'closed',
});

/** Default options; every number is in milliseconds unless named otherwise. */
export const DEFAULTS = Object.freeze({
  pingIntervalMs: 30000,
  pongTimeoutMs: 10000,
  connectTimeoutMs: 10000,
  publishQueueLimit: 1000,
  publishTimeoutMs: 30000,
  backoff: Object.freeze({ minMs: 500, initialMs: 1000, maxMs: 30000, factor: 2, resetAfterMs: 10000 }),
});

/** Error codes a subscription is retried after (the protocol marks them "yes, later"). */
const RETRYABLE_SUBSCRIBE_CODES = new Set(['rate_limited', 'unavailable', 'internal']);

const OPEN = 1; // WebSocket.OPEN, identical in browsers and `ws`

/** An error with a machine-readable `code`. */
export class RoomcastError extends Error {
  constructor(code, message, details = {}) {
    super(message || code);
    this.name = 'RoomcastError';
    this.code = code;
    Object.assign(this, details);
  }
}

/**
 * The delay before reconnect attempt number `attempt` (0 for the first retry): full jitter
 * between a floor and an exponentially growing ceiling, so the first retry waits
 * minMs..initialMs (0.5-1 s by default) and no retry ever waits less than minMs or more than maxMs.
 */
export function backoffDelay(attempt, backoff = DEFAULTS.backoff, random = Math.random) {
  const b = { ...DEFAULTS.backoff, ...backoff };
  const ceiling = Math.min(b.maxMs, b.initialMs * Math.pow(b.factor, Math.max(0, attempt)));
  const floor = Math.min(b.minMs, ceiling);
  return Math.round(floor + random() * (ceiling - floor));
}

/**
 * Whether a close code means "reconnect and resume" (true) or "do not reconnect as you are" (false),
 * following the close-code table of docs/protocol.md.
 */
export function shouldReconnect(code) {
  if (code === 1000 || code === 1003 || code === 1007 || code === 1008 || code === 1009) return false;
  if (code >= 4400 && code <= 4999) return false;
  return true;
}

/** Turns `http(s)://host:port` or `ws(s)://host:port[/path]` into the edge's WebSocket URL. */
export function endpointUrl(url) {
  const u = new URL(url);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  else if (u.protocol !== 'ws:' && u.protocol !== 'wss:') {
    throw new RoomcastError('bad_request', `unsupported URL scheme ${u.protocol}`);
  }
  if (u.pathname === '' || u.pathname === '/') u.pathname = '/ws';
  return u;
}

/** Opens a client; it connects on the next microtask, so listeners added right away see every state. */
export function connect(url, options = {}) {
  return new RoomcastClient(url, options);
}

const realClock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (t) => clearTimeout(t),
  now: () => Date.now(),
};

/** One logical connection to the edge, surviving any number of physical WebSocket connections. */
export class RoomcastClient {
  constructor(url, options = {}) {
    this._url = endpointUrl(url);
    this._WebSocket = options.WebSocket || globalThis.WebSocket;
    if (typeof this._WebSocket !== 'function') {
      throw new TypeError('no WebSocket constructor: pass {WebSocket} (for example from the "ws" package) on Node 20');
    }
    this._token = options.token;
    this._opt = {
      pingIntervalMs: options.pingIntervalMs ?? DEFAULTS.pingIntervalMs,
      pongTimeoutMs: options.pongTimeoutMs ?? DEFAULTS.pongTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      publishQueueLimit: options.publishQueueLimit ?? DEFAULTS.publishQueueLimit,
      publishTimeoutMs: options.publishTimeoutMs ?? DEFAULTS.publishTimeoutMs,
      backoff: { ...DEFAULTS.backoff, ...(options.backoff || {}) },
    };
    this._random = (options.backoff && options.backoff.random) || Math.random;
    this._clock = { ...realClock, ...(options.clock || {}) };

    this._state = State.CONNECTING;
    this._listeners = new Map(); // event name -> Set of functions
    this._nextId = 1;
    this._ws = null; // the current physical socket, or null
    this._attempt = 0; // reconnect attempts since the last stable connection
    this._attemptGen = 0; // invalidates an async token lookup that lost a race with close()
    this._timers = new Set(); // every pending timer handle, so close() can clear them all
    this._connTimers = {}; // named timers that belong to the current physical socket
    this._drainAt = null; // when the edge asked us (reconnect frame) to come back
    this._subs = new Map(); // room -> Subscription
    this._unsubscribing = new Map(); // room -> count of unsubscribes sent and not yet answered
    this._queue = []; // publishes waiting for a connection, FIFO
    this._inflight = new Map(); // request id -> publish sent and not yet acked

    queueMicrotask(() => {
      if (this._state !== State.CLOSED) this._emitState(State.CONNECTING, {});
      this._open();
    });
  }

  /** The current connection state. */
  get state() {
    return this._state;
  }

  on(event, fn) {
    if (typeof fn !== 'function') throw new TypeError('listener must be a function');
    if (!this._listeners.has(event)) this._listeners.set(event, new Set());
    this._listeners.get(event).add(fn);
    return () => this.off(event, fn);
  }

  off(event, fn) {
    const set = this._listeners.get(event);
    if (set) set.delete(fn);
  }

  subscribe(room, options, onEvent) {
    if (typeof options === 'function') {
      onEvent = options;
      options = {};
    }
    options = options || {};
    if (typeof room !== 'string' || room.length === 0) throw new TypeError('room must be a non-empty string');
    if (typeof onEvent !== 'function') throw new TypeError('onEvent must be a function');
    if (this._state === State.CLOSED) throw new RoomcastError('closed', 'the client is closed');
    if (this._subs.has(room)) {
      throw new RoomcastError('bad_request', `already subscribed to ${room} on this client`, { room });
    }
    const sub = new Subscription(this, room, options, onEvent);
    this._subs.set(room, sub);
    if (this._isSendable()) this._sendSubscribe(sub);
    return sub;
  }

  publish(room, data, options = {}) {
    return new Promise((resolve, reject) => {
      if (typeof room !== 'string' || room.length === 0) {
        reject(new RoomcastError('bad_request', 'room must be a non-empty string', { room }));
        return;
      }
      if (this._state === State.CLOSED) {
        reject(new RoomcastError('closed', 'the client is closed', { room }));
        return;
      }
      if (data === undefined) data = null;
      try {
        JSON.stringify(data);
      } catch (e) {
        reject(new RoomcastError('bad_request', `data is not JSON-serialisable: ${e && e.message}`, { room }));
        return;
      }
      const p = { room, data, type: options.type, eventId: options.eventId, resolve, reject, id: 0, timer: null };
      if (!this._isSendable() && this._queue.length >= this._opt.publishQueueLimit) {
        reject(new RoomcastError('queue_full', `publish queue is full (${this._opt.publishQueueLimit} waiting for a connection)`, { room }));
        return;
      }
      p.timer = this._setTimer(() => this._timeoutPublish(p), this._opt.publishTimeoutMs);
      if (this._isSendable()) this._sendPublish(p);
      else this._queue.push(p);
    });
  }

  /** Closes the client for good: no reconnect, every timer and listener is released. */
  close() {
    if (this._state === State.CLOSED) return;
    this._attemptGen++;
    const ws = this._ws;
    this._detach();
    if (ws) safeClose(ws, 1000, 'client closed');
    this._shutdown({ code: 1000, reason: 'client closed' }, new RoomcastError('closed', 'the client was closed'));
  }

  // ---- physical connection -------------------------------------------------------------

  _isSendable() {
    return this._ws !== null && this._ws.readyState === OPEN && this._state === State.OPEN && this._drainAt === null;
  }

  async _open() {
    if (this._state === State.CLOSED) return;
    const gen = ++this._attemptGen;
    let url;
    try {
      url = new URL(this._url);
      const token = typeof this._token === 'function' ? await this._token() : this._token;
      if (token !== undefined && token !== null && token !== '') url.searchParams.set('token', String(token));
    } catch (e) {
      if (gen !== this._attemptGen || this._state === State.CLOSED) return;
      this._emit('error', new RoomcastError('token', `token provider failed: ${e && e.message}`, { cause: e }));
      this._scheduleReconnect({ code: 1006, reason: 'token provider failed' });
      return;
    }
    if (gen !== this._attemptGen || this._state === State.CLOSED) return;
    let ws;
    try {
      ws = new this._WebSocket(url.toString());
    } catch (e) {
      this._emit('error', new RoomcastError('connect', `cannot open WebSocket: ${e && e.message}`, { cause: e }));
      this._scheduleReconnect({ code: 1006, reason: 'WebSocket constructor failed' });
      return;
    }
    this._ws = ws;
    ws.onopen = () => ws === this._ws && this._onOpen();
    ws.onmessage = (ev) => ws === this._ws && this._onMessage(ev.data);
    ws.onclose = (ev) => ws === this._ws && this._onSocketGone(ev.code, ev.reason);
    ws.onerror = noop; // a close event always follows; `ws` would throw on an unhandled 'error'
    this._connTimers.connect = this._setTimer(() => {
      this._abandon(4000, 'connect timeout');
    }, this._opt.connectTimeoutMs);
  }

  _onOpen() {
    this._clearConnTimer('connect');
    this._drainAt = null;
    this._unsubscribing.clear();
    // Resubscribe and flush before telling listeners, so a publish() from a state listener
    // cannot overtake the publishes that waited for this connection.
    this._state = State.OPEN;
    this._connTimers.stable = this._setTimer(() => {
      this._attempt = 0;
    }, this._opt.backoff.resetAfterMs);
    this._schedulePing();
    for (const sub of this._subs.values()) {
      if (sub.state !== 'failed') this._sendSubscribe(sub);
    }
    const queued = this._queue;
    this._queue = [];
    for (const p of queued) {
      if (this._isSendable()) this._sendPublish(p);
      else this._queue.push(p);
    }
    this._emit('state', State.OPEN, {});
  }

  /** Gives up on the current socket without waiting for its close handshake (it may be dead). */
  _abandon(code, reason) {
    const ws = this._ws;
    if (!ws) return;
    this._detach();
    safeClose(ws, code, reason);
    this._onSocketGone(code, reason, true);
  }

  _detach() {
    const ws = this._ws;
    if (ws) {
      ws.onopen = null;
      ws.onmessage = null;
      ws.onclose = null;
      ws.onerror = noop;
    }
    this._ws = null;
    for (const name of Object.keys(this._connTimers)) this._clearConnTimer(name);
  }

  _onSocketGone(code, reason, alreadyDetached = false) {
    if (!alreadyDetached) this._detach();
    if (this._state === State.CLOSED) return;
    this._failInflight();
    for (const sub of this._subs.values()) sub._onDisconnect();
    if (!shouldReconnect(code)) {
      const err = new RoomcastError(code === 4401 ? 'unauthorized' : 'closed', `the edge closed the connection (${code}${reason ? ' ' + reason : ''})`, { closeCode: code });
      this._shutdown({ code, reason, error: err }, err);
      return;
    }
    this._scheduleReconnect({ code, reason });
  }

  _scheduleReconnect(info) {
    if (this._state === State.CLOSED) return;
    const backoff = backoffDelay(this._attempt, this._opt.backoff, this._random);
    let delayMs = backoff;
    if (this._drainAt !== null) {
      // The edge said when to come back; a stable connection honours exactly that, an unstable one
      // never comes back faster than the backoff.
      const drain = Math.min(Math.max(this._drainAt - this._clock.now(), 0), this._opt.backoff.maxMs);
      delayMs = this._attempt === 0 ? drain : Math.max(drain, backoff);
      this._drainAt = null;
    }
    this._attempt++;
    this._emitState(State.RECONNECTING, { ...info, attempt: this._attempt, delayMs });
    if (this._state === State.CLOSED) return; // a state listener called close()
    this._connTimers.reconnect = this._setTimer(() => {
      delete this._connTimers.reconnect;
      this._open();
    }, delayMs);
  }

  _shutdown(info, error) {
    this._state = State.CLOSED;
    for (const t of this._timers) this._clock.clearTimeout(t);
    this._timers.clear();
    this._connTimers = {};
    const pending = [...this._inflight.values(), ...this._queue];
    this._inflight.clear();
    this._queue = [];
    for (const p of pending) p.reject(error);
    const subs = [...this._subs.values()];
    this._subs.clear();
    this._unsubscribing.clear();
    for (const sub of subs) sub._onClosed(error);
    this._emit('state', State.CLOSED, info);
    this._listeners.clear();
  }

  // ---- heartbeat -----------------------------------------------------------------------

  _schedulePing() {
    this._connTimers.ping = this._setTimer(() => {
      delete this._connTimers.ping;
      if (!this._ws || this._ws.readyState !== OPEN) return;
      this._send({ op: 'ping', id: this._nextId++ });
      this._connTimers.pong = this._setTimer(() => {
        delete this._connTimers.pong;
        this._abandon(4001, 'pong timeout');
      }, this._opt.pongTimeoutMs);
    }, this._opt.pingIntervalMs);
  }

  /** Any inbound frame proves the connection alive: a pong may queue behind a long replay. */
  _onAlive() {
    if (this._connTimers.pong !== undefined) {
      this._clearConnTimer('pong');
      this._schedulePing();
    }
  }

  // ---- inbound frames ------------------------------------------------------------------

  _onMessage(raw) {
    this._onAlive();
    if (typeof raw !== 'string') {
      this._emit('error', new RoomcastError('bad_frame', 'the edge sent a non-text frame; ignored'));
      return;
    }
    let parsed;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      this._emit('error', new RoomcastError('bad_frame', 'the edge sent a frame that is not JSON; ignored'));
      return;
    }
    const frames = Array.isArray(parsed) ? parsed : [parsed];
    for (const f of frames) {
      if (this._state === State.CLOSED) return;
      if (f === null || typeof f !== 'object' || Array.isArray(f) || typeof f.op !== 'string') {
        this._emit('error', new RoomcastError('bad_frame', 'the edge sent a frame without an op; ignored'));
        continue;
      }
      this._onFrame(f);
    }
  }

  _onFrame(f) {
    switch (f.op) {
      case 'event': {
        if (this._unsubscribing.get(f.room)) return; // belongs to a subscription already given up
        const sub = this._subs.get(f.room);
        if (sub) sub._onEventFrame(f);
        return;
      }
      case 'live': {
        if (this._unsubscribing.get(f.room)) return;
        const sub = this._subs.get(f.room);
        if (sub) sub._onLiveFrame(f);
        return;
      }
      case 'subscribed': {
        const sub = this._subs.get(f.room);
        if (sub && sub._requestId === f.id) sub._onSubscribed(f);
        return;
      }
      case 'unsubscribed':
        this._unsubscribeAnswered(f.room);
        return;
      case 'ack': {
        const p = this._inflight.get(f.id);
        if (!p) return;
        this._inflight.delete(f.id);
        this._clearTimer(p.timer);
        if (typeof f.offset === 'number') p.resolve(f.offset);
        else p.reject(new RoomcastError('bad_frame', 'ack without an offset', { room: p.room }));
        return;
      }
      case 'error':
        this._onErrorFrame(f);
        return;
      case 'pong':
        return; // liveness is already noted for every frame
      case 'reconnect':
        this._onReconnectFrame(f);
        return;
      default:
        return; // unknown ops are ignored: the protocol may grow
    }
  }

  _onErrorFrame(f) {
    const err = new RoomcastError(typeof f.code === 'string' ? f.code : 'internal', f.message, { room: f.room, requestId: f.id });
    if (f.id !== undefined && this._inflight.has(f.id)) {
      const p = this._inflight.get(f.id);
      this._inflight.delete(f.id);
      this._clearTimer(p.timer);
      p.reject(err);
      return;
    }
    if (f.id !== undefined) {
      for (const sub of this._subs.values()) {
        if (sub._requestId === f.id) {
          sub._onSubscribeError(err);
          return;
        }
      }
      if (f.room !== undefined && this._unsubscribing.get(f.room)) {
        this._unsubscribeAnswered(f.room);
        return;
      }
    } else if (typeof f.room === 'string') {
      // A notice about a room (its log was re-created, a refreshed token no longer allows it): the
      // subscription ends, and resumes from its position when the code is retryable.
      const sub = this._subs.get(f.room);
      if (sub && (sub.state === 'active' || sub.state === 'subscribing')) {
        sub._onSubscribeError(err);
        return;
      }
    }
    this._emit('error', err);
  }

  _onReconnectFrame(f) {
    const delay = typeof f.delayMs === 'number' && f.delayMs >= 0 ? Math.min(f.delayMs, this._opt.backoff.maxMs) : 0;
    this._drainAt = this._clock.now() + delay;
    // New publishes wait for the next edge; the edge closes with 1001 soon, else we leave ourselves.
    this._clearConnTimer('drain');
    this._connTimers.drain = this._setTimer(() => {
      delete this._connTimers.drain;
      this._abandon(4000, 'drain');
    }, delay);
  }

  _unsubscribeAnswered(room) {
    const n = this._unsubscribing.get(room) || 0;
    if (n <= 1) this._unsubscribing.delete(room);
    else this._unsubscribing.set(room, n - 1);
  }

  // ---- outbound frames -----------------------------------------------------------------

  _send(frame) {
    try {
      this._ws.send(JSON.stringify(frame));
      return true;
    } catch (e) {
      this._emit('error', new RoomcastError('send', `send failed: ${e && e.message}`, { cause: e }));
      return false;
    }
  }

  _sendSubscribe(sub) {
    sub._requestId = this._nextId++;
    const frame = { op: 'subscribe', id: sub._requestId, room: sub.room };
    const from = sub._resumeFrom();
    if (from !== undefined) frame.from = from;
    sub.state = 'subscribing';
    this._send(frame);
  }

  _sendUnsubscribe(sub) {
    if (!this._ws || this._ws.readyState !== OPEN || sub._requestId === 0) return;
    this._unsubscribing.set(sub.room, (this._unsubscribing.get(sub.room) || 0) + 1);
    this._send({ op: 'unsubscribe', id: this._nextId++, room: sub.room });
  }

  _sendPublish(p) {
    p.id = this._nextId++;
    const frame = { op: 'publish', id: p.id, room: p.room, data: p.data };
    if (p.type !== undefined) frame.type = p.type;
    if (p.eventId !== undefined) frame.eventId = p.eventId;
    if (p.retry) frame.retry = true;
    this._inflight.set(p.id, p);
    if (!this._send(frame)) {
      this._inflight.delete(p.id);
      this._clearTimer(p.timer);
      p.reject(new RoomcastError('disconnected', 'the publish could not be sent', { room: p.room }));
    }
  }

  /**
   * Publishes in flight when a socket dies may or may not have been written by the edge. Without an
   * eventId they fail with `disconnected` (a blind resend could write the event twice); with an
   * eventId they are sent again on the next connection marked `retry`, and whichever edge takes it
   * looks the eventId up in the room and acks the first write instead of writing it twice.
   */
  _failInflight() {
    const resend = [];
    for (const p of this._inflight.values()) {
      if (p.eventId !== undefined) {
        p.retry = true;
        resend.push(p);
      } else {
        this._clearTimer(p.timer);
        p.reject(new RoomcastError('disconnected', 'the connection was lost before the ack; the event may or may not have been written', { room: p.room }));
      }
    }
    this._inflight.clear();
    this._queue = resend.concat(this._queue);
  }

  _timeoutPublish(p) {
    this._timers.delete(p.timer);
    if (this._inflight.get(p.id) === p) this._inflight.delete(p.id);
    const i = this._queue.indexOf(p);
    const queued = i >= 0;
    if (queued) this._queue.splice(i, 1);
    p.reject(new RoomcastError('timeout', queued
      ? `no connection within ${this._opt.publishTimeoutMs} ms; the event was not sent`
      : `no ack within ${this._opt.publishTimeoutMs} ms; the event may or may not have been written`, { room: p.room }));
  }

  // ---- timers and events ---------------------------------------------------------------

  _setTimer(fn, ms) {
    const t = this._clock.setTimeout(() => {
      this._timers.delete(t);
      fn();
    }, ms);
    this._timers.add(t);
    return t;
  }

  _clearTimer(t) {
    if (t === null || t === undefined) return;
    this._clock.clearTimeout(t);
    this._timers.delete(t);
  }

  _clearConnTimer(name) {
    const t = this._connTimers[name];
    delete this._connTimers[name];
    this._clearTimer(t);
  }

  _emitState(state, info) {
    this._state = state;
    this._emit('state', state, info);
  }

  _emit(event, ...args) {
    const set = this._listeners.get(event);
    if (!set || set.size === 0) return false;
    for (const fn of [...set]) {
      try {
        fn(...args);
      } catch (e) {
        if (event !== 'error') this._emit('error', new RoomcastError('listener', `a '${event}' listener threw: ${e && e.message}`, { cause: e }));
      }
    }
    return true;
  }
}

/** One room subscription; it outlives reconnects and keeps the room's position. */
export class Subscription {
  constructor(client, room, options, onEvent) {
    this.room = room;
    /** 'pending' | 'subscribing' | 'active' | 'failed' | 'closed' */
    this.state = 'pending';
    this._client = client;
    this._from = options.from;
    this._onEvent = onEvent;
    this._onGap = options.onGap;
    this._onError = options.onError;
    this._onLive = options.onLive;
    this._requestId = 0;
    this._retryAttempt = 0;
    this._retryTimer = null;
    this._epoch = null;
    this._offset = null; // the last offset delivered or confirmed by `live`; null = no position yet
    if (this._from && typeof this._from === 'object' && typeof this._from.after === 'number' && typeof this._from.epoch === 'string') {
      this._offset = this._from.after;
      this._epoch = this._from.epoch;
    }
  }

  /** The room's resume position {offset, epoch}, or null while the subscription has none. */
  position() {
    if (this._offset === null || this._epoch === null) return null;
    return { offset: this._offset, epoch: this._epoch };
  }

  unsubscribe() {
    if (this.state === 'closed') return;
    const c = this._client;
    const wasSent = this.state === 'subscribing' || this.state === 'active';
    this.state = 'closed';
    this._clearRetry();
    if (c._subs.get(this.room) === this) c._subs.delete(this.room);
    if (wasSent) c._sendUnsubscribe(this);
  }

  _resumeFrom() {
    const pos = this.position();
    return pos ? { after: pos.offset, epoch: pos.epoch } : this._from;
  }

  _onSubscribed(f) {
    this.state = 'active';
    this._retryAttempt = 0;
    const previousEpoch = this._epoch;
    if (typeof f.epoch === 'string') this._epoch = f.epoch;
    if (f.recovered === false) {
      const gap = f.gap && typeof f.gap === 'object' ? f.gap : {};
      // Delivery restarts at resumeAt; remembering resumeAt-1 makes that the position even before
      // the first event arrives, and lets offsets of a new epoch (which may be lower) through.
      this._offset = typeof gap.resumeAt === 'number' ? gap.resumeAt - 1 : null;
      const info = {
        room: this.room,
        reason: typeof gap.reason === 'string' ? gap.reason : 'unknown',
        after: gap.after,
        resumeAt: gap.resumeAt,
        epoch: this._epoch,
        previousEpoch,
      };
      this._call(this._onGap, info);
      const heard = this._client._emit('gap', info);
      if (!this._onGap && !heard && typeof console !== 'undefined') {
        console.warn(`roomcast: ${this.room} lost its position (${info.reason}); delivery resumes at ${info.resumeAt}`);
      }
    }
  }

  _onEventFrame(f) {
    if (this.state === 'closed' || this.state === 'failed') return;
    if (typeof f.offset !== 'number') return;
    if (this._offset !== null && f.offset <= this._offset) return; // duplicate or replayed
    this._offset = f.offset;
    const event = { room: this.room, offset: f.offset, type: f.type || 'message', ts: f.ts, data: f.data, epoch: this._epoch };
    if (f.eventId !== undefined) event.eventId = f.eventId;
    if (f.encoding !== undefined) event.encoding = f.encoding;
    this._call(this._onEvent, event);
  }

  _onLiveFrame(f) {
    if (typeof f.offset !== 'number') return;
    if (this._offset === null || f.offset > this._offset) this._offset = f.offset;
    this._call(this._onLive, { room: this.room, offset: f.offset, epoch: this._epoch });
  }

  _onSubscribeError(err) {
    const c = this._client;
    this._requestId = 0;
    if (RETRYABLE_SUBSCRIBE_CODES.has(err.code)) {
      err.retrying = true;
      this.state = 'pending';
      const delay = backoffDelay(this._retryAttempt++, c._opt.backoff, c._random);
      this._retryTimer = c._setTimer(() => {
        this._retryTimer = null;
        if (this.state === 'pending' && c._isSendable()) c._sendSubscribe(this);
      }, delay);
    } else {
      err.retrying = false;
      this.state = 'failed';
      if (c._subs.get(this.room) === this) c._subs.delete(this.room);
    }
    this._call(this._onError, err) || c._emit('error', err);
  }

  _onDisconnect() {
    this._clearRetry();
    this._requestId = 0;
    if (this.state === 'subscribing' || this.state === 'active') this.state = 'pending';
  }

  _onClosed(err) {
    this._clearRetry();
    if (this.state !== 'failed') this.state = 'closed';
    if (err.code !== 'closed' || err.closeCode !== undefined) this._call(this._onError, err);
  }

  _clearRetry() {
    if (this._retryTimer !== null) this._client._clearTimer(this._retryTimer);
    this._retryTimer = null;
  }

  /** Calls an application callback; a throw is reported, never allowed to break the connection. */
  _call(fn, arg) {
    if (typeof fn !== 'function') return false;
    try {
      fn(arg);
    } catch (e) {
      this._client._emit('error', new RoomcastError('listener', `a callback for ${this.room} threw: ${e && e.message}`, { cause: e, room: this.room }));
    }
    return true;
  }
}

function noop() {}

function safeClose(ws, code, reason) {
  try {
    ws.close(code, reason);
  } catch (e) {
    // Already closing or closed; nothing left to release.
  }
}
