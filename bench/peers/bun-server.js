// Bun's built-in WebSocket pub/sub (uWebSockets underneath): the fastest broadcast peer.
// Usage: bun bun-server.js
'use strict';
const { handle } = require('./rooms');
const control = require('./control');

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch(req, srv) {
    if (srv.upgrade(req)) return undefined;
    return new Response('roomcast bench peer (bun)\n');
  },
  websocket: {
    perMessageDeflate: false,
    idleTimeout: 0,
    message(ws, msg) {
      const [reply, broadcast, join] = handle(typeof msg === 'string' ? msg : msg.toString());
      if (join) ws.subscribe(join);
      if (reply) ws.send(reply);
      if (broadcast) server.publish(broadcast.room, broadcast.frame);
    },
  },
});

process.stdout.write(`READY ${server.port}\n`);
control(() => server.stop(true));
