import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isSameProcessAlive, liveProcessGroups, parseProcStat, readProcStat } from './proc';

describe('/proc helpers', () => {
  test('parseProcStat copes with spaces and parentheses in the command name', () => {
    const line = '1234 (we ird) (name)) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 18446744073709551615';
    assert.deepEqual(parseProcStat(line), { state: 'S', startTime: '987654' });
    assert.equal(parseProcStat('garbage'), undefined);
  });

  test('this process is alive with its own start time, not with another', () => {
    const st = readProcStat(process.pid);
    assert.ok(st);
    assert.equal(isSameProcessAlive(process.pid, st.startTime), true);
    assert.equal(isSameProcessAlive(process.pid, '1'), false);
    assert.equal(isSameProcessAlive(2 ** 22 + 12345, undefined), false);
  });

  test('liveProcessGroups finds our own group and not a nonexistent one', () => {
    const own = Number(readProcStatGroup());
    const alive = liveProcessGroups(new Set([own, 2 ** 22 + 54321]));
    assert.deepEqual([...alive], [own]);
  });
});

function readProcStatGroup(): string {
  const text = fs.readFileSync('/proc/self/stat', 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ')[2] ?? '';
}
