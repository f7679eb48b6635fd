// Socket.IO 4 with connection-state recovery: the peer that replays what a reconnecting client missed
// (within maxDisconnectionDuration, from the server's memory). Usage: node --expose-gc socketio-server.js
//   emit("subscribe", room)        -> joins the room, emits ("subscribed", room)
//   emit("publish", room, data)    -> io.to(room).emit("event", {op, room, offset, type, ts, data})
//   emit("sync", ack)              -> ack() once every earlier packet of this socket was handled
'use strict';
const http = require('node:http');
const { Server } = require('socket.io');
const control = require('./control');

const httpServer = http.createServer();
const io = new Server(httpServer, {
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: false,
  connectionStateRecovery: { maxDisconnectionDuration: 10 * 60 * 1000, skipMiddlewares: true },
});
const offsets = new Map();

io.on('connection', (socket) => {
  socket.on('subscribe', (room) => {
    socket.join(room);
    socket.emit('subscribed', room);
  });
  socket.on('publish', (room, data) => {
    const offset = (offsets.get(room) || 0) + 1;
    offsets.set(room, offset);
    io.to(room).emit('event', { op: 'event', room, offset, type: 'message', ts: Date.now(), data });
  });
  socket.on('sync', (ack) => typeof ack === 'function' && ack());
});

httpServer.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
  process.stdout.write(`READY ${httpServer.address().port}\n`);
});
control(() => io.close());
