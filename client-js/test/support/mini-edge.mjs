// A tiny stand-in for the real edge, for smoke-testing the browser harness without Java and Kafka:
// HTTP serves the demo page and /roomcast.js; /ws speaks the Roomcast protocol over an in-memory
// log that survives stop()/start() the way Kafka survives an edge crash. One partition is shared
// by all rooms, so a room's offsets are increasing but not contiguous, as with Kafka.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { WebSocketServer } from 'ws';

const here = new URL('.', import.meta.url);
const STATIC = {
  '/': ['text/html; charset=utf-8', new URL('../browser/index.html', here)],
  '/roomcast.js': ['text/javascript; charset=utf-8', new URL('../../roomcast.js', here)],
};

export class MiniEdge {
  constructor({ epoch = 'mini.1' } = {}) {
    this.epoch = epoch;
    this.log = []; // {offset, room, type, data, eventId, ts}; offset = index
    this.subscribers = new Map(); // room -> Set of ws
    this.server = null;
    this.port = 0;
  }

  /** Writes an event as any Kafka producer would; live subscribers get it at once. */
  append(room, data, type = 'message', eventId) {
    const e = { offset: this.log.length, room, type, data, eventId, ts: Date.now() };
    this.log.push(e);
    const bytes = JSON.stringify(eventFrame(e));
    for (const ws of this.subscribers.get(room) || []) ws.send(bytes);
    return e.offset;
  }

  offsetsOf(room) {
    return this.log.filter((e) => e.room === room).map((e) => e.offset);
  }

  async start(port = this.port) {
    this.server = createServer((req, res) => {
      const entry = STATIC[new URL(req.url, 'http://x').pathname];
      if (!entry) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': entry[0], 'cache-control': 'no-store' }).end(readFileSync(entry[1]));
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      if (new URL(req.url, 'http://x').pathname !== '/ws') {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this._session(ws));
    });
    await new Promise((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = this.server.address().port;
    return this;
  }

  /** A crash: every connection is cut without a close frame and the port stops listening. */
  async stop() {
    for (const ws of this.wss.clients) ws.terminate();
    this.subscribers.clear();
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(resolve));
    this.wss.close();
  }

  _session(ws) {
    const rooms = new Set();
    ws.on('close', () => {
      for (const r of rooms) this.subscribers.get(r)?.delete(ws);
    });
    ws.on('message', (raw) => {
      let parsed;
      try {
        parsed = JSON.parse(raw.toString());
      } catch {
        ws.send(JSON.stringify({ op: 'error', code: 'bad_request', message: 'frame is not valid JSON' }));
        return;
      }
      for (const f of Array.isArray(parsed) ? parsed : [parsed]) this._request(ws, rooms, f);
    });
  }

  _request(ws, rooms, f) {
    const send = (o) => ws.send(JSON.stringify(o));
    switch (f.op) {
      case 'ping':
        send({ op: 'pong', id: f.id });
        return;
      case 'publish':
        send({ op: 'ack', id: f.id, room: f.room, offset: this.append(f.room, f.data ?? null, f.type || 'message', f.eventId) });
        return;
      case 'unsubscribe':
        rooms.delete(f.room);
        this.subscribers.get(f.room)?.delete(ws);
        send({ op: 'unsubscribed', id: f.id, room: f.room });
        return;
      case 'subscribe': {
        const answer = { op: 'subscribed', id: f.id, room: f.room, epoch: this.epoch };
        let after = this.log.length - 1; // latest
        const from = f.from;
        if (from === 'earliest') after = -1;
        else if (from && typeof from === 'object' && 'after' in from) {
          if (from.epoch !== this.epoch) {
            answer.gap = { reason: 'epoch', after: from.after, resumeAt: 0 };
            after = -1;
          } else if (from.after > this.log.length - 1) {
            answer.gap = { reason: 'unknown_position', after: from.after, resumeAt: this.log.length };
          } else after = from.after;
        } else if (from && typeof from === 'object' && 'last' in from) {
          const mine = this.offsetsOf(f.room);
          after = mine.length > from.last ? mine[mine.length - from.last - 1] : -1;
        }
        if (from !== undefined) answer.recovered = !answer.gap;
        send(answer);
        for (const e of this.log) if (e.room === f.room && e.offset > after) send(eventFrame(e));
        send({ op: 'live', room: f.room, offset: this.log.length - 1 });
        rooms.add(f.room);
        if (!this.subscribers.has(f.room)) this.subscribers.set(f.room, new Set());
        this.subscribers.get(f.room).add(ws);
        return;
      }
      default:
        send({ op: 'error', id: f.id, code: 'bad_request', message: `unknown op ${f.op}` });
    }
  }
}

function eventFrame(e) {
  const f = { op: 'event', room: e.room, offset: e.offset, type: e.type, ts: e.ts, data: e.data };
  if (e.eventId !== undefined) f.eventId = e.eventId;
  return f;
}
