import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRecordSet, defaultDnsConfig } from '../records';
import { fixtureState } from '../records/fixture-state';
import { allRecords, diffRecords } from './record-diff';

test('diff of a set with itself is empty; from nothing it is every record', () => {
  const set = buildRecordSet(fixtureState(), defaultDnsConfig());
  assert.deepEqual(diffRecords(set, set), { added: [], removed: [] });
  const all = allRecords(set);
  assert.ok(all.length > 10);
  assert.ok(all.some((r) => r.type === 'A' && r.name === 'slave.mesos.'));
  assert.ok(all.some((r) => r.type === 'SRV' && /:\d+$/.test(r.value)));
  assert.deepEqual(diffRecords(set, undefined).removed.length, all.length);
});

test('a task that stops running shows up as removed records, filtered by name', () => {
  const state = fixtureState();
  const before = buildRecordSet(state, defaultDnsConfig());
  const after = buildRecordSet(
    { ...state, frameworks: state.frameworks.map((f) => ({ ...f, tasks: f.tasks.filter((t) => t.name !== 'car-store') })) },
    defaultDnsConfig(),
  );
  const d = diffRecords(before, after);
  assert.equal(d.added.length, 0);
  assert.ok(d.removed.some((r) => r.name.startsWith('car-store.') || r.name.startsWith('_car-store.')));
  const only = diffRecords(before, after, 'car-store.marathon.mesos.');
  assert.ok(only.removed.length > 0);
  assert.ok(only.removed.every((r) => r.name === 'car-store.marathon.mesos.'));
});
