import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Constraint } from './app-definition';
import { fieldValue, formatConstraint, meetsConstraint, normalizeValue, unmetConstraints, type Placement } from './constraints';

const at = (hostname: string, attributes: Record<string, string> = {}): Placement => ({ hostname, attributes });
const c = (...x: string[]): Constraint => x as unknown as Constraint;

describe('fields', () => {
  test('hostname, @hostname, attributes, fault domains', () => {
    const p: Placement = { hostname: 'h1', attributes: { rack: 'r1', level: '3.0' }, zone: 'z1' };
    assert.equal(fieldValue('hostname', p), 'h1');
    assert.equal(fieldValue('@hostname', p), 'h1');
    assert.equal(fieldValue('rack', p), 'r1');
    assert.equal(fieldValue('level', p), '3');
    assert.equal(fieldValue('@zone', p), 'z1');
    assert.equal(fieldValue('@region', p), undefined);
    assert.equal(normalizeValue('1.0004'), '1');
    assert.equal(normalizeValue('2.5'), '2.5');
  });
});

describe('operators', () => {
  test('UNIQUE', () => {
    assert.ok(meetsConstraint(c('hostname', 'UNIQUE'), at('a'), [at('b'), at('c')]));
    assert.ok(!meetsConstraint(c('hostname', 'UNIQUE'), at('a'), [at('a')]));
    assert.ok(!meetsConstraint(c('rack', 'UNIQUE'), at('a', { rack: '1' }), [at('b', { rack: '1' })]));
  });
  test('CLUSTER with and without value', () => {
    assert.ok(meetsConstraint(c('rack', 'CLUSTER', 'r1'), at('a', { rack: 'r1' }), []));
    assert.ok(!meetsConstraint(c('rack', 'CLUSTER', 'r1'), at('a', { rack: 'r2' }), []));
    assert.ok(meetsConstraint(c('rack', 'CLUSTER'), at('a', { rack: 'r2' }), []));
    assert.ok(meetsConstraint(c('rack', 'CLUSTER'), at('a', { rack: 'r2' }), [at('b', { rack: 'r2' })]));
    assert.ok(!meetsConstraint(c('rack', 'CLUSTER'), at('a', { rack: 'r1' }), [at('b', { rack: 'r2' })]));
  });
  test('MAX_PER', () => {
    const placed = [at('a', { rack: '1' }), at('b', { rack: '1' })];
    assert.ok(!meetsConstraint(c('rack', 'MAX_PER', '2'), at('c', { rack: '1' }), placed));
    assert.ok(meetsConstraint(c('rack', 'MAX_PER', '3'), at('c', { rack: '1' }), placed));
    assert.ok(meetsConstraint(c('rack', 'MAX_PER', '2'), at('c', { rack: '2' }), placed));
  });
  test('LIKE / UNLIKE match the whole value; only UNLIKE accepts a missing attribute', () => {
    assert.ok(meetsConstraint(c('rack', 'LIKE', 'rack-[12]'), at('a', { rack: 'rack-1' }), []));
    assert.ok(!meetsConstraint(c('rack', 'LIKE', 'rack-[12]'), at('a', { rack: 'rack-10' }), []));
    assert.ok(!meetsConstraint(c('rack', 'LIKE', 'rack'), at('a', {}), []));
    assert.ok(meetsConstraint(c('rack', 'UNLIKE', 'rack-[12]'), at('a', {}), []));
    assert.ok(!meetsConstraint(c('hostname', 'UNLIKE', 'h.*'), at('h1'), []));
    assert.ok(meetsConstraint(c('hostname', 'LIKE', '127\\.0\\.1\\.[23]'), at('127.0.1.2'), []));
  });
  test('IS compares text, and scalars to three decimals', () => {
    assert.ok(meetsConstraint(c('zone', 'IS', 'eu-1'), at('a', { zone: 'eu-1' }), []));
    assert.ok(!meetsConstraint(c('zone', 'IS', 'eu-1'), at('a', { zone: 'eu-2' }), []));
    assert.ok(meetsConstraint(c('level', 'IS', '3'), at('a', { level: '3.000' }), []));
    assert.ok(meetsConstraint(c('level', 'IS', '1.0001'), at('a', { level: '1' }), []));
  });
  test('GROUP_BY with a group count and instances spreads evenly', () => {
    const g = c('zone', 'GROUP_BY', '3');
    const ctx = { instances: 6 };
    const z = (zone: string, n: number): Placement[] => Array.from({ length: n }, (_, i) => at(`${zone}${i}`, { zone }));
    // Opening a new zone is fine while fewer than 3 are used.
    assert.ok(meetsConstraint(g, at('x', { zone: 'b' }), z('a', 1), ctx));
    // 6 over 3 zones: 2 each.
    assert.ok(meetsConstraint(g, at('x', { zone: 'a' }), z('a', 1), ctx));
    assert.ok(!meetsConstraint(g, at('x', { zone: 'a' }), z('a', 2), ctx));
    // All 3 zones used: no fourth.
    assert.ok(!meetsConstraint(g, at('x', { zone: 'd' }), [...z('a', 1), ...z('b', 1), ...z('c', 1)], ctx));
    // 7 over 3: one zone may take the remainder.
    const seven = { instances: 7 };
    const full = [...z('a', 2), ...z('b', 2), ...z('c', 2)];
    assert.ok(meetsConstraint(g, at('x', { zone: 'b' }), full, seven));
    assert.ok(!meetsConstraint(g, at('x', { zone: 'b' }), [...z('a', 3), ...z('b', 2), ...z('c', 2)].slice(0, 7), seven));
  });
  test('GROUP_BY without a value prefers the least used values', () => {
    const g = c('zone', 'GROUP_BY');
    const placed = [at('1', { zone: 'a' }), at('2', { zone: 'a' }), at('3', { zone: 'b' })];
    assert.ok(meetsConstraint(g, at('x', { zone: 'b' }), placed));
    assert.ok(!meetsConstraint(g, at('x', { zone: 'a' }), placed));
    assert.ok(meetsConstraint(g, at('x', { zone: 'c' }), placed));
  });
  test('unmet constraints are listed and formatted', () => {
    const cs = [c('hostname', 'UNIQUE'), c('rack', 'LIKE', 'r[12]')];
    assert.deepEqual(unmetConstraints(cs, at('a', { rack: 'r3' }), [at('a')]).map(formatConstraint), ['UNIQUE hostname', 'LIKE rack r[12]']);
  });
});

describe('properties', () => {
  test('placing greedily under UNIQUE hostname never puts two tasks on one host', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('h1', 'h2', 'h3', 'h4'), { maxLength: 40 }), (offers) => {
        const placed: Placement[] = [];
        for (const h of offers) if (meetsConstraint(c('hostname', 'UNIQUE'), at(h), placed)) placed.push(at(h));
        assert.equal(new Set(placed.map((p) => p.hostname)).size, placed.length);
      }),
    );
  });
  test('placing greedily under MAX_PER n never exceeds n per value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.constantFrom('r1', 'r2', 'r3'), { maxLength: 40 }), (n, offers) => {
        const placed: Placement[] = [];
        const con = c('rack', 'MAX_PER', String(n));
        for (const r of offers) if (meetsConstraint(con, at('h', { rack: r }), placed)) placed.push(at('h', { rack: r }));
        for (const r of ['r1', 'r2', 'r3']) assert.ok(placed.filter((p) => p.attributes['rack'] === r).length <= n);
      }),
    );
  });
  test('GROUP_BY n with instances keeps groups within one task of each other when all groups are offered', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 60, maxLength: 60 }), (instances, offers) => {
        const placed: Placement[] = [];
        const con = c('zone', 'GROUP_BY', '3');
        for (const z of offers) {
          if (placed.length >= instances) break;
          if (meetsConstraint(con, at('h', { zone: z }), placed, { instances })) placed.push(at('h', { zone: z }));
        }
        const counts = ['a', 'b', 'c'].map((z) => placed.filter((p) => p.attributes['zone'] === z).length);
        const used = counts.filter((n) => n > 0);
        if (placed.length === instances && used.length === 3) assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, JSON.stringify(counts));
        for (const n of counts) assert.ok(n <= Math.ceil(instances / 3));
      }),
    );
  });
});
