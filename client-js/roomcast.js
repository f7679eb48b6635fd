// Roomcast JavaScript client: one ES module, no runtime dependencies.
// Browser first; on Node 20 pass a WebSocket constructor (for example from the `ws` package).
//
// Contract (see docs/clients.md):
// - One connection, many subscriptions (one per room). The connection reconnects by itself with
//   exponential backoff and full jitter; every subscription resumes with {after, epoch}.
// - Per room, onEvent sees offsets strictly increasing and never the same offset twice.
// - A lost position (recovered:false) always reaches the application through onGap and the
//   client's 'gap' event; it is never silent.
// - A `dropped` frame (drop-oldest and latest-only subscriptions) reaches the application as a gap
//   with reason `dropped`, its count and its offsets, through the same onGap callback.
// - publish() resolves only with the offset Kafka acknowledged; it rejects with a RoomcastError
//   whose `code` is a protocol error code or one of the client codes (ErrorCodes below).
// - A token never goes in the URL: it is sent in an `auth` frame right after the socket opens, and a
//   token callback is asked again before the token expires (unless `tokenInUrl`, meant for tools).
// - State names, error codes and gap reasons are those of protocol/catalogue.json.
// - Everything runs on the caller's event loop; callbacks are called synchronously in frame order.
// - Collaboration (docs/clients.md): presence (`presence` option, presence(room)), ephemeral signals
//   (`ephemeral` option and publish), compacted answers (`compact`: `generation.message` events and
//   `partial` frames) and snapshots (from 'snapshot'). Ephemeral signals have no offset and never
//   move a subscription's position.

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
  maxFrameBytes: 64 * 1024,
  publishesPerSecond: 100,
  backoff: Object.freeze({ minMs: 500, initialMs: 1000, maxMs: 30000, factor: 2, resetAfterMs: 10000 }),
});

/**
 * Every error code a RoomcastError can carry, with whether trying again later can succeed: the
 * edge's codes, then the client's own (protocol/catalogue.json, errorCodes and clientErrorCodes).
 */
export const ErrorCodes = Object.freeze({
  bad_request: { retryable: false, origin: 'edge' },
  unauthorized: { retryable: false, origin: 'edge' },
  forbidden: { retryable: false, origin: 'edge' },
  rate_limited: { retryable: true, origin: 'edge' },
  too_large: { retryable: false, origin: 'edge' },
  limit_exceeded: { retryable: false, origin: 'edge' },
  unavailable: { retryable: true, origin: 'edge' },
  outcome_unknown: { retryable: true, origin: 'edge' },
  internal: { retryable: true, origin: 'edge' },
  not_found: { retryable: false, origin: 'edge' },
  timeout: { retryable: true, origin: 'client' },
  queue_full: { retryable: true, origin: 'client' },
  connection_lost: { retryable: true, origin: 'client' },
  closed: { retryable: false, origin: 'client' },
  protocol: { retryable: false, origin: 'client' },
  unknown: { retryable: false, origin: 'client' },
  token_provider: { retryable: true, origin: 'client' },
  listener: { retryable: false, origin: 'client' },
});

/** Why a subscription's history has a hole (protocol/catalogue.json, gapReasons). */
export const GapReason = Object.freeze({
  RETENTION: 'retention',
  EPOCH: 'epoch',
  UNKNOWN_POSITION: 'unknown_position',
  DROPPED: 'dropped',
  UNKNOWN: 'unknown',
});

/** What the client does after each close code (protocol/catalogue.json, closeCodes). */
export const CloseCodes = Object.freeze({
  1000: 'stop',
  1001: 'reconnect',
  1002: 'stop',
  1003: 'stop',
  1007: 'stop',
  1008: 'stop',
  1009: 'stop',
  1011: 'reconnect',
  4000: 'reconnect',
  4001: 'reconnect',
  4029: 'reconnect',
  4401: 'reconnect_with_new_token',
});

const OPEN = 1; // WebSocket.OPEN, identical in browsers and `ws`

/**
 * At most `limit` sends in any PACE_WINDOW_MS (a sliding window, so also in each of the edge's
 * one-second windows, with 50 ms for sends that reach it closer together than they left).
 */
const PACE_WINDOW_MS = 1050;

class PublishPacer {
  constructor(limit) {
    this._sentAt = new Array(limit).fill(0); // the last `limit` send times, oldest at _next once full
    this._next = 0;
    this._count = 0;
  }

  waitMs(now) {
    if (this._count < this._sentAt.length) return 0;
    const age = now - this._sentAt[this._next];
    // a clock set back makes the oldest send look newer than now: let the next one go rather than stall
    return age < 0 || age >= PACE_WINDOW_MS ? 0 : PACE_WINDOW_MS - age;
  }

  sent(now) {
    this._sentAt[this._next] = now;
    this._next = (this._next + 1) % this._sentAt.length;
    this._count = Math.min(this._count + 1, this._sentAt.length);
  }

  /** A new connection: the edge counts its publishes afresh. */
  reset() {
    this._next = 0;
    this._count = 0;
  }
}

/** A random secret chosen once per client (16 bytes, base64url): its dedupe scope as an anonymous publisher. */
function newPublisherKey() {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

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
 * What the client does after a close code: 'reconnect' (and resume), 'stop', or
 * 'reconnect_with_new_token' (4401), following the close-code table of protocol/catalogue.json:
 * 4000-4399 reconnect, 4400-4999 stop, any other code not listed (1006, a dropped socket) reconnects.
 */
export function closeAction(code) {
  if (Object.prototype.hasOwnProperty.call(CloseCodes, code)) return CloseCodes[code];
  if (code >= 4000 && code <= 4399) return 'reconnect';
  if (code >= 4400 && code <= 4999) return 'stop';
  return 'reconnect';
}

/**
 * The error code a close that ends the client reports, as the Java client does (protocol/catalogue.json,
 * closeCodes' `error`): the client broke the protocol (1002, 1003, 1007), is not allowed (1008), sent
 * too much (1009), has no valid token (4401); any other closes it (`closed`).
 */
export function closeError(code) {
  switch (code) {
    case 1002:
    case 1003:
    case 1007:
      return 'protocol';
    case 1008:
      return 'forbidden';
    case 1009:
      return 'too_large';
    case 4401:
      return 'unauthorized';
    default:
      return 'closed';
  }
}

/** Whether a close code means "reconnect and resume" as you are (true) or not (false). */
export function shouldReconnect(code) {
  return closeAction(code) === 'reconnect';
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
    this._tokenInUrl = options.tokenInUrl === true;
    this._opt = {
      pingIntervalMs: options.pingIntervalMs ?? DEFAULTS.pingIntervalMs,
      pongTimeoutMs: options.pongTimeoutMs ?? DEFAULTS.pongTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      publishQueueLimit: options.publishQueueLimit ?? DEFAULTS.publishQueueLimit,
      publishTimeoutMs: options.publishTimeoutMs ?? DEFAULTS.publishTimeoutMs,
      maxFrameBytes: options.maxFrameBytes ?? DEFAULTS.maxFrameBytes,
      publishesPerSecond: options.publishesPerSecond ?? DEFAULTS.publishesPerSecond,
      backoff: { ...DEFAULTS.backoff, ...(options.backoff || {}) },
    };
    const perSecond = this._opt.publishesPerSecond;
    if (!Number.isInteger(perSecond) || perSecond < 0 || perSecond > 10000) {
      throw new RangeError(`publishesPerSecond must be 0 (no pacing) or an integer 1..10000, got ${perSecond}`);
    }
    this._pacer = perSecond === 0 ? null : new PublishPacer(perSecond);
    this._paceTimer = null;
    this._random = (options.backoff && options.backoff.random) || Math.random;
    this._clock = { ...realClock, ...(options.clock || {}) };

    this._state = State.CONNECTING;
    this._listeners = new Map(); // event name -> Set of functions
    this._nextId = 1;
    this._publisherKey = newPublisherKey();
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
    this._queries = new Map(); // request id -> presence query sent and not yet answered
    this._queryQueue = []; // presence queries waiting for a connection
    this._connToken = undefined; // the token of the current connection attempt, sent in `auth`
    this._authId = null; // id of the auth frame waiting for its answer
    this._authedOnce = false; // the current socket had its token accepted (judges a 4401)

    queueMicrotask(() => {
      if (this._state !== State.CLOSED) this._emitState(State.CONNECTING, {});
      this._open();
    });
  }

  /** The current connection state. */
  get state() {
    return this._state;
  }

  /** Every subscription's resume position, by room ({offset, epoch}); rooms without one are left out. */
  positions() {
    const out = {};
    for (const [room, sub] of this._subs) {
      const p = sub.position();
      if (p) out[room] = p;
    }
    return out;
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
    if (typeof room !== 'string' || room.length === 0) throw new RoomcastError('bad_request', 'room must be a non-empty string', { room });
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
      const ephemeral = options.ephemeral === true;
      if (ephemeral && options.eventId !== undefined) {
        // The edge refuses it too: a signal is never stored, so there is nothing to deduplicate.
        reject(new RoomcastError('bad_request', 'an ephemeral publish takes no eventId', { room }));
        return;
      }
      if (options.retry !== undefined && typeof options.retry !== 'boolean') {
        reject(new RoomcastError('bad_request', 'retry must be a boolean', { room }));
        return;
      }
      const retry = options.retry === true;
      if (retry && options.eventId === undefined) {
        // The edge refuses it too: the eventId is what it looks up to find the earlier write.
        reject(new RoomcastError('bad_request', 'a retry needs the eventId of the publish it repeats', { room }));
        return;
      }
      // `sent`: an attempt left this client, so the edge may have written it (judges a timeout).
      const p = { room, data, type: options.type, eventId: options.eventId, retry, ephemeral, resolve, reject, id: 0, timer: null, sent: false };
      // The edge closes the whole connection (1009) on a message above its maxFrameBytes: only this publish fails.
      const bytes = publishFrameBytes(p, this._publisherKey);
      if (bytes > this._opt.maxFrameBytes) {
        reject(new RoomcastError('too_large', `the publish frame is ${bytes} bytes, above maxFrameBytes ${this._opt.maxFrameBytes}`, { room, eventId: p.eventId }));
        return;
      }
      if (this._queue.length >= this._opt.publishQueueLimit) {
        reject(new RoomcastError('queue_full', `publish queue is full (${this._opt.publishQueueLimit} waiting to be sent)`, { room }));
        return;
      }
      p.timer = this._setTimer(() => this._timeoutPublish(p), this._opt.publishTimeoutMs);
      this._queue.push(p);
      this._sendQueued();
    });
  }

  /**
   * Who is in `room` now: resolves with `{room, members, count}` (`members` is absent above the edge's
   * listing limit, then only `count` is known). The asking client need not be subscribed. Waits for a
   * connection like a publish (at most publishTimeoutMs); rejects with a RoomcastError.
   */
  presence(room) {
    return new Promise((resolve, reject) => {
      if (typeof room !== 'string' || room.length === 0) {
        reject(new RoomcastError('bad_request', 'room must be a non-empty string', { room }));
        return;
      }
      if (this._state === State.CLOSED) {
        reject(new RoomcastError('closed', 'the client is closed', { room }));
        return;
      }
      if (this._queries.size + this._queryQueue.length >= this._opt.publishQueueLimit) {
        reject(new RoomcastError('queue_full', `too many presence questions unanswered (${this._opt.publishQueueLimit})`, { room }));
        return;
      }
      const q = { room, resolve, reject, id: 0, timer: null };
      q.timer = this._setTimer(() => {
        if (this._queries.get(q.id) === q) this._queries.delete(q.id);
        const i = this._queryQueue.indexOf(q);
        if (i >= 0) this._queryQueue.splice(i, 1);
        reject(new RoomcastError('timeout', `no presence answer within ${this._opt.publishTimeoutMs} ms`, { room }));
      }, this._opt.publishTimeoutMs);
      if (this._isSendable()) this._sendPresence(q);
      else this._queryQueue.push(q);
    });
  }

  /** Closes the client for good: no reconnect, every timer and listener is released. */
  close() {
    if (this._state === State.CLOSED) return;
    this._attemptGen++;
    const ws = this._ws;
    this._detach();
    if (ws) safeClose(ws, 1000, 'client closed');
    this._shutdown({ code: 1000, reason: 'client closed', error: null }, new RoomcastError('closed', 'the client was closed'));
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
      const token = await this._fetchToken();
      this._connToken = token;
      if (token !== undefined && this._tokenInUrl) url.searchParams.set('token', token);
    } catch (e) {
      if (gen !== this._attemptGen || this._state === State.CLOSED) return;
      this._emit('error', new RoomcastError('token_provider', `token provider failed: ${e && e.message}`, { cause: e }));
      this._scheduleReconnect({ code: 1006, reason: 'token provider failed' });
      return;
    }
    if (gen !== this._attemptGen || this._state === State.CLOSED) return;
    let ws;
    try {
      ws = new this._WebSocket(url.toString());
    } catch (e) {
      this._emit('error', new RoomcastError('connection_lost', `cannot open WebSocket: ${e && e.message}`, { cause: e }));
      this._scheduleReconnect({ code: 1006, reason: 'WebSocket constructor failed' });
      return;
    }
    this._ws = ws;
    if (this._pacer) this._pacer.reset();
    ws.onopen = () => ws === this._ws && this._onOpen();
    ws.onmessage = (ev) => ws === this._ws && this._onMessage(ev.data);
    ws.onclose = (ev) => ws === this._ws && this._onSocketGone(ev.code, ev.reason);
    ws.onerror = noop; // a close event always follows; `ws` would throw on an unhandled 'error'
    this._connTimers.connect = this._setTimer(() => {
      this._abandon(4000, 'connect timeout');
    }, this._opt.connectTimeoutMs);
  }

  /** The token for the next connection or refresh: undefined for none; throws when the callback fails. */
  async _fetchToken() {
    if (this._token === undefined || this._token === null) return undefined;
    const token = typeof this._token === 'function' ? await this._token() : this._token;
    if (token === undefined || token === null || token === '') {
      if (typeof this._token === 'function') throw new Error('the token callback gave no token');
      return undefined;
    }
    return String(token);
  }

  _onOpen() {
    this._clearConnTimer('connect');
    this._drainAt = null;
    this._unsubscribing.clear();
    this._authedOnce = false;
    this._schedulePing();
    if (this._connToken === undefined) {
      this._becomeOpen();
      return;
    }
    // The token goes in the first frame, never in the URL. Requests wait for `authed`: an edge that
    // verifies tokens on a worker thread (JWKS) could otherwise take them before the token.
    this._sendAuth(this._connToken);
    this._connTimers.connect = this._setTimer(() => {
      this._abandon(4000, 'no answer to auth');
    }, this._opt.connectTimeoutMs);
  }

  _sendAuth(token) {
    this._authId = this._nextId++;
    this._send({ op: 'auth', id: this._authId, token });
  }

  _onAuthed(f) {
    if (f.id !== this._authId) return;
    this._authId = null;
    this._authedOnce = true;
    this._clearConnTimer('refresh');
    if (typeof f.expiresAt === 'number' && f.expiresAt > 0 && typeof this._token === 'function') {
      this._connTimers.refresh = this._setTimer(() => {
        delete this._connTimers.refresh;
        this._refreshToken();
      }, refreshDelay(f.expiresAt - this._clock.now()));
    }
    if (this._state !== State.OPEN) {
      this._clearConnTimer('connect');
      this._becomeOpen();
    }
  }

  /** Asks the application for a fresh token and sends it; the edge closes with 4401 at expiry otherwise. */
  async _refreshToken() {
    const ws = this._ws;
    let token;
    try {
      token = await this._fetchToken();
    } catch (e) {
      if (ws !== this._ws || this._state === State.CLOSED) return;
      this._emit('error', new RoomcastError('token_provider', `token provider failed: ${e && e.message}`, { cause: e }));
      return;
    }
    if (ws !== this._ws || this._state !== State.OPEN || !ws || ws.readyState !== OPEN) return;
    this._connToken = token;
    this._sendAuth(token);
  }

  /** The edge refused the token of this connection, or of a refresh. */
  _onAuthRefused(err) {
    this._authId = null;
    if (this._state === State.OPEN) {
      // A refresh: the current token stays in force until its expiry, then the edge closes with 4401.
      this._emit('error', err);
      return;
    }
    if (ErrorCodes[err.code] && ErrorCodes[err.code].retryable) {
      this._emit('error', err);
      this._abandon(4000, `auth: ${err.code}`);
      return;
    }
    const ws = this._ws;
    this._detach();
    if (ws) safeClose(ws, 1000, 'token refused');
    // The edge would close with 4401 at the end of its grace; the client stops now and says so, as for that close.
    err.closeCode = 4401;
    this._shutdown({ code: 4401, reason: err.message, error: err }, err);
  }

  _becomeOpen() {
    // Resubscribe and flush before telling listeners, so a publish() from a state listener
    // cannot overtake the publishes that waited for this connection.
    this._state = State.OPEN;
    this._connTimers.stable = this._setTimer(() => {
      this._attempt = 0;
    }, this._opt.backoff.resetAfterMs);
    for (const sub of this._subs.values()) {
      if (sub.state !== 'failed') this._sendSubscribe(sub);
    }
    this._sendQueued();
    const asked = this._queryQueue;
    this._queryQueue = [];
    for (const q of asked) {
      if (this._isSendable()) this._sendPresence(q);
      else this._queryQueue.push(q);
    }
    this._emit('state', State.OPEN, {});
  }

  /**
   * Gives up on the current socket without waiting for its close handshake (it may be dead). `code`
   * must lie in the catalogue's reconnect range 4000-4399: a browser's WebSocket.close() throws for
   * anything but 1000 and 3000-4999, and safeClose would swallow that and leave the socket open.
   */
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
    const action = closeAction(code);
    // 4401 after the token was accepted means it expired: a token callback gives a new one.
    const renew = action === 'reconnect_with_new_token' && this._authedOnce && typeof this._token === 'function';
    if (action !== 'reconnect' && !renew) {
      // For good: every publish still waiting, sent or not, gets this error with its close code.
      const err = new RoomcastError(closeError(code), `the edge closed the connection (${code}${reason ? ' ' + reason : ''})`, { closeCode: code });
      this._shutdown({ code, reason, error: err }, err);
      return;
    }
    this._failInflight();
    // A presence query is safe to ask again: it goes back to wait for the next connection.
    this._queryQueue = [...this._queries.values(), ...this._queryQueue];
    this._queries.clear();
    for (const sub of this._subs.values()) sub._onDisconnect();
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
    const publishes = [...this._inflight.values(), ...this._queue];
    const queries = [...this._queries.values(), ...this._queryQueue];
    this._inflight.clear();
    this._queue = [];
    this._queries.clear();
    this._queryQueue = [];
    // A publish that was sent may have been written: as after a timeout, its eventId lets the
    // application publish it again (retry: true) on a new client without writing it twice.
    const closeCode = error.closeCode === undefined ? {} : { closeCode: error.closeCode };
    for (const p of publishes) {
      p.reject(new RoomcastError(error.code, error.message, { ...closeCode, room: p.room, eventId: p.eventId, maybeWritten: p.sent === true || p.retry === true }));
    }
    for (const q of queries) q.reject(error);
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
      this._emit('error', new RoomcastError('protocol', 'the edge sent a non-text frame; ignored'));
      return;
    }
    let parsed;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      this._emit('error', new RoomcastError('protocol', 'the edge sent a frame that is not JSON; ignored'));
      return;
    }
    const frames = Array.isArray(parsed) ? parsed : [parsed];
    for (const f of frames) {
      if (this._state === State.CLOSED) return;
      if (f === null || typeof f !== 'object' || Array.isArray(f) || typeof f.op !== 'string') {
        this._emit('error', new RoomcastError('protocol', 'the edge sent a frame without an op; ignored'));
        continue;
      }
      const problem = frameProblem(f);
      if (problem) {
        this._emit('error', new RoomcastError('protocol', `the edge sent a ${f.op} frame ${problem}; ignored`, { room: typeof f.room === 'string' ? f.room : undefined }));
        continue;
      }
      this._onFrame(f);
    }
  }

  _onFrame(f) {
    switch (f.op) {
      case 'event': {
        const sub = this._activeSub(f.room);
        if (!sub) return;
        if (f.ephemeral === true) sub._onEphemeralFrame(f);
        else sub._onEventFrame(f);
        return;
      }
      case 'partial':
        this._activeSub(f.room)?._onPartialFrame(f);
        return;
      case 'snapshot': {
        const sub = this._subs.get(f.room);
        if (sub && sub._requestId === f.id) sub._onSnapshotFrame(f);
        return;
      }
      case 'join':
      case 'leave':
        this._activeSub(f.room)?._onMembershipFrame(f);
        return;
      case 'sync':
        this._activeSub(f.room)?._onSyncFrame(f);
        return;
      case 'presence': {
        if (f.id !== undefined && this._queries.has(f.id)) {
          const q = this._queries.get(f.id);
          this._queries.delete(f.id);
          this._clearTimer(q.timer);
          const answer = { room: f.room, count: f.count };
          if (Array.isArray(f.members)) answer.members = f.members.map(member);
          q.resolve(answer);
          return;
        }
        if (f.id === undefined) this._activeSub(f.room)?._onPresenceCount(f);
        return;
      }
      case 'live':
        this._activeSub(f.room)?._onLiveFrame(f);
        return;
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
        p.resolve(f.ephemeral === true ? null : f.offset); // a signal has no offset
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
      case 'authed':
        this._onAuthed(f);
        return;
      case 'dropped':
        this._activeSub(f.room)?._onDroppedFrame(f);
        return;
      default:
        return; // unknown ops are ignored: the protocol may grow
    }
  }

  /** The subscription a room frame belongs to; none once it is being given up (its frames are late). */
  _activeSub(room) {
    if (this._unsubscribing.get(room)) return undefined;
    return this._subs.get(room);
  }

  _onErrorFrame(f) {
    const known = Object.prototype.hasOwnProperty.call(ErrorCodes, f.code) && ErrorCodes[f.code].origin === 'edge';
    const err = known
      ? new RoomcastError(f.code, f.message, { room: f.room, requestId: f.id })
      : new RoomcastError('unknown', `edge error '${f.code}': ${f.message}`, { room: f.room, requestId: f.id, edgeCode: f.code });
    if (f.id !== undefined && f.id === this._authId) {
      this._onAuthRefused(err);
      return;
    }
    if (f.id !== undefined && this._queries.has(f.id)) {
      const q = this._queries.get(f.id);
      this._queries.delete(f.id);
      this._clearTimer(q.timer);
      q.reject(err);
      return;
    }
    if (f.id !== undefined && this._inflight.has(f.id)) {
      const p = this._inflight.get(f.id);
      this._inflight.delete(f.id);
      if (f.code === 'outcome_unknown' && p.eventId !== undefined && !p.retry && this._ws && this._ws.readyState === OPEN) {
        // The write may still land: resend it as a retry, which the edge answers once the first
        // attempt has settled (ack, or duplicate:true when it was written), within the publish timeout.
        // Only once: a retry answered outcome_unknown could not be looked up (too much to read),
        // and an immediate resend would only ask the same question again, in a tight loop.
        p.retry = true;
        this._queue.unshift(p);
        this._sendQueued();
        return;
      }
      this._clearTimer(p.timer);
      if (p.eventId !== undefined) err.eventId = p.eventId; // what a resend with retry:true needs
      err.maybeWritten = f.code === 'outcome_unknown'; // any other refusal wrote nothing
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
      this._emit('error', new RoomcastError('connection_lost', `send failed: ${e && e.message}`, { cause: e }));
      return false;
    }
  }

  _sendSubscribe(sub) {
    sub._requestId = this._nextId++;
    const frame = { op: 'subscribe', id: sub._requestId, room: sub.room };
    const from = sub._resumeFrom();
    if (from !== undefined) frame.from = from;
    sub._asked = from;
    if (sub._policy !== undefined) frame.policy = sub._policy;
    if (sub._presence) frame.presence = true;
    if (sub._presence && sub._name !== undefined) frame.name = sub._name;
    if (sub._ephemeral) frame.ephemeral = true;
    if (sub._compact) frame.compact = true;
    sub.state = 'subscribing';
    this._send(frame);
  }

  _sendUnsubscribe(sub) {
    if (!this._ws || this._ws.readyState !== OPEN || sub._requestId === 0) return;
    this._unsubscribing.set(sub.room, (this._unsubscribing.get(sub.room) || 0) + 1);
    this._send({ op: 'unsubscribe', id: this._nextId++, room: sub.room });
  }

  /**
   * Sends the queued publishes in call order, as many as the pacer lets go now (the edge refuses
   * more than its publishesPerSecond with `rate_limited`, and closes with 4029 after 100 refusals);
   * the rest when it lets them.
   */
  _sendQueued() {
    while (this._queue.length > 0 && this._isSendable()) {
      const now = this._clock.now();
      const wait = this._pacer ? this._pacer.waitMs(now) : 0;
      if (wait > 0) {
        if (this._paceTimer === null) {
          this._paceTimer = this._setTimer(() => {
            this._paceTimer = null;
            this._sendQueued();
          }, wait);
        }
        return;
      }
      this._sendPublish(this._queue.shift());
      if (this._pacer) this._pacer.sent(now);
    }
  }

  _sendPublish(p) {
    p.id = this._nextId++;
    this._inflight.set(p.id, p);
    if (this._send(publishFrame(p, p.id, this._publisherKey))) {
      p.sent = true;
    } else {
      this._inflight.delete(p.id);
      this._clearTimer(p.timer);
      p.reject(new RoomcastError('connection_lost', 'the publish could not be sent', { room: p.room, eventId: p.eventId }));
    }
  }

  _sendPresence(q) {
    q.id = this._nextId++;
    this._queries.set(q.id, q);
    if (!this._send({ op: 'presence', id: q.id, room: q.room })) {
      this._queries.delete(q.id);
      this._queryQueue.push(q);
    }
  }

  /**
   * Publishes in flight when a socket dies may or may not have been written by the edge. Without an
   * eventId they fail with `connection_lost` (a blind resend could write the event twice); with an
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
        p.reject(new RoomcastError('connection_lost', 'the connection was lost before the ack; the event may or may not have been written', { room: p.room, maybeWritten: true }));
      }
    }
    this._inflight.clear();
    this._queue = resend.concat(this._queue);
  }

  /**
   * A publish without its answer in time. One that never left the client (and repeats no earlier
   * attempt) was not written; any other may have been, also when it waited in the queue again after
   * a lost connection: `maybeWritten` and `eventId` let the application publish it again with the
   * same eventId and retry:true, which the edge answers with the first write instead of a second one.
   */
  _timeoutPublish(p) {
    this._timers.delete(p.timer);
    if (this._inflight.get(p.id) === p) this._inflight.delete(p.id);
    const i = this._queue.indexOf(p);
    if (i >= 0) this._queue.splice(i, 1);
    const maybeWritten = p.sent || p.retry;
    const ms = this._opt.publishTimeoutMs;
    let message;
    if (!maybeWritten) message = `no connection within ${ms} ms; the event was not sent`;
    else if (p.eventId === undefined) message = `no ack within ${ms} ms; the event may or may not have been written`;
    else message = `no ack within ${ms} ms; the event may or may not have been written: publish it again with eventId ${p.eventId} and retry:true`;
    p.reject(new RoomcastError('timeout', message, { room: p.room, eventId: p.eventId, maybeWritten }));
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
    this._policy = options.policy;
    this._onEvent = onEvent;
    this._onGap = options.onGap;
    this._onError = options.onError;
    this._onLive = options.onLive;
    this._presence = options.presence === true;
    this._name = typeof options.name === 'string' ? options.name : undefined;
    this._ephemeral = options.ephemeral === true;
    this._compact = options.compact === true;
    this._onJoin = options.onJoin;
    this._onLeave = options.onLeave;
    this._onPresence = options.onPresence;
    this._onEphemeral = options.onEphemeral;
    this._onPartial = options.onPartial;
    this._onSnapshot = options.onSnapshot;
    this._members = new Map(); // client id -> member, while presence is on
    this._stale = new Set(); // client ids listed before a resubscribe that the edge has not named again (until `sync`)
    this._relisting = false; // between a resubscribe's `subscribed` and `sync`: the list is told once, at `sync`
    this._memberCount = 0;
    this._listed = true; // false above the edge's listing limit: only the count is known
    this._requestId = 0;
    this._asked = undefined; // the `from` of the last subscribe sent, to judge its answer
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

  /**
   * The room's members as this subscription knows them (only with `presence: true`): one entry per
   * connection, longest present first. Empty above the edge's listing limit; see presenceCount.
   */
  members() {
    return [...this._members.values()].sort((a, b) => a.since - b.since || (a.client < b.client ? -1 : 1));
  }

  /** How many members the room has (with `presence: true`), also above the listing limit. */
  get presenceCount() {
    return this._memberCount;
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
    // The edge lists everyone present again as joins, up to `sync`: a member kept from before whom
    // it names again stayed (no join), one it does not name left meanwhile (a leave at `sync`).
    this._stale = new Set(this._members.keys());
    this._relisting = this._stale.size > 0;
    this._listed = true;
    const previousEpoch = this._epoch;
    if (typeof f.epoch === 'string') this._epoch = f.epoch;
    const asked = this._asked && typeof this._asked === 'object' && typeof this._asked.after === 'number' ? this._asked : null;
    if (f.recovered !== false && asked && typeof f.epoch === 'string' && asked.epoch !== f.epoch) {
      // An edge must not claim recovery across epochs: never let offsets of two histories mix silently.
      this._offset = null;
      this._reportGap({ room: this.room, reason: GapReason.EPOCH, after: asked.after, resumeAt: -1, epoch: this._epoch, previousEpoch, count: -1, first: -1, last: -1 });
      return;
    }
    if (f.recovered === false) {
      const gap = f.gap && typeof f.gap === 'object' ? f.gap : {};
      // Delivery restarts at resumeAt; remembering resumeAt-1 makes that the position even before
      // the first event arrives, and lets offsets of a new epoch (which may be lower) through.
      this._offset = typeof gap.resumeAt === 'number' ? gap.resumeAt - 1 : null;
      this._reportGap({
        room: this.room,
        reason: typeof gap.reason === 'string' ? gap.reason : GapReason.UNKNOWN,
        after: typeof gap.after === 'number' ? gap.after : asked ? asked.after : -1,
        resumeAt: typeof gap.resumeAt === 'number' ? gap.resumeAt : -1,
        epoch: this._epoch,
        previousEpoch,
        count: -1,
        first: -1,
        last: -1,
      });
    }
  }

  /** A lossy subscription skipped live events: a gap with their count and offsets; they are not fetched again. */
  _onDroppedFrame(f) {
    if (this.state !== 'active') return;
    if (this._offset === null || f.last > this._offset) this._offset = f.last;
    this._reportGap({
      room: this.room,
      reason: GapReason.DROPPED,
      after: f.first - 1,
      resumeAt: f.last + 1,
      epoch: this._epoch,
      previousEpoch: this._epoch,
      count: f.count,
      first: f.first,
      last: f.last,
    });
  }

  _reportGap(info) {
    this._call(this._onGap, info);
    const heard = this._client._emit('gap', info);
    if (!this._onGap && !heard && typeof console !== 'undefined') {
      console.warn(`roomcast: ${this.room} has a gap (${info.reason}); delivery resumes at ${info.resumeAt}`);
    }
  }

  _onEventFrame(f) {
    if (this.state === 'closed' || this.state === 'failed') return;
    if (this._offset !== null && f.offset <= this._offset) return; // duplicate or replayed
    this._offset = f.offset;
    const event = { room: this.room, offset: f.offset, type: f.type || 'message', ts: f.ts, data: f.data, epoch: this._epoch };
    if (f.eventId !== undefined) event.eventId = f.eventId;
    if (f.encoding !== undefined) event.encoding = f.encoding;
    this._call(this._onEvent, event);
  }

  /**
   * A signal: delivered to onEphemeral only (never to onEvent, which sees stored events alone, so a
   * signal can never pass for one), and no position (it has no offset and is never replayed).
   */
  _onEphemeralFrame(f) {
    if (this.state !== 'active' || !this._ephemeral) return;
    const event = { room: this.room, offset: null, type: f.type || 'message', ts: f.ts, data: f.data, ephemeral: true, epoch: this._epoch };
    if (typeof f.client === 'string') event.client = f.client;
    this._call(this._onEphemeral, event);
  }

  /**
   * The held-back tokens of an answer (compact history), after the history's events and before
   * `live`. Its offset may lie below events already delivered (tokens are held while later events
   * pass), so it is never judged by the position: every partial is delivered, and the application
   * keeps each `seq` once (a resume may repeat tokens it had). Everything up to its offset has been
   * delivered by then, so the position is at least that.
   */
  _onPartialFrame(f) {
    if (this.state !== 'active') return;
    if (this._offset === null || f.offset > this._offset) this._offset = f.offset;
    this._call(this._onPartial, {
      room: this.room, generationId: f.generationId, fromSeq: f.fromSeq, toSeq: f.toSeq, offset: f.offset, text: f.text, epoch: this._epoch,
    });
  }

  /** The room's state as of an offset (from 'snapshot'): the events after it follow, so it is the position. */
  _onSnapshotFrame(f) {
    this._offset = f.offset;
    this._epoch = f.epoch;
    this._call(this._onSnapshot, { room: this.room, offset: f.offset, epoch: f.epoch, ts: f.ts, data: f.data });
  }

  _onMembershipFrame(f) {
    if (this.state !== 'active' || !this._presence) return;
    const m = member(f.member);
    const joined = f.op === 'join';
    const stayed = this._stale.delete(m.client) && joined;
    if (joined) this._members.set(m.client, m);
    else this._members.delete(m.client);
    this._memberCount = Number.isSafeInteger(f.count) ? f.count : this._members.size;
    this._listed = true;
    if (!stayed) this._call(joined ? this._onJoin : this._onLeave, { room: this.room, member: m, count: this._memberCount });
    // While a resubscribe relists, the list still holds members who may have left: it is told at `sync`.
    if (!this._relisting) this._notifyPresence();
  }

  /** The edge has listed everyone present: members kept from before that it did not name have left. */
  _onSyncFrame(f) {
    if (this.state !== 'active' || !this._presence) return;
    const gone = [...this._stale].map((client) => this._members.get(client))
      .sort((a, b) => a.since - b.since || (a.client < b.client ? -1 : 1));
    this._stale.clear();
    this._memberCount = f.count;
    const relisted = this._relisting;
    this._relisting = false;
    if (gone.length === 0 && !relisted) return;
    for (const m of gone) {
      this._members.delete(m.client);
      this._call(this._onLeave, { room: this.room, member: m, count: this._memberCount });
    }
    this._notifyPresence();
  }

  /**
   * Above the listing limit the edge sends counts instead of joins and leaves; back at the limit, the
   * whole list once (`members`), then joins and leaves again.
   */
  _onPresenceCount(f) {
    if (this.state !== 'active' || !this._presence) return;
    this._members.clear();
    this._stale.clear();
    this._relisting = false;
    this._listed = Array.isArray(f.members);
    if (this._listed) for (const m of f.members.map(member)) this._members.set(m.client, m);
    this._memberCount = f.count;
    this._notifyPresence();
  }

  _notifyPresence() {
    this._call(this._onPresence, { room: this.room, members: this.members(), count: this._memberCount, listed: this._listed });
  }

  _onLiveFrame(f) {
    if (this._offset === null || f.offset > this._offset) this._offset = f.offset;
    this._call(this._onLive, { room: this.room, offset: f.offset, epoch: this._epoch });
  }

  _onSubscribeError(err) {
    const c = this._client;
    this._requestId = 0;
    if (ErrorCodes[err.code] && ErrorCodes[err.code].retryable) {
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

/** The `publish` frame of a publish `p` under request id `id`. */
function publishFrame(p, id, publisherKey) {
  const frame = { op: 'publish', id, room: p.room, data: p.data };
  if (p.type !== undefined) frame.type = p.type;
  if (p.eventId !== undefined) {
    frame.eventId = p.eventId;
    // Makes this client one publisher across connections and edges without a token, so a retry
    // on a new connection is recognised as the same publisher's (docs/security.md).
    frame.publisherKey = publisherKey;
  }
  if (p.retry) frame.retry = true;
  if (p.ephemeral) frame.ephemeral = true;
  return frame;
}

const RETRY_MARK = ',"retry":true';
const UTF8 = new TextEncoder();

/**
 * The most UTF-8 bytes a publish's frame can take: with the longest request id, and with the `retry`
 * mark a publish with an eventId gets when it is resent after a lost connection.
 */
function publishFrameBytes(p, publisherKey) {
  const text = JSON.stringify(publishFrame(p, Number.MAX_SAFE_INTEGER, publisherKey));
  const resent = p.eventId !== undefined && !p.retry ? RETRY_MARK.length : 0;
  return UTF8.encode(text).length + resent;
}

/** A presence member as the application sees it (docs/protocol.md, Presence). */
function member(m) {
  return {
    client: m.client,
    user: typeof m.user === 'string' ? m.user : null,
    name: typeof m.name === 'string' ? m.name : null,
    since: typeof m.since === 'number' ? m.since : 0,
    verified: m.verified === true,
  };
}

/**
 * When to refresh a token that expires in `remainingMs`: once 80 % of it has passed, never sooner
 * than a second from now (a token about to expire must not make the client spin), never later than
 * its expiry (the same rule as the Java client).
 */
export function refreshDelay(remainingMs) {
  if (remainingMs <= 0) return 0;
  return Math.min(remainingMs, Math.max(1000, Math.floor(remainingMs * 0.8)));
}

const isOffset = (v) => Number.isSafeInteger(v) && v >= -1;
const isString = (v) => typeof v === 'string';

/** What is wrong with a frame the client acts on (the catalogue's required fields), or null. */
function frameProblem(f) {
  switch (f.op) {
    case 'event':
      if (f.ephemeral === true) return isString(f.room) ? null : 'without a room';
      return isString(f.room) && isOffset(f.offset) ? null : 'without a room and an integer offset';
    case 'partial':
      return isString(f.room) && isString(f.generationId) && Number.isSafeInteger(f.fromSeq) && Number.isSafeInteger(f.toSeq)
        && f.fromSeq <= f.toSeq && isOffset(f.offset) && isString(f.text)
        ? null : 'without a room, generationId, fromSeq, toSeq, offset and text';
    case 'snapshot':
      return isString(f.room) && isOffset(f.offset) && isString(f.epoch) ? null : 'without a room, an integer offset and an epoch';
    case 'join':
    case 'leave':
      return isString(f.room) && f.member !== null && typeof f.member === 'object' && isString(f.member.client)
        ? null : 'without a room and a member with a client id';
    case 'presence':
      return isString(f.room) && Number.isSafeInteger(f.count) && (f.members === undefined
        || (Array.isArray(f.members) && f.members.every((m) => m !== null && typeof m === 'object' && isString(m.client))))
        ? null : 'without a room, a count and members with client ids';
    case 'sync':
      return isString(f.room) && Number.isSafeInteger(f.count) ? null : 'without a room and a count';
    case 'live':
      return isString(f.room) && isOffset(f.offset) ? null : 'without a room and an integer offset';
    case 'subscribed':
      return isString(f.room) && isString(f.epoch) ? null : 'without a room and an epoch';
    case 'ack':
      // an ephemeral signal's ack has no offset: it is never stored
      return f.ephemeral === true || isOffset(f.offset) ? null : 'without an integer offset';
    case 'dropped':
      return isString(f.room) && Number.isSafeInteger(f.count) && isOffset(f.first) && isOffset(f.last) && f.first <= f.last
        ? null : 'without a room, count, first and last';
    case 'error':
      return isString(f.code) ? null : 'without a code';
    default:
      return null;
  }
}

function safeClose(ws, code, reason) {
  try {
    ws.close(code, reason);
  } catch (e) {
    // Already closing or closed; nothing left to release.
  }
}
