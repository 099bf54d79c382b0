import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsulClient } from '@agora/consul';
import { consulComponent, natsComponent } from '@agora/launcher';
import { createLogger } from '@agora/logging';
import { startTestCluster, waitFor, type TestCluster } from '@agora/testing';
import { FencedError, KvWriter } from '../frameworks/chronos/src/state/kv-writer';

/**
 * Chronos' batched, fenced Consul writer against a real Consul: create-only semantics (the guard against
 * starting a scheduled time twice), per-key order, and the fence that stops a deposed leader's writes.
 */
describe('Chronos KV writer on Consul', () => {
  let c: TestCluster | undefined;
  let consul: ConsulClient;
  const log = createLogger('chronos-kv-test', process.env.AGORA_LOG_LEVEL ?? 'warn');

  before(async () => {
    c = await startTestCluster({ masters: 0, agents: 0, components: [natsComponent, consulComponent] });
    consul = new ConsulClient(c.consul);
  });
  after(async () => {
    await c?.stop();
  });

  test('create is create-only; a burst of creates all land, in few transactions', async () => {
    const w = new KvWriter(consul.baseUrl, undefined, log);
    assert.equal(await w.create('t/once', 'a'), true);
    assert.equal(await w.create('t/once', 'b'), false);
    assert.equal((await consul.get('t/once'))?.value, 'a');
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => w.create(`t/burst/${i}`, String(i))));
    assert.ok(results.every(Boolean));
    // One existing key among new ones: only it reports false, the others are written.
    const mixed = await Promise.all([w.create('t/burst/7', 'x'), w.create('t/new-1', 'y'), w.create('t/new-2', 'z')]);
    assert.deepEqual(mixed, [false, true, true]);
    assert.equal((await consul.list('t/burst/')).length, 300);
    assert.equal((await consul.get('t/burst/7'))?.value, '7');
  });

  test('writes to one key apply in the order they were queued', async () => {
    const w = new KvWriter(consul.baseUrl, undefined, log, { maxOps: 2, concurrency: 4 });
    const writes: Array<Promise<unknown>> = [];
    for (let i = 0; i < 40; i++) writes.push(w.set('t/ordered', String(i)), w.set(`t/other/${i}`, 'x'));
    await Promise.all(writes);
    assert.equal((await consul.get('t/ordered'))?.value, '39');
    await w.deleteTree('t/other/');
    assert.deepEqual(await consul.list('t/other/'), []);
  });

  test('a writer fenced by a lock stops as soon as the lock is lost', async () => {
    const session = await consul.createSession('fence-test', 30);
    assert.ok(await consul.acquire('t/lock', 'me', session));
    let fenced = '';
    const w = new KvWriter(consul.baseUrl, { key: 't/lock', session }, log, { onFenced: (why) => (fenced = why) });
    await w.set('t/fenced', 'while leading');
    assert.ok(await consul.release('t/lock', session));
    await assert.rejects(w.set('t/fenced', 'after losing the lock'), FencedError);
    await waitFor(() => fenced !== '', { what: 'onFenced' });
    await assert.rejects(w.create('t/fenced-2', 'x'), FencedError);
    assert.equal((await consul.get('t/fenced'))?.value, 'while leading');
    assert.equal(await consul.get('t/fenced-2'), undefined);
    await consul.destroySession(session);
  });
});
