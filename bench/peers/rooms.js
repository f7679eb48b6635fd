// The adapter protocol of the plain-WebSocket peers: a subset of Roomcast's frames (docs/protocol.md).
//   {"op":"subscribe","id":1,"room":"r"}   -> {"op":"subscribed","id":1,"room":"r"}
//   {"op":"publish","room":"r","data":D}   -> every subscriber of r gets
//                                             {"op":"event","room":"r","offset":N,"type":"message","ts":MS,"data":D}
//   {"op":"ping","id":5}                   -> {"op":"pong","id":5}
// Each event is serialised once and the same string goes to every subscriber. No history, no resume.
'use strict';

const offsets = new Map();

function eventFrame(room, data) {
  const offset = (offsets.get(room) || 0) + 1;
  offsets.set(room, offset);
  return `{"op":"event","room":${JSON.stringify(room)},"offset":${offset},"type":"message","ts":${Date.now()},"data":${JSON.stringify(data)}}`;
}

// Returns [reply or null, {room, frame} to broadcast or null, room to join or null].
function handle(text) {
  let m;
  try {
    m = JSON.parse(text);
  } catch (e) {
    return [JSON.stringify({ op: 'error', code: 'bad_request', message: 'frame is not valid JSON' }), null, null];
  }
  switch (m && m.op) {
    case 'subscribe':
      return [JSON.stringify({ op: 'subscribed', id: m.id, room: m.room }), null, m.room];
    case 'publish':
      return [m.id === undefined ? null : JSON.stringify({ op: 'ack', id: m.id, room: m.room }),
        { room: m.room, frame: eventFrame(m.room, m.data) }, null];
    case 'ping':
      return [JSON.stringify({ op: 'pong', id: m.id }), null, null];
    default:
      return [JSON.stringify({ op: 'error', id: m && m.id, code: 'bad_request', message: 'unknown op' }), null, null];
  }
}

module.exports = { handle };
