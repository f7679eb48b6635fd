#!/usr/bin/env node
// Drives the edge's OpenAI-compatible endpoint with the official `openai` SDK, as an app would,
// and prints one JSON object with what it saw, for EdgeOpenAiIT to check.
//
// Environment: ROOMCAST_URL (edge base URL, required), ROOMCAST_ROOM (room for the named-room
// call, required), ROOMCAST_MODEL (the model the producer serves, default "sim"),
// ROOMCAST_API_KEY (a Roomcast token, default "unused" for an open edge).
import OpenAI from 'openai';

const base = process.env.ROOMCAST_URL.replace(/\/+$/, '');
const room = process.env.ROOMCAST_ROOM;
const model = process.env.ROOMCAST_MODEL || 'sim';
const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: process.env.ROOMCAST_API_KEY || 'unused', maxRetries: 0, timeout: 60_000 });
const out = {};

async function streamed() {
  const stream = await client.chat.completions.create(
    { model, messages: [{ role: 'user', content: 'What is a Kafka partition?' }], stream: true, stream_options: { include_usage: true } },
    { headers: { 'X-Roomcast-Room': room } });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
  return {
    ids: [...new Set(chunks.map((c) => c.id))],
    objects: [...new Set(chunks.map((c) => c.object))],
    models: [...new Set(chunks.map((c) => c.model))],
    role: chunks[0]?.choices[0]?.delta?.role,
    text,
    finish: chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean),
    usage: chunks.at(-1)?.usage ?? null,
    count: chunks.length,
  };
}

async function whole() {
  const completion = await client.chat.completions.create({ model, messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'Explain consumer groups' }] },
  ] });
  return { id: completion.id, object: completion.object, text: completion.choices[0].message.content,
    role: completion.choices[0].message.role, finish: completion.choices[0].finish_reason, usage: completion.usage };
}

async function failure(call) {
  try {
    await call();
    return { ok: true };
  } catch (e) {
    return { ok: false, kind: e.constructor.name, status: e.status ?? null, code: e.code ?? null, type: e.type ?? null,
      param: e.param ?? null, message: e.message };
  }
}

async function raw(body, contentType = 'application/json') {
  const response = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, body: await response.json() };
}

out.streamed = await streamed();
out.whole = await whole();
out.unknownModel = await failure(() => client.chat.completions.create({ model: 'gpt-nope', messages: [{ role: 'user', content: 'hi' }], stream: true }));
out.missingMessages = await failure(() => client.chat.completions.create({ model, stream: true }));
out.notUserLast = await failure(() => client.chat.completions.create({ model, messages: [{ role: 'assistant', content: 'hi' }], stream: true }));
out.tooLarge = await failure(() => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x'.repeat(200_000) }], stream: true }));
out.malformed = await raw('{"model": "sim", "messages": [');
out.notAnObject = await raw('[1,2,3]');
out.badRoom = await failure(() => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true },
  { headers: { 'X-Roomcast-Room': 'not a room!' } }));
console.log(JSON.stringify(out));
