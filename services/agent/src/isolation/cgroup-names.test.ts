import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cgroupSlug, cpuShares, cpuWeight, readCounter, taskCgroupName } from './cgroup-names';

describe('cgroup names', () => {
  test('slugs are safe directory names, bounded, and distinct for distinct long ids', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const slug = cgroupSlug(s);
        assert.match(slug, /^[A-Za-z0-9_.:-]+$/);
        assert.ok(slug.length <= 120);
        assert.notEqual(slug, '.');
        assert.notEqual(slug, '..');
      }),
    );
    const long = 'x'.repeat(200);
    assert.notEqual(cgroupSlug(long + 'a'), cgroupSlug(long + 'b'));
    assert.equal(taskCgroupName('fw-1', 'web.1:2'), 'fw-1_web.1:2');
    assert.equal(cgroupSlug('a/b'), 'a_b');
  });

  test('cpu shares and weights', () => {
    assert.equal(cpuShares(1), 1024);
    assert.equal(cpuShares(0.5), 512);
    assert.equal(cpuShares(0.001), 2);
    assert.equal(cpuWeight(1), 100);
    assert.equal(cpuWeight(0.001), 1);
    assert.equal(cpuWeight(1000), 10000);
  });

  test('readCounter', () => {
    const text = 'oom_kill_disable 0\nunder_oom 0\noom_kill 3\n';
    assert.equal(readCounter(text, 'oom_kill'), 3);
    assert.equal(readCounter(text, 'under_oom'), 0);
    assert.equal(readCounter('low 0\nhigh 0\n', 'oom_kill'), undefined);
  });
});
