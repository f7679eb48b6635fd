// Every recorded conversation of protocol/conversations/ replayed against this client.
import { test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { replay } from '../support/conversation.mjs';

const dir = new URL('../../../protocol/conversations/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

test('there are recorded conversations to replay', (t) => {
  if (files.length < 10) throw new Error(`only ${files.length} conversations in ${dir}`);
});

for (const file of files) {
  const conversation = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
  test(`conversation ${conversation.name}: ${conversation.description}`, () => replay(conversation));
}
