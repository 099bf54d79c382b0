import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HEALTH_CHECKED_LABEL, TaskViewSchema, type ClusterState, type TaskView } from '@agora/contracts';
import { buildRecordSet } from './build-records';
import { resolveDnsConfig } from './config';
import { fixtureState } from './fixture-state';
import { isHealthyOrUnchecked } from './task-ips';

/**
 * Health awareness (issue 5): tasks with health checks are answered only while healthy; a task whose
 * framework marked it health-checked (Marathon) is not answered before its first passing result.
 * `healthAware: false` answers every running task, as Mesos-DNS does.
 */
const CHECKED = { [HEALTH_CHECKED_LABEL]: 'true' };

function view(over: { healthy?: boolean; labels?: Record<string, string>; statuses?: { healthy?: boolean; timestamp: number }[] } = {}): TaskView {
  const statuses = (over.statuses ?? [{ timestamp: 1 }]).map((s) => ({ taskId: 't', frameworkId: 'F', state: 'TASK_RUNNING', source: 'SOURCE_AGENT', ...s }));
  return TaskViewSchema.parse({
    taskId: 't',
    name: 't',
    frameworkId: 'F',
    agentId: 'S',
    state: 'TASK_RUNNING',
    resources: { scalars: {}, ports: [] },
    labels: over.labels ?? {},
    statuses,
    ...(over.healthy !== undefined ? { healthy: over.healthy } : {}),
  });
}

describe('isHealthyOrUnchecked', () => {
  const rows: [what: string, task: TaskView, answered: boolean][] = [
    ['no checks, no result', view(), true],
    ['task flag healthy', view({ healthy: true }), true],
    ['task flag unhealthy', view({ healthy: false }), false],
    ['newest status with a result decides', view({ statuses: [{ healthy: false, timestamp: 1 }, { healthy: true, timestamp: 2 }, { timestamp: 3 }] }), true],
    ['newest status with a result decides (unhealthy)', view({ statuses: [{ healthy: true, timestamp: 1 }, { healthy: false, timestamp: 2 }] }), false],
    ['health-checked, no result yet (grace period): not answered', view({ labels: CHECKED }), false],
    ['health-checked and reported healthy', view({ labels: CHECKED, healthy: true }), true],
    ['health-checked and reported unhealthy', view({ labels: CHECKED, healthy: false }), false],
    ['health-checked, healthy per its newest status', view({ labels: CHECKED, statuses: [{ timestamp: 1 }, { healthy: true, timestamp: 2 }] }), true],
    ['the task flag wins over statuses', view({ labels: CHECKED, healthy: false, statuses: [{ healthy: true, timestamp: 9 }] }), false],
    ['label other than "true" is no marker', view({ labels: { [HEALTH_CHECKED_LABEL]: 'false' } }), true],
  ];
  for (const [what, task, answered] of rows) test(what, () => assert.equal(isHealthyOrUnchecked(task), answered));
});

describe('records of a Marathon app with health checks', () => {
  /** The fixture plus three instances of /prod/api on agent S1 (10.0.0.11): healthy, starting, failing. */
  function state(): ClusterState {
    const s = fixtureState();
    const m = s.frameworks.find((f) => f.info.name === 'marathon');
    assert.ok(m);
    const agentId = 'a1b2c3-S1';
    const api = (id: string, port: number, healthy?: boolean): TaskView =>
      TaskViewSchema.parse({
        taskId: id,
        name: 'api.prod',
        frameworkId: m.id,
        agentId,
        state: 'TASK_RUNNING',
        resources: { scalars: { cpus: 0.1 }, ports: [{ begin: port, end: port }] },
        labels: { ...CHECKED, team: 'a' },
        statuses: [{ taskId: id, frameworkId: m.id, agentId, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', timestamp: 1 }],
        ...(healthy !== undefined ? { healthy } : {}),
      });
    m.tasks.push(api('prod_api.1', 31801, true), api('prod_api.2', 31802), api('prod_api.3', 31803, false));
    return s;
  }
  const srvPorts = (rs: ReturnType<typeof buildRecordSet>) => (rs.srv.get('_api-prod._tcp.marathon.mesos.') ?? []).map((r) => r.port).sort();
  const cfg = (over: Record<string, unknown> = {}) => resolveDnsConfig(over).config;

  test('health-aware (default): only the healthy instance is answered, by A and SRV', () => {
    const rs = buildRecordSet(state(), cfg(), { serial: 1 });
    assert.deepEqual((rs.a.get('api-prod.marathon.mesos.') ?? []).map((r) => r.text), ['10.0.0.11']);
    assert.deepEqual(srvPorts(rs), [31801]);
  });

  test('healthAware=false answers all three (Mesos-DNS)', () => {
    const rs = buildRecordSet(state(), cfg({ healthAware: false }), { serial: 1 });
    assert.deepEqual(srvPorts(rs), [31801, 31802, 31803]);
  });

  test('with no instance healthy the name does not exist', () => {
    const s = state();
    for (const f of s.frameworks) for (const t of f.tasks) if (t.name === 'api.prod') delete t.healthy;
    const rs = buildRecordSet(s, cfg(), { serial: 1 });
    assert.equal(rs.a.has('api-prod.marathon.mesos.'), false);
    assert.equal(rs.srv.has('_api-prod._tcp.marathon.mesos.'), false);
  });
});
