// Unit tests of the logs app's data (ws-edge/src/main/resources/web/apps/logstore.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogStore, toRecord, makeFilter, parseLevels, formatLevels, parseTime, downloadText, rowTime, LEVELS } from '../../../ws-edge/src/main/resources/web/apps/logstore.js';

const ev = (room, offset, ts, data, type = 'log') => ({ room, offset, ts, type, data, epoch: 'E' });

test('a shipper record is parsed; a stranger\'s record becomes raw text', () => {
  const r = toRecord(ev('logs:a', 5, Date.parse('2026-01-01T00:00:01Z'), { line: 'boom\n\tat x\n\tat y', level: 'warning', time: '2026-01-01T00:00:00Z', source: { host: 'h', file: '/f' } }));
  assert.equal(r.first, 'boom');
  assert.equal(r.extraLines, 2);
  assert.equal(r.level, 'WARN');
  assert.equal(r.host, 'h');
  assert.equal(r.time, Date.parse('2026-01-01T00:00:00Z'));
  const s = toRecord(ev('logs:a', 6, 1000, { html: '<b>x</b>' }, 'strange'));
  assert.equal(s.raw, true);
  assert.equal(s.line, 'strange @6: {"html":"<b>x</b>"}');
  assert.equal(toRecord(ev('logs:a', 7, 1000, null)).raw, true);
});

test('a record of unexpected shape shows its type, offset and JSON, also when it has a line', () => {
  const weird = toRecord(ev('logs:a', 8, 1000, { line: '<b>stranger1</b>', foo: 1 }, 'weird'));
  assert.equal(weird.raw, true);
  assert.equal(weird.first, 'weird @8: {"line":"<b>stranger1</b>","foo":1}');
  const noLine = toRecord(ev('logs:a', 9, 1000, { text: 'stranger3' }));
  assert.equal(noLine.first, 'log @9: {"text":"stranger3"}');
  assert.equal(toRecord(ev('logs:a', 10, 1000, ['x'])).first, 'log @10: ["x"]');
  // a raw record's fields are not read as the shipper's
  const lvl = toRecord(ev('logs:a', 11, 1000, { level: 'ERROR', time: '2000-01-01T00:00:00Z' }, 'weird'));
  assert.equal(lvl.level, null);
  assert.equal(lvl.time, 1000);
});

test('the time shown: the record\'s own, unless it is far ahead of Kafka\'s; a row of another day shows its date', () => {
  const ts = Date.parse('2026-11-29T09:00:00Z');
  const old = toRecord(ev('logs:a', 1, ts, { line: 'x', time: '2026-11-28T09:00:00Z' }));
  assert.equal(old.time, Date.parse('2026-11-28T09:00:00Z'));
  const skew = toRecord(ev('logs:a', 2, ts, { line: 'x', time: '2026-11-29T09:04:00Z' }));
  assert.equal(skew.time, Date.parse('2026-11-29T09:04:00Z'));
  const future = toRecord(ev('logs:a', 3, ts, { line: 'x', time: '2099-01-01T00:00:00Z' }));
  assert.equal(future.time, ts, 'a time from after the record was written to Kafka is not its time');
  assert.equal(future.ownTime, '2099-01-01T00:00:00Z');
  assert.equal(toRecord(ev('logs:a', 4, ts, { line: 'x', time: 'banana' })).time, ts);
  const now = new Date(2026, 10, 29, 12, 0, 0).getTime();
  assert.equal(rowTime(new Date(2026, 10, 29, 9, 43, 47, 564).getTime(), now), '09:43:47.564');
  assert.equal(rowTime(new Date(2026, 10, 28, 9, 43, 47, 564).getTime(), now), '2026-11-28 09:43:47.564');
  assert.equal(rowTime(new Date(2099, 0, 1, 0, 0, 0, 0).getTime(), now), '2099-01-01 00:00:00.000');
});

test('rows are ordered by the time they show, not by the Kafka timestamp', () => {
  const store = new LogStore(100);
  store.setFilter(() => true);
  const t = (s) => `2026-11-29T09:43:${s}Z`;
  const k = Date.parse(t('50.000'));
  // A Java multi-line record the shipper held until the next one started: written to Kafka after it.
  store.add([toRecord(ev('logs:java', 1, k + 10, { line: 'second', time: t('47.564') }))]);
  assert.equal(store.add([toRecord(ev('logs:java', 0, k + 20, { line: 'first\n\tat x', time: t('46.564') }))]), 0, 'a late record is not new');
  // A shipper's backlog of another room with old times lands among them; current lines still append.
  store.add([toRecord(ev('logs:b', 5, k + 30, { line: 'backlog', time: t('47.000') }))]);
  assert.equal(store.add([toRecord(ev('logs:b', 6, k + 40, { line: 'now', time: t('49.000') }))]), 1);
  assert.deepEqual(store.view.map((r) => r.line.split('\n')[0]), ['first', 'backlog', 'second', 'now']);
  const times = store.view.map((r) => r.time);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
  // ties: room, then offset
  store.add([toRecord(ev('logs:a', 9, k, { line: 'tie-a9', time: t('49.000') })), toRecord(ev('logs:a', 8, k, { line: 'tie-a8', time: t('49.000') }))]);
  assert.deepEqual(store.view.slice(-3).map((r) => r.line), ['tie-a8', 'tie-a9', 'now']);
});

test('download: every line of a multi-line record carries the prefix', () => {
  const r = toRecord(ev('logs:a', 7, Date.parse('2026-11-29T09:43:50Z'), { line: 'boom\n\tat x\r\n\tat y', time: '2026-11-29T09:43:46.564Z' }));
  assert.equal(downloadText([r]), [
    '2026-11-29T09:43:46.564Z logs:a 7 boom',
    '2026-11-29T09:43:46.564Z logs:a 7 \tat x',
    '2026-11-29T09:43:46.564Z logs:a 7 \tat y',
  ].join('\n') + '\n');
  assert.equal(downloadText([]), '');
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
