import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isValidTaskId } from '@agora/model';
import { parseRunKey, parseTaskId, runKeyFor, taskIdFor, type RunTrigger } from './task-naming';

const DUE = Date.parse('2026-03-08T07:00:00.000Z');

describe('task ids and run keys', () => {
  test('Chronos-shaped task ids', () => {
    assert.equal(taskIdFor('backup', 'schedule', DUE, 1), `ct:${DUE}:1:backup:`);
    assert.equal(taskIdFor('backup', 'manual', DUE, 2), `ct:${DUE}:2:backup:manual`);
    assert.equal(taskIdFor('backup', 'dependency', DUE, 3), `ct:${DUE}:3:backup:dep`);
  });
  test('run keys', () => {
    assert.equal(runKeyFor('backup', 'schedule', DUE), 'backup@2026-03-08T07:00:00.000Z');
    assert.equal(runKeyFor('backup', 'manual', DUE), 'backup@manual-2026-03-08T07:00:00.000Z');
    assert.equal(runKeyFor('backup', 'dependency', DUE), 'backup@dep-2026-03-08T07:00:00.000Z');
  });
  test('a task id parses back to job, attempt and run key', () => {
    assert.deepEqual(parseTaskId(`ct:${DUE}:2:etl.daily-v2:dep`), { job: 'etl.daily-v2', dueMs: DUE, attempt: 2, trigger: 'dependency', runKey: 'etl.daily-v2@dep-2026-03-08T07:00:00.000Z' });
    // Chronos' own ids (0-based attempt, arguments in the last segment) still parse
    assert.equal(parseTaskId('ct:1438192800000:0:job1:--verbose')?.job, 'job1');
    for (const bad of ['', 'marathon-app.123', 'ct:x:1:a:', 'ct:1:1:a b:', 'ct:1:1:a']) assert.equal(parseTaskId(bad), null, bad);
    assert.equal(parseRunKey('nope'), null);
  });
  test('property: ids round-trip and are valid Agora task ids', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[\w.-]{1,150}$/),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.integer({ min: 1, max: 999 }),
        fc.constantFrom<RunTrigger>('schedule', 'manual', 'dependency'),
        (job, due, attempt, trigger) => {
          const id = taskIdFor(job, trigger, due, attempt);
          assert.ok(isValidTaskId(id), id);
          assert.deepEqual(parseTaskId(id), { job, dueMs: due, attempt, trigger, runKey: runKeyFor(job, trigger, due) });
          assert.deepEqual(parseRunKey(runKeyFor(job, trigger, due)), { job, trigger, dueMs: due });
        },
      ),
    );
  });
});
