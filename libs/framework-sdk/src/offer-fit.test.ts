import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { add, contains, rangesSize, rangesToPorts, resources, type PortRange, type Resources } from '@agora/model';
import { claim, fits, formatAsk, largest, pack, takePorts, whyNotFits, type ResourceAsk } from './offer-fit';

const offer = (cpus: number, mem: number, ports: PortRange[] = []): Resources => resources({ cpus, mem, disk: 1000 }, ports);

describe('takePorts', () => {
  test('takes the lowest ports across ranges without random', () => {
    assert.deepEqual(takePorts([{ begin: 31000, end: 31001 }, { begin: 31005, end: 31010 }], 4), [31000, 31001, 31005, 31006]);
  });
  test('zero ports is an empty pick, too many is undefined', () => {
    assert.deepEqual(takePorts([], 0), []);
    assert.equal(takePorts([{ begin: 1, end: 2 }], 3), undefined);
  });
  test('random start wraps around and never repeats', () => {
    const got = takePorts([{ begin: 10, end: 12 }, { begin: 20, end: 20 }], 4, () => 0.99);
    assert.deepEqual(got, [20, 10, 11, 12]);
  });
  test('property: picks are distinct and inside the ranges', () => {
    const range = fc.tuple(fc.integer({ min: 1, max: 60000 }), fc.integer({ min: 0, max: 50 })).map(([b, n]) => ({ begin: b, end: b + n }));
    fc.assert(
      fc.property(fc.array(range, { maxLength: 5 }), fc.nat({ max: 60 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (ranges, n, r) => {
        const got = takePorts(ranges, n, () => r);
        const all = new Set(rangesToPorts(ranges));
        if (n > all.size) return got === undefined;
        return got !== undefined && got.length === n && new Set(got).size === n && got.every((p) => all.has(p));
      }),
    );
  });
});

describe('fits / whyNotFits', () => {
  test('scalars must all be covered', () => {
    assert.equal(fits({ scalars: { cpus: 0.5, mem: 128 } }, offer(1, 128)), true);
    assert.equal(whyNotFits({ scalars: { cpus: 2 } }, offer(1, 128)), 'cpus: asked 2, offered 1');
    assert.equal(whyNotFits({ scalars: { gpus: 1 } }, offer(1, 128)), 'gpus: asked 1, offered 0');
  });
  test('0.1 + 0.2 style crumbs do not make a fit fail', () => {
    assert.equal(fits({ scalars: { cpus: 0.3 } }, resources({ cpus: 0.1 + 0.2 })), true);
  });
  test('exact and any ports', () => {
    const o = offer(1, 128, [{ begin: 31000, end: 31002 }]);
    assert.equal(fits({ scalars: {}, ports: [31001], portCount: 2 }, o), true);
    assert.equal(whyNotFits({ scalars: {}, ports: [80] }, o), 'ports 80 are not offered');
    assert.equal(whyNotFits({ scalars: {}, ports: [31001], portCount: 3 }, o), 'ports: asked 3 more, offered 2');
  });
});

describe('claim / pack', () => {
  test('claim returns concrete ports and the remainder', () => {
    const o = offer(1, 256, [{ begin: 31000, end: 31009 }]);
    const got = claim({ scalars: { cpus: 0.25, mem: 64 }, ports: [31005], portCount: 2 }, o);
    assert.ok(got);
    assert.deepEqual(got.claim.ports, [31005, 31000, 31001]);
    assert.deepEqual(got.claim.resources.scalars, { cpus: 0.25, mem: 64 });
    assert.deepEqual(got.remaining.scalars, { cpus: 0.75, mem: 192, disk: 1000 });
    assert.deepEqual(got.remaining.ports, [{ begin: 31002, end: 31004 }, { begin: 31006, end: 31009 }]);
  });
  test('pack places in order and reports what does not fit', () => {
    const asks: ResourceAsk[] = [{ scalars: { cpus: 0.5 } }, { scalars: { cpus: 0.75 } }, { scalars: { cpus: 0.5 } }];
    const got = pack(asks, offer(1, 0));
    assert.deepEqual(got.placed.map((p) => p.index), [0, 2]);
    assert.deepEqual(got.unplaced, [1]);
    assert.equal(got.remaining.scalars.cpus, undefined);
  });
  test('property: claims plus remainder give back the offer, ports never shared', () => {
    const ask = fc.record({
      scalars: fc.record({ cpus: fc.integer({ min: 0, max: 8 }).map((x) => x / 4), mem: fc.integer({ min: 0, max: 512 }) }),
      portCount: fc.nat({ max: 4 }),
    });
    fc.assert(
      fc.property(fc.array(ask, { maxLength: 12 }), (asks) => {
        const o = offer(2, 1024, [{ begin: 31000, end: 31015 }]);
        const got = pack(asks, o);
        const used = got.placed.reduce((acc, p) => add(acc, p.claim.resources), resources({}));
        const ports = got.placed.flatMap((p) => p.claim.ports);
        const back = add(used, got.remaining);
        return (
          new Set(ports).size === ports.length &&
          contains(o, used) &&
          contains(back, o) &&
          contains(o, back) &&
          rangesSize(got.remaining.ports) + ports.length === 16
        );
      }),
    );
  });
});

test('largest picks by cpus, then mem', () => {
  const list = [{ resources: offer(1, 64) }, { resources: offer(2, 32) }, { resources: offer(2, 64) }];
  assert.equal(largest(list), list[2]);
  assert.equal(largest([]), undefined);
});

test('formatAsk reads like the --resources flag', () => {
  assert.equal(formatAsk({ scalars: { cpus: 0.1, mem: 32, disk: 0 }, portCount: 2 }), 'cpus:0.1;mem:32;ports:2 any');
  assert.equal(formatAsk({ scalars: {} }), '(nothing)');
});
