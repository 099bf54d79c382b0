import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEALTH_CHECKED_LABEL, type ClusterState, type TaskView } from '@agora/contracts';
import { buildRecordSet, defaultDnsConfig } from '../records';
import { fixtureState } from '../records/fixture-state';
import { ClusterView, keepHealth, type TaskEventMsg } from './cluster-view';

/**
 * A new leading master learns tasks from their agents, which do not know framework-side health results:
 * the DNS view keeps the last known result of a task until a newer one comes, so a health-checked name
 * does not drop out during a master failover while the framework re-reports.
 */
const config = defaultDnsConfig();

function checkedWeb(state: ClusterState, healthy: boolean | undefined): TaskView {
  const t = state.frameworks.flatMap((f) => f.tasks).find((x) => x.name === 'web.prod');
  assert.ok(t);
  t.labels = { ...t.labels, [HEALTH_CHECKED_LABEL]: 'true' };
  if (healthy === undefined) delete t.healthy;
  else t.healthy = healthy;
  return t;
}

const answered = (view: ClusterView) => buildRecordSet(view.toClusterState(), config).a.has('web-prod.marathon.mesos.');

test('keepHealth: a view without a result inherits the previous one; a view with one keeps its own', () => {
  const s = fixtureState();
  const t = checkedWeb(s, undefined);
  assert.equal(keepHealth({ ...t, healthy: true }, t).healthy, true);
  assert.equal(keepHealth({ ...t, healthy: true }, { ...t, healthy: false }).healthy, false);
  assert.equal(keepHealth(undefined, t).healthy, undefined);
  const withStatus = { ...t, statuses: [{ ...t.statuses[0]!, healthy: false }] };
  assert.equal(keepHealth({ ...t, healthy: true }, withStatus).healthy, undefined, 'a status with a result is news');
});

test('a task event of a new leader without health keeps the name answered; a report then decides', () => {
  const s1 = fixtureState();
  checkedWeb(s1, true);
  const view = new ClusterView();
  view.replace(s1, 1, 0);
  assert.equal(answered(view), true);

  // The new leader's snapshot (agent re-registered; no health known) and its task event.
  const s2 = fixtureState();
  const fresh = checkedWeb(s2, undefined);
  view.replace(s2, 2, 10);
  assert.equal(answered(view), true, 'snapshot of a new epoch');
  const ev: TaskEventMsg = { epoch: 2, sequence: 1, task: fresh, status: fresh.statuses[0]! };
  view.applyTask(ev);
  assert.equal(answered(view), true, 'task event without a result');

  view.applyTask({ epoch: 2, sequence: 2, task: { ...fresh, healthy: false }, status: { ...fresh.statuses[0]!, healthy: false } });
  assert.equal(answered(view), false, 'an unhealthy report removes it');
});

test('a health-checked task never reported stays unanswered across snapshots', () => {
  const s = fixtureState();
  checkedWeb(s, undefined);
  const view = new ClusterView();
  view.replace(s, 1, 0);
  assert.equal(answered(view), false);
});
