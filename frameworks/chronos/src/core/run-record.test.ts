import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { countRun, emptyStats, markSuccess, newRun, notRun, recordKillRequested, recordLaunched, recordLocation, recordRunning, runsToDrop, startNextAttempt, type RunRecord } from './run-record';

const NOW = new Date('2026-01-15T12:00:00.400Z');
const DUE = Date.parse('2026-01-15T12:00:00.000Z');

describe('run records', () => {
  test('a new run is pending with attempt 1 and a deterministic task id', () => {
    const r = newRun({ job: 'a', trigger: 'schedule', dueMs: DUE, now: NOW });
    assert.deepEqual(r, {
      runKey: 'a@2026-01-15T12:00:00.000Z',
      job: 'a',
      trigger: 'schedule',
      scheduledTime: '2026-01-15T12:00:00.000Z',
      createdAt: '2026-01-15T12:00:00.400Z',
      status: 'pending',
      attempt: 1,
      attempts: [{ attempt: 1, taskId: `ct:${DUE}:1:a:` }],
      taskId: `ct:${DUE}:1:a:`,
      lateMs: 400,
    });
  });
  test('launch and running updates fill agent and start time; stale task ids are ignored', () => {
    let r = newRun({ job: 'a', trigger: 'schedule', dueMs: DUE, now: NOW });
    r = recordLaunched(r, { taskId: r.taskId ?? '', agentId: 'agent-1', at: new Date('2026-01-15T12:00:01Z') });
    assert.deepEqual([r.status, r.agentId, r.startedAt], ['staging', 'agent-1', '2026-01-15T12:00:01.000Z']);
    r = recordRunning(r, { taskId: r.taskId ?? '', at: new Date('2026-01-15T12:00:02Z') });
    assert.deepEqual([r.status, r.startedAt, r.attempts[0]?.agentId], ['running', '2026-01-15T12:00:01.000Z', 'agent-1']);
    assert.equal(recordRunning(r, { taskId: 'ct:1:1:other:', at: NOW }), r);
  });
  test('the launch records where the sandbox is, per attempt; the next attempt starts without it', () => {
    let r = newRun({ job: 'a', trigger: 'schedule', dueMs: DUE, now: NOW });
    const location = { host: 'h1', agentUrl: 'http://127.0.1.1:5051', sandbox: '/w/sandboxes/fw/t' };
    r = recordLaunched(r, { taskId: r.taskId ?? '', agentId: 'agent-1', at: NOW, location });
    assert.deepEqual([r.host, r.agentUrl, r.sandbox], ['h1', 'http://127.0.1.1:5051', '/w/sandboxes/fw/t']);
    assert.equal(r.attempts[0]?.sandbox, '/w/sandboxes/fw/t');
    const next = startNextAttempt({ ...r, status: 'retrying' });
    assert.deepEqual([next.host, next.agentUrl, next.sandbox], [undefined, undefined, undefined]);
    assert.equal(next.attempts[0]?.agentUrl, 'http://127.0.1.1:5051');
  });
  test('the location of a task can be recorded after its run ended', () => {
    const r: RunRecord = { ...newRun({ job: 'a', trigger: 'schedule', dueMs: DUE, now: NOW }), status: 'succeeded', endedAt: 'e' };
    const located = recordLocation(r, { taskId: r.taskId ?? '', agentId: 'ag', location: { agentUrl: 'http://h:1', sandbox: '/s' } });
    assert.deepEqual([located.status, located.agentUrl, located.sandbox, located.agentId, located.attempts[0]?.sandbox], ['succeeded', 'http://h:1', '/s', 'ag', '/s']);
    assert.equal(recordLocation(r, { taskId: 'ct:other', agentId: 'ag' }), r);
  });
  test('the next attempt gets a new task id and forgets the previous attempt at top level', () => {
    let r: RunRecord = { ...newRun({ job: 'a', trigger: 'schedule', dueMs: DUE, now: NOW }), status: 'retrying', retryAt: 'x', exitCode: 1, agentId: 'ag', startedAt: 's', endedAt: 'e' };
    r = startNextAttempt(r);
    assert.equal(r.status, 'pending');
    assert.equal(r.attempt, 2);
    assert.equal(r.taskId, `ct:${DUE}:2:a:`);
    assert.equal(r.attempts.length, 2);
    for (const k of ['retryAt', 'exitCode', 'agentId', 'startedAt', 'endedAt'] as const) assert.equal(r[k], undefined, k);
  });
  test('kill requests keep the first reason', () => {
    const r = recordKillRequested(recordKillRequested(newRun({ job: 'a', trigger: 'schedule', dueMs: DUE, now: NOW }), 'timeout', NOW), 'user', NOW);
    assert.equal(r.killReason, 'timeout');
  });
  test('missed and skipped records', () => {
    const r = notRun({ job: 'a', trigger: 'schedule', dueMs: DUE, now: NOW, status: 'missed', reason: 'late' });
    assert.deepEqual([r.runKey, r.status, r.attempt, r.attempts], ['a@2026-01-15T12:00:00.000Z', 'missed', 0, []]);
  });
});

describe('history limits', () => {
  const run = (i: number, status: RunRecord['status']): RunRecord => ({ ...newRun({ job: 'a', trigger: 'schedule', dueMs: DUE + i * 60_000, now: NOW }), status });
  test('keeps the newest N successful and M unsuccessful runs, never active ones', () => {
    const runs = [run(0, 'succeeded'), run(1, 'failed'), run(2, 'succeeded'), run(3, 'missed'), run(4, 'succeeded'), run(5, 'running'), run(6, 'skipped')];
    assert.deepEqual(runsToDrop(runs, { successfulRunsHistoryLimit: 2, failedRunsHistoryLimit: 1 }).sort(), [runs[0]?.runKey, runs[1]?.runKey, runs[3]?.runKey].sort());
  });
  test('property: what is kept respects the limits and includes every active run', () => {
    const statuses: RunRecord['status'][] = ['succeeded', 'failed', 'killed', 'missed', 'skipped', 'running', 'pending', 'retrying'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...statuses), { maxLength: 40 }), fc.nat(5), fc.nat(5), (st, okN, badN) => {
        const runs = st.map((s, i) => run(i, s));
        const drop = new Set(runsToDrop(runs, { successfulRunsHistoryLimit: okN, failedRunsHistoryLimit: badN }));
        const kept = runs.filter((r) => !drop.has(r.runKey));
        assert.ok(kept.filter((r) => r.status === 'succeeded').length <= okN);
        assert.ok(kept.filter((r) => ['failed', 'killed', 'missed', 'skipped'].includes(r.status)).length <= badN);
        for (const r of runs) if (['running', 'pending', 'retrying'].includes(r.status)) assert.ok(!drop.has(r.runKey));
      }),
    );
  });
});

describe('statistics', () => {
  const done = (key: string, status: RunRecord['status'], endedAt: string): RunRecord => ({ ...newRun({ job: 'a', trigger: 'schedule', dueMs: DUE, now: NOW }), runKey: key, status, endedAt });
  test('success and error counters, last times, errors since last success', () => {
    let s = emptyStats();
    s = countRun(s, done('r1', 'failed', '2026-01-15T12:01:00.000Z'));
    s = countRun(s, done('r2', 'failed', '2026-01-15T12:02:00.000Z'));
    assert.deepEqual([s.errorCount, s.errorsSinceLastSuccess, s.lastError, s.lastSuccess], [2, 2, '2026-01-15T12:02:00.000Z', '']);
    s = countRun(s, done('r3', 'succeeded', '2026-01-15T12:03:00.000Z'));
    assert.deepEqual([s.successCount, s.errorsSinceLastSuccess, s.lastSuccess], [1, 0, '2026-01-15T12:03:00.000Z']);
  });
  test('counting is idempotent per run; killed/missed/skipped are not errors', () => {
    let s = emptyStats();
    const r = done('r1', 'succeeded', '2026-01-15T12:01:00.000Z');
    s = countRun(countRun(s, r), r);
    assert.equal(s.successCount, 1);
    for (const st of ['killed', 'missed', 'skipped'] as const) s = countRun(s, done(`x-${st}`, st, '2026-01-15T12:05:00.000Z'));
    assert.deepEqual([s.successCount, s.errorCount], [1, 0]);
  });
  test('markSuccess counts a success now', () => {
    const s = markSuccess({ ...emptyStats(), errorsSinceLastSuccess: 3 }, NOW);
    assert.deepEqual([s.successCount, s.lastSuccess, s.errorsSinceLastSuccess], [1, NOW.toISOString(), 0]);
  });
});
