import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { finalStateOf, parseExitStatusFile, type Termination, type FinalState } from './termination';

describe('finalStateOf', () => {
  const table: [string, Termination, Partial<FinalState>][] = [
    ['exit 0', { exitCode: 0 }, { state: 'TASK_FINISHED', exitCode: 0 }],
    ['exit 3', { exitCode: 3 }, { state: 'TASK_FAILED', message: 'Command exited with status 3', exitCode: 3, reason: undefined }],
    ['signal', { signal: 'SIGSEGV' }, { state: 'TASK_FAILED', message: 'Command terminated with signal SIGSEGV' }],
    ['killed by us (any exit)', { signal: 'SIGTERM', killedBy: 'kill' }, { state: 'TASK_KILLED' }],
    ['killed by us, exited 0 on SIGTERM', { exitCode: 0, killedBy: 'kill' }, { state: 'TASK_KILLED' }],
    ['max completion', { signal: 'SIGTERM', killedBy: 'max-completion', maxCompletionSeconds: 5 }, { state: 'TASK_FAILED', reason: 'REASON_MAX_COMPLETION_TIME_REACHED' }],
    ['framework shut down', { signal: 'SIGTERM', killedBy: 'framework-shutdown' }, { state: 'TASK_KILLED', reason: 'REASON_FRAMEWORK_REMOVED' }],
    ['agent shutdown', { signal: 'SIGTERM', killedBy: 'agent-shutdown' }, { state: 'TASK_KILLED' }],
    ['oom', { exitCode: 137, oomKilled: true, memLimitMb: 32 }, { state: 'TASK_FAILED', reason: 'REASON_CONTAINER_LIMITATION_MEMORY', exitCode: 137 }],
    ['unknown', { unknown: true }, { state: 'TASK_FAILED', reason: 'REASON_EXECUTOR_TERMINATED', message: 'task ended while the agent was down; exit status unknown' }],
    ['unknown but killed', { unknown: true, killedBy: 'kill' }, { state: 'TASK_KILLED' }],
  ];
  for (const [name, t, want] of table)
    test(name, () => {
      const got = finalStateOf(t);
      for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof FinalState], v, `${name}: ${k}`);
    });

  test('the OOM message names the memory limit', () => {
    assert.match(finalStateOf({ exitCode: 137, oomKilled: true, memLimitMb: 32 }).message, /Memory limit exceeded.*32 MB/);
  });
});

describe('parseExitStatusFile', () => {
  test('reads what the wrapper writes; anything else is unknown', () => {
    assert.equal(parseExitStatusFile('0\n'), 0);
    assert.equal(parseExitStatusFile('137\n'), 137);
    assert.equal(parseExitStatusFile(''), undefined);
    assert.equal(parseExitStatusFile('x'), undefined);
    assert.equal(parseExitStatusFile(undefined), undefined);
  });
});
