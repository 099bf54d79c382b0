import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CreateSpec } from './create-spec';
import { applyParameters, parseBytes } from './docker-parameters';

const blank = (): CreateSpec => ({ name: 'n', Image: 'i', Env: [], Labels: {}, WorkingDir: '/', HostConfig: { NetworkMode: 'host', Binds: [] } });

describe('applyParameters', () => {
  test('translates docker run options to Engine API fields', () => {
    const s = blank();
    const err = applyParameters(s, [
      { key: 'ulimit', value: 'nofile=1024:2048' },
      { key: 'tmpfs', value: '/run:size=10m' },
      { key: 'sysctl', value: 'net.core.somaxconn=1024' },
      { key: 'device', value: '/dev/fuse' },
      { key: 'shm-size', value: '64m' },
      { key: 'pids-limit', value: '100' },
      { key: 'log-opt', value: 'max-size=1m' },
      { key: 'init', value: '' },
      { key: 'read-only', value: 'false' },
      { key: 'e', value: 'A=b' },
      { key: 'w', value: '/app' },
      { key: 'cpus', value: '1.5' },
      { key: 'add-host', value: 'db:10.0.0.2' },
      { key: 'volume', value: '/host:/c:ro' },
    ]);
    assert.equal(err, undefined);
    const h = s.HostConfig;
    assert.deepEqual(h.Ulimits, [{ Name: 'nofile', Soft: 1024, Hard: 2048 }]);
    assert.deepEqual(h.Tmpfs, { '/run': 'size=10m' });
    assert.deepEqual(h.Sysctls, { 'net.core.somaxconn': '1024' });
    assert.deepEqual(h.Devices, [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }]);
    assert.equal(h.ShmSize, 64 * 1024 * 1024);
    assert.equal(h.PidsLimit, 100);
    assert.deepEqual(h.LogConfig, { Type: 'json-file', Config: { 'max-size': '1m' } });
    assert.equal(h.Init, true);
    assert.equal(h.ReadonlyRootfs, false);
    assert.deepEqual(s.Env, ['A=b']);
    assert.equal(s.WorkingDir, '/app');
    assert.equal(h.NanoCpus, 1.5e9);
    assert.deepEqual(h.ExtraHosts, ['db:10.0.0.2']);
    assert.deepEqual(h.Binds, ['/host:/c:ro']);
  });

  for (const [key, value, re] of [
    ['name', 'x', /agent names containers/],
    ['publish', '80:80', /portMappings/],
    ['privileged', 'true', /container.docker.privileged/],
    ['env', 'NOEQUALS', /NAME=VALUE/],
    ['memory', 'lots', /size like/],
    ['pids-limit', '1.5', /integer/],
    ['ulimit', 'nofile', /NAME=SOFT/],
    ['frobnicate', '1', /not supported \(supported:/],
  ] as const)
    test(`refuses ${key}=${value}`, () => assert.match(applyParameters(blank(), [{ key, value }]) ?? '', re));

  test('parseBytes', () => {
    assert.equal(parseBytes('1024'), 1024);
    assert.equal(parseBytes('1k'), 1024);
    assert.equal(parseBytes('1.5g'), 1.5 * 1024 ** 3);
    assert.equal(parseBytes('512MB'), 512 * 1024 ** 2);
    assert.equal(parseBytes('2mib'), 2 * 1024 ** 2);
    assert.equal(parseBytes('x'), undefined);
    assert.equal(parseBytes('-1'), undefined);
  });
});
