import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDnsFlags } from './flags';
import { mergeConfig } from './load-config';

test('flags: required nats, defaults, resolvers normalised', () => {
  assert.ok('error' in parseDnsFlags([]));
  const f = parseDnsFlags(['--nats', 'nats://127.0.0.1:4222', '--port=9053', '--resolvers', '127.0.0.1:5353,10.0.0.1,[::1]:53', '--ip', '127.0.0.2']);
  assert.ok(!('error' in f));
  assert.equal(f.port, 9053);
  assert.equal(f.ip, '127.0.0.2');
  assert.deepEqual(f.resolvers, ['127.0.0.1:5353', '10.0.0.1:53', '[::1]:53']);
  assert.ok('error' in parseDnsFlags(['--nats', 'nats://x:1', '--port', '0']));
  assert.ok('error' in parseDnsFlags(['--nats', 'nats://x:1', '--resolvers', 'dns.example.com']));
  assert.ok('error' in parseDnsFlags(['--nats', 'nats://x:1', '--bogus', '1']));
  assert.ok('error' in parseDnsFlags(['--nats', 'nats://x:1', '--log-level', 'loud']));
});

test('flags: --workers defaults to 1 and is bounded', () => {
  const one = parseDnsFlags(['--nats', 'nats://x:1']);
  assert.ok(!('error' in one) && one.workers === 1);
  const two = parseDnsFlags(['--nats', 'nats://x:1', '--workers', '2']);
  assert.ok(!('error' in two) && two.workers === 2);
  for (const bad of ['0', '-1', '1.5', 'two', '17']) assert.ok('error' in parseDnsFlags(['--nats', 'nats://x:1', '--workers', bad]), bad);
});

test('config: flags override the file, keys match case-insensitively', () => {
  const f = parseDnsFlags(['--nats', 'nats://127.0.0.1:4222', '--port', '9053', '--domain', 'Agora.']);
  assert.ok(!('error' in f));
  const r = mergeConfig({ port: 53, listener: '0.0.0.0', ttl: 5, resolvers: ['1.1.1.1'], EnumerationOn: false }, f);
  assert.equal(r.config.Port, 9053);
  assert.equal(r.config.Domain, 'agora');
  assert.equal(r.config.Listener, '0.0.0.0');
  assert.equal(r.config.TTL, 5);
  assert.deepEqual(r.config.Resolvers, ['1.1.1.1']);
  assert.equal(r.config.EnumerationOn, false);
  assert.deepEqual(r.errors, []);
});
