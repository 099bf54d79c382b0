import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jobsInFile, renderHistory, renderJobList, shortTime } from './job';

describe('agora job: output', () => {
  test('times are shown in UTC to the second', () => {
    assert.equal(shortTime('2026-11-21T12:00:05.123Z'), '2026-11-21 12:00:05');
    assert.equal(shortTime(null), '-');
  });
  test('job list: schedule or parents, next run, last result, counts', () => {
    const out = renderJobList([
      { name: 'a', state: 'success', status: 'idle', schedule: '0 3 * * *', scheduleTimeZone: 'Europe/Berlin', disabled: false, nextRunAt: '2026-11-22T02:00:00.000Z', successCount: 4, errorCount: 1 },
      { name: 'b', state: 'fresh', status: 'queued', parents: ['a'], disabled: false, nextRunAt: null },
      { name: 'c', state: 'failure', status: 'idle', schedule: 'R1/2026-01-01T00:00:00.000Z/PT1S', disabled: true },
    ]);
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^NAME\s+SCHEDULE\s+NEXT RUN \(UTC\)\s+LAST\s+STATUS\s+OK\s+FAILED$/);
    assert.match(lines[1] ?? '', /^a\s+0 3 \* \* \* \(Europe\/Berlin\)\s+2026-11-22 02:00:00\s+success\s+idle\s+4\s+1$/);
    assert.match(lines[2] ?? '', /^b\s+after a\s+-\s+fresh\s+queued\s+0\s+0$/);
    assert.match(lines[3] ?? '', /^c\s+\S+\s+disabled\s+failure/);
  });
  test('history: numbered newest first', () => {
    const out = renderHistory([
      { runKey: 'a@x', job: 'a', trigger: 'schedule', scheduledTime: '2026-11-21T12:00:00.000Z', status: 'failed', reason: 'exit code 3', attempt: 3, attempts: [{ attempt: 1, taskId: 't1' }, { attempt: 2, taskId: 't2' }, { attempt: 3, taskId: 't3' }], exitCode: 3, host: '127.0.1.1' },
    ]);
    assert.match(out.split('\n')[1] ?? '', /^1\s+2026-11-21 12:00:00\s+schedule\s+failed\s+3\s+-\s+-\s+3\s+127\.0\.1\.1\s+exit code 3$/);
  });
  test('a job file holds one job or a list; anything else is refused', () => {
    assert.deepEqual(jobsInFile('{"name":"a"}', 'f'), [{ name: 'a' }]);
    assert.deepEqual(jobsInFile('[{"name":"a"},{"name":"b"}]', 'f').length, 2);
    assert.throws(() => jobsInFile('{oops', 'f.json'), /f\.json is not valid JSON/);
    assert.throws(() => jobsInFile('[1]', 'f.json'), /each job must be a JSON object/);
  });
});
