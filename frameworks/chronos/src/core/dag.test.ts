import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { childrenOf, clearOnStart, findCycle, isReady, lastStatusOf, markParentSucceeded, pruneDependencyState, readyAtMs, removalErrors, toCsv, toDot, validateDependencies, type DependencyState } from './dag';

type J = { name: string; parents: string[] };
const graph = (...jobs: J[]): Map<string, J> => new Map(jobs.map((j) => [j.name, j]));
const j = (name: string, ...parents: string[]): J => ({ name, parents });
const at = (s: number): Date => new Date(Date.parse('2026-01-15T12:00:00.000Z') + s * 1000);

describe('graph validation', () => {
  const g = graph(j('a'), j('b', 'a'), j('c', 'b'), j('d', 'a', 'c'));
  test('children', () => {
    assert.deepEqual(childrenOf(g, 'a'), ['b', 'd']);
    assert.deepEqual(childrenOf(g, 'd'), []);
  });
  test('unknown parents are rejected naming them', () => {
    assert.deepEqual(validateDependencies(j('x', 'a', 'nope', 'gone'), g), [{ field: 'parents', message: 'unknown parent jobs: nope, gone' }]);
    assert.deepEqual(validateDependencies(j('x', 'a', 'c'), g), []);
  });
  test('an update that closes a cycle is rejected with the cycle', () => {
    assert.deepEqual(validateDependencies(j('a', 'c'), g), [{ field: 'parents', message: 'would form a cycle: a → b → c → a' }]);
    assert.deepEqual(validateDependencies(j('b', 'd'), g), [{ field: 'parents', message: 'would form a cycle: b → c → d → b' }]);
    assert.deepEqual(validateDependencies(j('c', 'a'), g), []);
  });
  test('findCycle on stored state', () => {
    assert.equal(findCycle(g), null);
    assert.deepEqual(findCycle(graph(j('a', 'c'), j('b', 'a'), j('c', 'b'))), ['a', 'b', 'c', 'a']);
  });
  test('a parent cannot be removed while children depend on it', () => {
    assert.deepEqual(removalErrors(g, 'a'), [{ field: 'name', message: 'a is a parent of b, d: delete them or change their parents first' }]);
    assert.deepEqual(removalErrors(g, 'd'), []);
  });
  test('property: validateDependencies never accepts a job that makes the graph cyclic', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...names), fc.subarray(names)), { maxLength: 12 }), (updates) => {
        let g2 = graph(...names.map((n) => j(n)));
        for (const [name, parents] of updates) {
          const job = j(name, ...parents);
          if (validateDependencies(job, g2).length === 0 && !parents.includes(name)) {
            g2 = new Map(g2).set(name, job);
            assert.equal(findCycle(g2), null);
          }
        }
      }),
    );
  });
});

describe('readiness bookkeeping', () => {
  const g = graph(j('p1'), j('p2'), j('child', 'p1', 'p2'), j('solo', 'p1'));
  const states = (...s: DependencyState[]): Map<string, DependencyState> => new Map(s.map((x) => [x.job, x]));
  test('a child runs when every parent has succeeded since its last run', () => {
    let st = markParentSucceeded(g, new Map(), 'p1', { runKey: 'p1@1', at: at(1) });
    assert.deepEqual(
      st.map((s) => s.job),
      ['child', 'solo'],
    );
    const child1 = st.find((s) => s.job === 'child');
    assert.ok(child1);
    assert.equal(isReady(g.get('child')!, child1), false);
    assert.equal(isReady(g.get('solo')!, st.find((s) => s.job === 'solo')), true);
    st = markParentSucceeded(g, states(child1), 'p2', { runKey: 'p2@1', at: at(5) });
    const child2 = st.find((s) => s.job === 'child');
    assert.ok(child2 && isReady(g.get('child')!, child2));
    assert.equal(readyAtMs(g.get('child')!, child2), at(5).getTime());
    // frozen while ready: a further success does not move readyAt (the run key stays the same)
    assert.deepEqual(
      markParentSucceeded(g, states(child2), 'p1', { runKey: 'p1@2', at: at(7) }).filter((s) => s.job === 'child'),
      [],
    );
    const cleared = clearOnStart(child2, at(8));
    assert.deepEqual(cleared, { job: 'child', satisfied: {}, clearedAt: at(8).toISOString() });
    // a success from before the child's start (late redelivery) does not count for the next run
    assert.deepEqual(
      markParentSucceeded(g, states(cleared), 'p1', { runKey: 'p1@2', at: at(7) }).filter((s) => s.job === 'child'),
      [],
    );
    assert.equal(markParentSucceeded(g, states(cleared), 'p1', { runKey: 'p1@3', at: at(9) }).filter((s) => s.job === 'child').length, 1);
  });
  test('redelivered successes change nothing', () => {
    const [s1] = markParentSucceeded(g, new Map(), 'p2', { runKey: 'p2@1', at: at(1) });
    assert.ok(s1);
    assert.deepEqual(markParentSucceeded(g, states(s1), 'p2', { runKey: 'p2@1', at: at(1) }), []);
  });
  test('pruning drops parents that were removed from the job', () => {
    const s: DependencyState = { job: 'child', satisfied: { p1: { at: at(1).toISOString(), runKey: 'k' }, old: { at: at(1).toISOString(), runKey: 'k2' } } };
    assert.deepEqual(Object.keys(pruneDependencyState(j('child', 'p1', 'p2'), s).satisfied), ['p1']);
  });
  test('property: duplicated deliveries do not change how often the child runs', () => {
    const ev = fc.oneof(fc.constantFrom('p1', 'p2').map((p) => ({ kind: 'success' as const, p })), fc.constant({ kind: 'tick' as const }), fc.constant({ kind: 'redeliver' as const }));
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 40 }), (events) => {
        const run = (withDuplicates: boolean): number => {
          let state: DependencyState | undefined;
          let starts = 0;
          let t = 0;
          let last: { p: string; runKey: string; at: Date } | undefined;
          for (const e of events) {
            t++;
            if (e.kind === 'success') last = { p: e.p, runKey: `${e.p}@${t}`, at: at(t) };
            if (e.kind === 'redeliver' && !withDuplicates) continue;
            if (e.kind === 'success' || (e.kind === 'redeliver' && last)) {
              const l = last!;
              const changed = markParentSucceeded(g, new Map(state ? [['child', state]] : []), l.p, { runKey: l.runKey, at: l.at }).find((s) => s.job === 'child');
              if (changed) state = changed;
            }
            if (e.kind === 'tick' && state && isReady(g.get('child')!, state)) {
              starts++;
              state = clearOnStart(state, at(t));
            }
          }
          return starts;
        };
        assert.equal(run(true), run(false));
      }),
    );
  });
});

describe('graph output', () => {
  const g = graph(j('b', 'a'), j('a'), j('c', 'a', 'b'));
  test('dot', () => {
    const status = (n: string) => (n === 'a' ? ('success' as const) : n === 'b' ? ('failure' as const) : ('fresh' as const));
    assert.equal(
      toDot(g, status),
      ['digraph G {', '  node [style=filled];', '  "a" [fillcolor=green];', '  "b" [fillcolor=red];', '  "c" [fillcolor=white];', '  "a" -> "b";', '  "a" -> "c";', '  "b" -> "c";', '}', ''].join('\n'),
    );
  });
  test('csv', () => {
    assert.equal(toCsv(g), 'node,a,fresh\nnode,b,fresh\nnode,c,fresh\nlink,a,b\nlink,a,c\nlink,b,c\n');
  });
  test('last status from statistics', () => {
    assert.equal(lastStatusOf(undefined), 'fresh');
    assert.equal(lastStatusOf({ lastSuccess: '2026-01-02T00:00:00.000Z', lastError: '2026-01-01T00:00:00.000Z' }), 'success');
    assert.equal(lastStatusOf({ lastSuccess: '', lastError: '2026-01-01T00:00:00.000Z' }), 'failure');
  });
});
