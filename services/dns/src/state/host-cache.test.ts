import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@agora/logging';
import { HostCache } from './host-cache';

test('a miss starts one lookup; its answer arrives with a change; failures are remembered', async () => {
  const asked: string[] = [];
  let changes = 0;
  const table: Record<string, string[]> = { 'node1.example': ['10.0.0.1', '10.0.0.1', '10.0.0.2'] };
  const cache = new HostCache(
    () => void changes++,
    createLogger('test', 'silent'),
    async (h) => {
      asked.push(h);
      const r = table[h];
      if (!r) throw new Error('ENOTFOUND');
      return r;
    },
  );
  assert.equal(cache.get('Node1.Example'), undefined);
  assert.equal(cache.get('node1.example'), undefined, 'no second lookup while one is under way');
  assert.equal(cache.get('nowhere.example'), undefined);
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(asked, ['node1.example', 'nowhere.example']);
  assert.deepEqual(cache.get('node1.example'), ['10.0.0.1', '10.0.0.2']);
  assert.deepEqual(cache.get('nowhere.example'), []);
  assert.equal(changes, 1, 'only a name that now resolves changes the records');
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(asked.length, 2, 'fresh entries are not looked up again');
});
