#!/usr/bin/env node
// A compact late joiner on a real edge, through roomcast.js on Node: subscribes from earliest with
// compact (and ephemeral, sending itself a signal), rebuilds every answer the way useGeneration
// does (a generation.message wins; else partials, then live tokens by seq), and prints one JSON
// line when the answer GENERATION has its generation.message. Run by ws-edge's JsCompactLateJoinerIT,
// which writes tokens while this subscribes.
// Env: ROOMCAST_URL, ROOMCAST_ROOM, GENERATION. Stdout: {"op":"subscribing"}, {"op":"live"} once the
// subscription is live, then the result line.
import WebSocket from 'ws';
import { connect } from '../../roomcast.js';

const room = process.env.ROOMCAST_ROOM;
const wanted = process.env.GENERATION;
const answers = new Map(); // generationId -> {pieces: [] by seq, duplicates, message, tokens, partials}
const answer = (id) => {
  if (!answers.has(id)) answers.set(id, { pieces: [], duplicates: 0, message: null, tokens: 0, partials: 0 });
  return answers.get(id);
};
const signals = [];
const offsets = [];
let live = null;

const rc = connect(process.env.ROOMCAST_URL, { WebSocket });
rc.on('error', (e) => process.stderr.write(`client error ${e.code}: ${e.message}\n`));
rc.on('state', (s) => {
  if (s === 'open') process.stdout.write(JSON.stringify({ op: 'subscribing' }) + '\n');
});
rc.subscribe(room, {
  from: 'earliest',
  compact: true,
  ephemeral: true,
  onLive: (l) => {
    live = l.offset;
    process.stdout.write(JSON.stringify({ op: 'live' }) + '\n');
    rc.publish(room, { x: 1 }, { type: 'cursor', ephemeral: true }).catch(() => {});
  },
  onEphemeral: (s) => signals.push({ type: s.type, offset: s.offset }),
  onPartial: (p) => {
    const a = answer(p.generationId);
    a.partials++;
    for (let seq = p.fromSeq; seq <= p.toSeq; seq++) {
      if (a.pieces[seq] !== undefined) a.duplicates++;
      a.pieces[seq] = seq === p.fromSeq ? p.text : '';
    }
  },
  onGap: (g) => process.stderr.write(`gap ${JSON.stringify(g)}\n`),
}, (e) => {
  offsets.push(e.offset);
  const d = e.data || {};
  if (e.type === 'token') {
    const a = answer(d.generationId);
    a.tokens++;
    if (a.pieces[d.seq] !== undefined) a.duplicates++;
    a.pieces[d.seq] = d.text;
  } else if (e.type === 'generation.message') {
    answer(d.generationId).message = d.text;
    if (d.generationId === wanted) finish();
  }
});

function finish() {
  const out = {};
  for (const [id, a] of answers) {
    let missing = 0;
    for (let i = 0; i < a.pieces.length; i++) if (a.pieces[i] === undefined) missing++;
    out[id] = { message: a.message, streamed: a.pieces.join(''), tokens: a.tokens, partials: a.partials, duplicates: a.duplicates, missing };
  }
  const ordered = offsets.every((o, i) => i === 0 || o > offsets[i - 1]);
  process.stderr.write(`late joiner: live at ${live}, ${JSON.stringify(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { tokens: v.tokens, partials: v.partials }])))}\n`);
  process.stdout.write(JSON.stringify({ op: 'result', live, answers: out, ordered, signals }) + '\n');
  rc.close();
  setTimeout(() => process.exit(0), 50);
}
