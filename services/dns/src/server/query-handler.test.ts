import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@agora/logging';
import { defaultDnsConfig } from '../records';
import { fixtureState } from '../records/fixture-state';
import { RRType, Rcode, buildQuery, parseMessage } from '../wire';
import { ClusterView } from '../state/cluster-view';
import { RecordStore } from '../state/record-store';
import { Forwarder } from './forwarder';
import { QueryHandler } from './query-handler';

const log = createLogger('test', 'silent');

function setup(loaded: boolean) {
  const view = new ClusterView();
  // Host names in the fixture resolve to nothing, without asking the system resolver (no traffic off loopback).
  const store = new RecordStore({ ...defaultDnsConfig(), Resolvers: [] }, view, log, () => Promise.resolve([]));
  if (loaded) {
    view.replace(fixtureState(), 1, 0);
    store.rebuildNow();
  }
  const forwarder = new Forwarder(log);
  const handler = new QueryHandler(store, forwarder, log);
  const ask = (name: string, type: number = RRType.A, id = 1): Promise<ReturnType<typeof parseMessage>> =>
    new Promise((resolve) => {
      const willReply = handler.handle(Buffer.from(buildQuery({ id, name, type })), 'udp', (bytes) => resolve(parseMessage(bytes)));
      assert.ok(willReply);
    });
  return { view, store, handler, forwarder, ask };
}

test('before the first snapshot: SERVFAIL for our names, never NXDOMAIN', async () => {
  const { ask, handler, forwarder } = setup(false);
  for (const name of ['leader.mesos.', 'nothing.mesos.', 'mesos.']) {
    const r = await ask(name);
    assert.ok(r.ok);
    assert.equal(r.message.rcode, Rcode.SERVFAIL, name);
  }
  assert.equal(handler.stats.notReady, 3);
  forwarder.close();
});

test('answers from the records; repeated questions come from the cache with their own id', async () => {
  const { ask, handler, forwarder } = setup(true);
  const first = await ask('car-store.marathon.mesos.', RRType.A, 10);
  const second = await ask('car-store.marathon.mesos.', RRType.A, 11);
  assert.ok(first.ok && second.ok);
  assert.equal(first.message.header.id, 10);
  assert.equal(second.message.header.id, 11);
  const text = (m: typeof first) => (m.ok ? m.message.answers.map((a) => `${a.name} ${a.type} ${a.data.kind === 'A' ? [...a.data.address].join('.') : ''}`) : []);
  assert.deepEqual(text(second), text(first));
  assert.ok(handler.cacheStats.hits >= 1);
  const miss = await ask('nothing.mesos.');
  assert.ok(miss.ok);
  assert.equal(miss.message.rcode, Rcode.NXDOMAIN);
  forwarder.close();
});

test('multi-value answers keep being shuffled through the cache', async () => {
  const { ask, forwarder } = setup(true);
  const orders = new Set<string>();
  for (let i = 0; i < 60; i++) {
    const r = await ask('slave.mesos.', RRType.A, i + 1);
    assert.ok(r.ok);
    orders.add(r.message.answers.map((a) => (a.data.kind === 'A' ? [...a.data.address].join('.') : '')).join(','));
  }
  assert.ok(orders.size > 1, `several orders seen: ${[...orders].join(' | ')}`);
  forwarder.close();
});

test('a new record set is answered at once (the cache belongs to one generation)', async () => {
  const { ask, view, store, forwarder } = setup(true);
  assert.equal((await ask('car-store.marathon.mesos.')).ok, true);
  const state = fixtureState();
  view.replace({ ...state, frameworks: state.frameworks.map((f) => ({ ...f, tasks: f.tasks.filter((t) => t.name !== 'car-store') })) }, 1, 0);
  store.rebuildNow();
  const r = await ask('car-store.marathon.mesos.');
  assert.ok(r.ok);
  assert.equal(r.message.rcode, Rcode.NXDOMAIN);
  forwarder.close();
});

test('names outside the domain without resolvers: SERVFAIL; junk: dropped or FORMERR, never a throw', async () => {
  const { ask, handler, forwarder } = setup(true);
  const r = await ask('example.com.');
  assert.ok(r.ok);
  assert.equal(r.message.rcode, Rcode.SERVFAIL);
  assert.equal(handler.handle(Buffer.from([1, 2, 3]), 'udp', () => assert.fail('no reply to 3 bytes')), false);
  let got: Uint8Array | undefined;
  handler.handle(Buffer.from([0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63, 1]), 'tcp', (b) => (got = b));
  assert.ok(got);
  const p = parseMessage(got);
  assert.ok(p.ok);
  assert.equal(p.message.rcode, Rcode.FORMERR);
  forwarder.close();
});
