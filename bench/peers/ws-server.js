// Plain Node.js `ws` broadcast server: the baseline peer. Usage: node --expose-gc ws-server.js
'use strict';
const { WebSocketServer } = require('ws');
const { handle } = require('./rooms');
const control = require('./control');

const rooms = new Map(); // room -> Set of sockets
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, backlog: 4096 });

wss.on('connection', (ws) => {
  const joined = [];
  ws.on('message', (msg) => {
    const [reply, broadcast, join] = handle(msg.toString());
    if (join) {
      let set = rooms.get(join);
      if (!set) rooms.set(join, (set = new Set()));
      set.add(ws);
      joined.push(set);
    }
    if (reply) ws.send(reply);
    if (broadcast) {
      const set = rooms.get(broadcast.room);
      if (set) {
        const bytes = Buffer.from(broadcast.frame);
        for (const client of set) if (client.readyState === 1) client.send(bytes, { binary: false });
      }
    }
  });
  ws.on('close', () => joined.forEach((set) => set.delete(ws)));
  ws.on('error', () => {});
});

wss.on('listening', () => process.stdout.write(`READY ${wss.address().port}\n`));
control(() => wss.close());
