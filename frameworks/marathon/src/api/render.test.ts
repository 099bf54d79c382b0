import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseApp } from '../core';
import type { TrackedTask } from '../scheduler/task-tracker';
import { countsOf, parseEmbed, taskJson, tasksText } from './render';

function tracked(id: string, state: TrackedTask['state'], ports: number[], alive?: boolean): TrackedTask {
  return {
    rec: { taskId: id, appId: '/prod/web', version: 'v1', configVersion: 'v1', agentId: 'a1', hostname: '127.0.1.1', agentIp: '127.0.1.1', attributes: {}, ports, servicePorts: [10000], stagedAt: '2026-01-01T00:00:00.000Z' },
    state,
    stagedAtMs: 0,
    health: alive === undefined ? [] : [{ alive, consecutiveFailures: alive ? 0 : 2, lastFailure: alive ? undefined : 1000 }],
    ready: true,
  };
}

const app = (() => {
  const r = parseApp({ id: '/prod/web', cmd: 'x', healthChecks: [{ protocol: 'HTTP' }] }, { now: '2026-01-01T00:00:00.000Z' });
  assert.ok(r.ok);
  return { ...r.value, portDefinitions: [{ port: 10000, protocol: 'tcp' }] };
})();

test('counts: staged, running, healthy, unhealthy (no result yet is neither)', () => {
  const c = countsOf(app, [tracked('a', 'TASK_STAGING', [1]), tracked('b', 'TASK_RUNNING', [2], true), tracked('c', 'TASK_RUNNING', [3], false), tracked('d', 'TASK_RUNNING', [4])]);
  assert.deepEqual(c, { tasksStaged: 1, tasksRunning: 3, tasksHealthy: 1, tasksUnhealthy: 1 });
});

test("text/plain task list: app id with _, service port, host:port of running tasks", () => {
  const text = tasksText([app], () => [tracked('b', 'TASK_RUNNING', [31001], true), tracked('a', 'TASK_STAGING', [31002])]);
  assert.equal(text, 'prod_web\t10000\t127.0.1.1:31001\t\n');
});

test('task JSON carries Marathon fields and health results with ISO times', () => {
  const j = taskJson(tracked('c', 'TASK_RUNNING', [3], false));
  assert.equal(j['slaveId'], 'a1');
  assert.deepEqual(j['ipAddresses'], [{ ipAddress: '127.0.1.1', protocol: 'IPv4' }]);
  const h = (j['healthCheckResults'] as Record<string, unknown>[])[0];
  assert.equal(h?.['alive'], false);
  assert.equal(h?.['lastFailure'], '1970-01-01T00:00:01.000Z');
});

test('embed parameters, comma-separated or repeated', () => {
  assert.deepEqual(parseEmbed(['apps.tasks,apps.counts', 'apps.lastTaskFailure'], 'apps'), {
    counts: true,
    tasks: true,
    deployments: false,
    lastTaskFailure: true,
    readiness: false,
    taskStats: false,
  });
});
