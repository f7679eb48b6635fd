// A small in-process stand-in for the Roomcast edge, built on the `ws` package (port 0, loopback).
// By default it answers like a well-behaved edge (subscribed, ack, pong, unsubscribed); a test
// takes over any frame through `onFrame`, or sends arbitrary frames itself.
import { WebSocketServer } from 'ws';

export async function startFakeEdge(options = {}) {
  const edge = new FakeEdge(options);
  await edge._listen();
  return edge;
}

class FakeEdge {
  constructor({ epoch = 'E', autoPong = true, autoAck = true, acceptConnections = true, onFrame = null } = {}) {
    this.epoch = epoch;
    this.autoPong = autoPong;
    this.autoAck = autoAck;
    /** When false, every WebSocket handshake is refused with HTTP 503, as by an edge that is down. */
    this.acceptConnections = acceptConnections;
    this.refused = 0;
    /** Custom handler: return true when it handled the frame, so the default answer is skipped. */
    this.onFrame = onFrame;
    this.connections = [];
    this.nextOffset = 100;
    /** What `authed` answers carry (-1: an edge without authentication). */
    this.authExpiresAt = -1;
  }

  _listen() {
    const verifyClient = (info, done) => {
      if (this.acceptConnections) return done(true);
      this.refused++;
      return done(false, 503, 'edge down (test)');
    };
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0, verifyClient });
    this.wss.on('connection', (ws, req) => this._onConnection(ws, req));
    return new Promise((resolve) => this.wss.on('listening', resolve));
  }

  get port() {
    return this.wss.address().port;
  }

  get url() {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  /** The newest connection. */
  get last() {
    return this.connections[this.connections.length - 1];
  }

  /** Every frame any connection received, as {conn, frame}. */
  get received() {
    return this.connections.flatMap((c) => c.received.map((frame) => ({ conn: c.index, frame })));
  }

  _onConnection(ws, req) {
    const conn = new FakeConnection(ws, this.connections.length, req.url);
    this.connections.push(conn);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let parsed;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        return;
      }
      for (const frame of Array.isArray(parsed) ? parsed : [parsed]) {
        conn.received.push(frame);
        if (this.onFrame && this.onFrame(conn, frame)) continue;
        this._answer(conn, frame);
      }
    });
  }

  _answer(conn, f) {
    switch (f.op) {
      case 'subscribe': {
        const answer = { op: 'subscribed', id: f.id, room: f.room, epoch: this.epoch };
        if (f.from !== undefined) answer.recovered = true;
        conn.send(answer);
        return;
      }
      case 'unsubscribe':
        conn.send({ op: 'unsubscribed', id: f.id, room: f.room });
        return;
      case 'publish':
        if (this.autoAck) conn.send({ op: 'ack', id: f.id, room: f.room, offset: this.nextOffset++ });
        return;
      case 'ping':
        if (this.autoPong) conn.send({ op: 'pong', id: f.id });
        return;
      case 'auth':
        conn.send({ op: 'authed', id: f.id, expiresAt: this.authExpiresAt });
        return;
      default:
    }
  }

  async close() {
    for (const c of this.connections) c.ws.terminate();
    await new Promise((resolve) => this.wss.close(resolve));
  }
}

class FakeConnection {
  constructor(ws, index, path) {
    this.ws = ws;
    this.index = index;
    this.path = path;
    this.received = [];
    this.closed = false;
    ws.on('close', () => {
      this.closed = true;
    });
  }

  /** Sends an object or array as JSON, or a string as it is. */
  send(frame) {
    if (this.ws.readyState !== 1) return;
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  close(code, reason) {
    this.ws.close(code, reason);
  }

  /** Drops the TCP connection without a close frame (a crashed edge). */
  kill() {
    this.ws.terminate();
  }

  framesWith(op) {
    return this.received.filter((f) => f.op === op);
  }
}

/** Polls a condition until it holds; fails with `what` after `timeoutMs`. */
export async function waitUntil(condition, what = 'condition', timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Real timers that remember which handles are still pending, to prove close() leaves none. */
export function trackingClock() {
  const live = new Set();
  return {
    live,
    setTimeout(fn, ms) {
      const t = setTimeout(() => {
        live.delete(t);
        fn();
      }, ms);
      live.add(t);
      return t;
    },
    clearTimeout(t) {
      live.delete(t);
      clearTimeout(t);
    },
    now: () => Date.now(),
  };
}

/** Collects a client's state changes as [state, info] pairs. */
export function recordStates(rc) {
  const states = [];
  rc.on('state', (s, info) => states.push([s, info]));
  return states;
}

/** Timers that fire only when the test advances the clock; sockets still run on real IO. */
export function manualClock() {
  let now = 0;
  let seq = 0;
  const timers = new Map(); // handle -> {at, fn}
  return {
    timers,
    now: () => now,
    setTimeout(fn, ms) {
      const handle = { seq: ++seq };
      timers.set(handle, { at: now + Math.max(0, ms), fn });
      return handle;
    },
    clearTimeout(handle) {
      timers.delete(handle);
    },
    /** Moves time forward, firing due timers in time order (timers they add are considered too). */
    advance(ms) {
      const target = now + ms;
      for (;;) {
        let next = null;
        for (const [h, t] of timers) if (t.at <= target && (!next || t.at < next[1].at || (t.at === next[1].at && h.seq < next[0].seq))) next = [h, t];
        if (!next) break;
        timers.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = target;
    },
  };
}
