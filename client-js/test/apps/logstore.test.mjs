// Unit tests of the logs app's data (ws-edge/src/main/resources/web/apps/logstore.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogStore, toRecord, makeFilter, parseLevels, formatLevels, parseTime, LEVELS } from '../../../ws-edge/src/main/resources/web/apps/logstore.js';

const ev = (room, offset, ts, data, type = 'log') => ({ room, offset, ts, type, data, epoch: 'E' });

test('a shipper record is parsed; a stranger\'s record becomes raw text', () => {
  const r = toRecord(ev('logs:a', 5, 1000, { line: 'boom\n\tat x\n\tat y', level: 'warning', time: '2026-01-01T00:00:00Z', source: { host: 'h', file: '/f' } }));
  assert.equal(r.first, 'boom');
  assert.equal(r.extraLines, 2);
  assert.equal(r.level, 'WARN');
  assert.equal(r.host, 'h');
  assert.equal(r.time, Date.parse('2026-01-01T00:00:00Z'));
  const s = toRecord(ev('logs:a', 6, 1000, { html: '<b>x</b>' }, 'strange'));
  assert.equal(s.raw, true);
  assert.equal(s.line, 'strange {"html":"<b>x</b>"}');
  assert.equal(toRecord(ev('logs:a', 7, 1000, null)).raw, true);
});

test('JSON log lines are shown by their message', () => {
  const r = toRecord(ev('logs:a', 1, 1, { line: '{"loggerName":"io.x.Edge","formattedMessage":"edge started"}' }));
  assert.equal(r.first, 'Edge - edge started');
});

test('filters: levels, text, regex; an invalid regex throws', () => {
  const info = toRecord(ev('logs:a', 1, 1, { line: 'order-42 ok', level: 'INFO' }));
  const err = toRecord(ev('logs:a', 2, 2, { line: 'order-43 failed', level: 'ERROR' }));
  const none = toRecord(ev('logs:a', 3, 3, 'no level'));
  assert.deepEqual([info, err, none].filter(makeFilter(new Set(LEVELS), 'ORDER-4')), [info, err]);
  assert.deepEqual([info, err, none].filter(makeFilter(new Set(['ERROR']), '')), [err]);
  assert.deepEqual([info, err, none].filter(makeFilter(new Set(LEVELS), '/-4[3]\\s/')), [err]);
  assert.throws(() => makeFilter(new Set(LEVELS), '/([/'), SyntaxError);
});

test('level parameters round-trip', () => {
  assert.deepEqual([...parseLevels('warn+')], ['WARN', 'ERROR', 'FATAL']);
  assert.deepEqual([...parseLevels('warn')], ['WARN']);
  assert.equal(formatLevels(parseLevels('warn+')), 'warn+');
  assert.equal(formatLevels(parseLevels('info,error')), 'info,error');
  assert.equal(formatLevels(parseLevels('nonsense')), '');
});

test('rooms merge in time order; the view follows the filter; the cap drops the oldest', () => {
  const store = new LogStore(10);
  store.setFilter(() => true);
  assert.equal(store.add([toRecord(ev('logs:a', 1, 100, 'a1')), toRecord(ev('logs:a', 2, 300, 'a2'))]), 2);
  store.add([toRecord(ev('logs:b', 9, 200, 'b9'))]); // older than the newest: inserted in place
  assert.deepEqual(store.view.map((r) => r.line), ['a1', 'b9', 'a2']);
  store.add(Array.from({ length: 12 }, (_, i) => toRecord(ev('logs:a', 10 + i, 400 + i, `n${i}`))));
  assert.ok(store.records.length <= 10);
  assert.ok(store.dropped > 0);
  assert.equal(store.records[store.records.length - 1].line, 'n11');
});

test('lines after a late record of another room, in the same batch or later ones, are still counted as new', () => {
  const store = new LogStore(100);
  store.setFilter(() => true);
  store.add([toRecord(ev('logs:a', 1, 100, 'a1')), toRecord(ev('logs:a', 2, 300, 'a2'))]);
  // b9 is late (inserted above a2); a3 and a4 still go to the end: 2 new lines
  assert.equal(store.add([toRecord(ev('logs:b', 9, 200, 'b9')), toRecord(ev('logs:a', 3, 400, 'a3')), toRecord(ev('logs:a', 4, 500, 'a4'))]), 2);
  assert.equal(store.add([toRecord(ev('logs:a', 5, 600, 'a5'))]), 1);
  assert.deepEqual(store.view.map((r) => r.line), ['a1', 'b9', 'a2', 'a3', 'a4', 'a5']);
  // the filter still decides what counts
  store.setFilter((r) => r.line !== 'a7');
  assert.equal(store.add([toRecord(ev('logs:b', 10, 250, 'b10')), toRecord(ev('logs:a', 6, 700, 'a6')), toRecord(ev('logs:a', 7, 800, 'a7'))]), 1);
});

test('times: durations before now and date-times', () => {
  assert.equal(parseTime('15m', 1_000_000_000), 1_000_000_000 - 900_000);
  assert.equal(parseTime('2 h ago', 10_000_000), 10_000_000 - 7_200_000);
  assert.equal(parseTime('2026-11-26T10:00:00Z'), Date.parse('2026-11-26T10:00:00Z'));
  assert.ok(Number.isNaN(parseTime('soon')));
});
