import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chronosKeys, classifyKey } from './kv-layout';

describe('chronos KV layout', () => {
  test('every key classifies back to what it holds', () => {
    assert.deepEqual(classifyKey(chronosKeys.frameworkId()), { kind: 'framework-id' });
    assert.deepEqual(classifyKey(chronosKeys.job('a.b-c')), { kind: 'job', name: 'a.b-c' });
    assert.deepEqual(classifyKey(chronosKeys.schedule('a')), { kind: 'schedule', name: 'a' });
    assert.deepEqual(classifyKey(chronosKeys.deps('a')), { kind: 'deps', name: 'a' });
    assert.deepEqual(classifyKey(chronosKeys.stats('a')), { kind: 'stats', name: 'a' });
    assert.deepEqual(classifyKey(chronosKeys.run('a', 'a@2026-01-01T00:00:00.000Z')), { kind: 'run', name: 'a', runKey: 'a@2026-01-01T00:00:00.000Z' });
  });
  test('the leader lock and foreign keys are not state', () => {
    assert.deepEqual(classifyKey(chronosKeys.leaderLock()), { kind: 'other' });
    assert.deepEqual(classifyKey('agora/marathon/apps/x'), { kind: 'other' });
    assert.deepEqual(classifyKey(`${chronosKeys.root}jobs/`), { kind: 'other' });
    assert.equal(chronosKeys.runsOf('a'), `${chronosKeys.root}runs/a/`);
  });
});
