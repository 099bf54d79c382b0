import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMarathonFlags } from './config';

test('defaults: ip 127.0.0.1, port 8080, hostname = ip', () => {
  const c = parseMarathonFlags(['--nats', 'nats://127.0.0.1:4222', '--consul=http://127.0.0.1:8500']);
  assert.ok(!('error' in c));
  assert.equal(c.ip, '127.0.0.1');
  assert.equal(c.port, 8080);
  assert.equal(c.hostname, '127.0.0.1');
  assert.equal(c.maxVersions, 50);
  assert.equal(c.frameworkName, 'marathon');
});

test('rejects unknown flags, missing values and bad urls', () => {
  assert.ok('error' in parseMarathonFlags(['--nats', 'nats://x:1', '--consul', 'http://c', '--zk', 'x']));
  assert.ok('error' in parseMarathonFlags(['--nats', 'nats://x:1']));
  assert.ok('error' in parseMarathonFlags(['--nats', 'nats://x:1', '--consul', 'ftp://c']));
  assert.ok('error' in parseMarathonFlags(['--nats', 'nats://x:1', '--consul', 'http://c', '--port', '0']));
  assert.ok('error' in parseMarathonFlags(['--nats', 'nats://x:1', '--consul', 'http://c', '--master-url', 'x']));
});
