import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TaskInfoSchema } from '@agora/contracts';
import { validateJob } from './validate-job';
import type { Job } from './job-schema';
import { newRun } from './run-record';
import { chronosEnvironment, chronosTaskSpec, shellWord, taskNameFor } from './task-info';

const NOW = new Date('2026-01-15T12:00:00.000Z');
const DUE = Date.parse('2026-01-15T12:00:00.000Z');
function job(fields: Record<string, unknown>): Job {
  const r = validateJob({ name: 'j', command: 'echo hi', schedule: 'R/2026-01-15T12:00:00Z/PT1M', ...fields }, { now: NOW });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.job;
}

describe('task for a run', () => {
  test('Chronos environment: its own variables win over the job environment', () => {
    const j = job({ owner: 'ops@example.com', environmentVariables: [{ name: 'CHRONOS_JOB_NAME', value: 'spoof' }, { name: 'FOO', value: 'bar' }] });
    const run = newRun({ job: 'j', trigger: 'schedule', dueMs: DUE, now: NOW });
    const env = chronosEnvironment(j, run);
    assert.equal(env.CHRONOS_JOB_NAME, 'j');
    assert.equal(env.CHRONOS_JOB_OWNER, 'ops@example.com');
    assert.equal(env.CHRONOS_JOB_RUN_TIME, String(DUE));
    assert.equal(env.CHRONOS_JOB_RUN_ATTEMPT, '0');
    assert.equal(env.AGORA_RUN_ATTEMPT, '1');
    assert.equal(env.CHRONOS_RESOURCE_MEM, '128');
    assert.equal(env.mesos_task_id, run.taskId);
    assert.equal(env.FOO, 'bar');
  });
  test('shell job: command line, run-now arguments quoted; resources asked; labels; timeout', () => {
    const j = job({ maxCompletionTime: 30, fetch: [{ uri: 'http://127.0.0.1/x.tgz' }] });
    const run = newRun({ job: 'j', trigger: 'manual', dueMs: DUE, now: NOW, arguments: ['a b', 'c'] });
    const t = chronosTaskSpec(j, run);
    assert.equal(t.name, taskNameFor('j'));
    assert.equal(t.command?.value, "echo hi 'a b' c");
    assert.equal(t.command?.shell, true);
    assert.equal(t.command?.arguments, undefined);
    assert.deepEqual(t.ask, { cpus: 0.1, mem: 128, disk: 256 });
    assert.equal(t.maxCompletionTimeSeconds, 30);
    assert.equal(t.labels?.['chronos.job'], 'j');
    assert.deepEqual(t.command?.uris, [{ value: 'http://127.0.0.1/x.tgz', executable: false, extract: true, cache: false }]);
    const { ask: _ask, ...info } = t;
    assert.ok(TaskInfoSchema.safeParse({ ...info, agentId: 'a1', resources: { scalars: { cpus: 0.1 } } }).success);
  });
  test('argv job: arguments then run-now arguments; docker container mapped', () => {
    const j = job({ shell: false, command: '/bin/echo', arguments: ['x'], container: { type: 'DOCKER', image: 'busybox', volumes: [{ containerPath: '/data', hostPath: '/tmp', mode: 'RO' }] } });
    const t = chronosTaskSpec(j, newRun({ job: 'j', trigger: 'manual', dueMs: DUE, now: NOW, arguments: ['y'] }));
    assert.equal(t.command?.value, '/bin/echo');
    assert.deepEqual(t.command?.arguments, ['x', 'y']);
    assert.deepEqual(t.container, { type: 'DOCKER', docker: { image: 'busybox', network: 'HOST', forcePullImage: false, parameters: [] }, volumes: [{ containerPath: '/data', hostPath: '/tmp', mode: 'RO' }] });
    assert.equal(t.maxCompletionTimeSeconds, undefined);
  });
  test('shell words', () => {
    assert.equal(shellWord('plain-1.txt'), 'plain-1.txt');
    assert.equal(shellWord("it's"), `'it'\\''s'`);
    assert.equal(shellWord(''), "''");
  });
});
