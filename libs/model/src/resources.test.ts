import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  add,
  contains,
  normalizeRanges,
  parseResourceFlag,
  rangesSize,
  resources,
  subtract,
  subtractRanges,
  formatResources,
  type PortRange,
} from './resources';

describe('port ranges', () => {
  test('normalize merges overlapping and adjacent ranges', () => {
    assert.deepEqual(normalizeRanges([{ begin: 5, end: 9 }, { begin: 1, end: 3 }, { begin: 4, end: 4 }, { begin: 20, end: 21 }]), [
      { begin: 1, end: 9 },
      { begin: 20, end: 21 },
    ]);
  });
  test('subtract splits a range', () => {
    assert.deepEqual(subtractRanges([{ begin: 31000, end: 32000 }], [{ begin: 31005, end: 31005 }]), [
      { begin: 31000, end: 31004 },
      { begin: 31006, end: 32000 },
    ]);
  });
  const range = fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 20 })).map(([b, l]): PortRange => ({ begin: b, end: b + l }));
  test('property: |a − b| + |a ∩ b| = |a|', () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 6 }), fc.array(range, { maxLength: 6 }), (a, b) => {
        const na = normalizeRanges(a);
        const diff = subtractRanges(na, b);
        const inter = subtractRanges(na, diff);
        assert.equal(rangesSize(diff) + rangesSize(inter), rangesSize(na));
      }),
    );
  });
});

describe('resources arithmetic', () => {
  test('adding 0.1 cpus ten times gives exactly 1', () => {
    let r = resources({});
    for (let i = 0; i < 10; i++) r = add(r, resources({ cpus: 0.1 }));
    assert.equal(r.scalars.cpus, 1);
  });
  test('subtract never goes below zero and drops empty scalars', () => {
    const r = subtract(resources({ cpus: 1, mem: 100 }), resources({ cpus: 2, mem: 50 }));
    assert.deepEqual(r.scalars, { mem: 50 });
  });
  test('contains checks scalars and ports', () => {
    const have = resources({ cpus: 1, mem: 128 }, [{ begin: 31000, end: 31010 }]);
    assert.equal(contains(have, resources({ cpus: 0.5 }, [{ begin: 31001, end: 31002 }])), true);
    assert.equal(contains(have, resources({ mem: 129 })), false);
    assert.equal(contains(have, resources({}, [{ begin: 31010, end: 31011 }])), false);
  });
  test('property: (a + b) − b contains a and a contains (a + b) − b', () => {
    const scal = fc.record({ cpus: fc.integer({ min: 0, max: 1000 }).map((x) => x / 10), mem: fc.integer({ min: 0, max: 4096 }) });
    fc.assert(
      fc.property(scal, scal, (a, b) => {
        const ra = resources(a);
        const back = subtract(add(ra, resources(b)), resources(b));
        assert.ok(contains(back, ra) && contains(ra, back));
      }),
    );
  });
});

describe('--resources flag', () => {
  test('parses scalars and port ranges', () => {
    const r = parseResourceFlag('cpus:4;mem:8192;disk:10000;ports:[31000-32000,33000-33010]');
    assert.notEqual(typeof r, 'string');
    assert.equal(formatResources(r as Exclude<typeof r, string>), 'cpus:4;mem:8192;disk:10000;ports:[31000-32000,33000-33010]');
  });
  for (const bad of ['cpus', 'cpus:-1', 'cpus:abc', 'ports:[31000-]', 'ports:[2-1]', 'mem:[1-2]', 'ports:[1-70000]']) {
    test(`rejects ${JSON.stringify(bad)} with a message`, () => {
      assert.equal(typeof parseResourceFlag(bad), 'string');
    });
  }
});
