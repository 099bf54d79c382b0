import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { add, resources } from '@agora/model';
import type { Resources } from '@agora/model';
import type { TaskInfo } from '@agora/contracts';
import { AcceptContext, AcceptInput, validateAccept } from './validate-accept';

const AGENT = 'A-S1';
const offers: Record<string, { frameworkId: string; agentId: string; resources: Resources }> = {
  o1: { frameworkId: 'F1', agentId: AGENT, resources: resources({ cpus: 2, mem: 1024 }, [{ begin: 31000, end: 31009 }]) },
  o2: { frameworkId: 'F1', agentId: AGENT, resources: resources({ cpus: 1, mem: 512 }, [{ begin: 31010, end: 31010 }]) },
  other: { frameworkId: 'F1', agentId: 'A-S2', resources: resources({ cpus: 1 }) },
  foreign: { frameworkId: 'F2', agentId: AGENT, resources: resources({ cpus: 1 }) },
};

function ctx(over: Partial<AcceptContext> = {}): AcceptContext {
  return {
    framework: { connected: true, hasActiveTask: (id) => id === 'running' },
    offer: (id) => offers[id],
    ...over,
  };
}

function task(id: string, over: Partial<TaskInfo> = {}): TaskInfo {
  return {
    taskId: id,
    name: id,
    agentId: AGENT,
    resources: resources({ cpus: 0.5, mem: 128 }, [{ begin: 31000, end: 31000 }]),
    command: { value: 'sleep 1', shell: true, environment: {}, uris: [] },
    labels: {},
    ...over,
  };
}

function req(tasks: TaskInfo[], offerIds = ['o1']): AcceptInput {
  return { frameworkId: 'F1', offerIds, operations: tasks.length ? [{ type: 'LAUNCH', tasks }] : [] };
}

describe('validateAccept', () => {
  const rejects: Array<[string, AcceptInput, Partial<AcceptContext>, string, RegExp?]> = [
    ['unknown framework', req([task('t')]), { framework: undefined }, 'UNKNOWN_FRAMEWORK'],
    ['disconnected framework', req([task('t')]), { framework: { connected: false, hasActiveTask: () => false } }, 'UNKNOWN_FRAMEWORK'],
    ['unknown offer', req([task('t')], ['nope']), {}, 'UNKNOWN_OFFER'],
    ["another framework's offer", req([task('t')], ['foreign']), {}, 'UNKNOWN_OFFER'],
    ['offers from two agents', req([task('t')], ['o1', 'other']), {}, 'INVALID_OPERATION'],
    ['offer listed twice', req([task('t')], ['o1', 'o1']), {}, 'INVALID_OPERATION'],
    ['task for another agent', req([task('t', { agentId: 'A-S2' })]), {}, 'INVALID_TASK', /names agent A-S2/],
    ['no command nor image', req([task('t', { command: undefined })]), {}, 'INVALID_TASK'],
    ['blank command', req([task('t', { command: { value: '  ', shell: true, environment: {}, uris: [] } })]), {}, 'INVALID_TASK'],
    ['DOCKER without image', req([task('t', { container: { type: 'DOCKER', volumes: [] } })]), {}, 'INVALID_TASK'],
    ['task id ..', req([task('..')]), {}, 'INVALID_TASK'],
    ['duplicate task id', req([task('t'), task('t', { resources: resources({ cpus: 0.1 }) })]), {}, 'INVALID_TASK'],
    ['task already active', req([task('running')]), {}, 'TASK_EXISTS'],
    ['no resources', req([task('t', { resources: { scalars: {}, ports: [] } })]), {}, 'INVALID_TASK', /no resources/],
    ['inverted port range', req([task('t', { resources: { scalars: { cpus: 1 }, ports: [{ begin: 31005, end: 31001 }] } })]), {}, 'INVALID_TASK'],
    ['too many cpus', req([task('t', { resources: resources({ cpus: 2.5 }) })]), {}, 'INSUFFICIENT_RESOURCES', /cpus: the tasks ask for 2.5, the offers hold 2/],
    ['a resource not offered', req([task('t', { resources: resources({ gpus: 1 }) })]), {}, 'INSUFFICIENT_RESOURCES', /gpus/],
    ['port not offered', req([task('t', { resources: resources({ cpus: 1 }, [{ begin: 32000, end: 32000 }]) })]), {}, 'INSUFFICIENT_RESOURCES', /ports.*32000/],
    ['two tasks, same port', req([task('a'), task('b')]), {}, 'INSUFFICIENT_RESOURCES', /another task/],
    [
      'sum over tasks too big',
      req([task('a', { resources: resources({ cpus: 1.5 }) }), task('b', { resources: resources({ cpus: 1 }) })]),
      {},
      'INSUFFICIENT_RESOURCES',
    ],
  ];
  for (const [name, r, c, code, msg] of rejects) {
    test(`rejects: ${name} → ${code}`, () => {
      const out = validateAccept(r, ctx(c));
      assert.equal(out.ok, false);
      if (!out.ok) {
        assert.equal(out.code, code, out.message);
        if (msg) assert.match(out.message, msg);
      }
    });
  }

  test('accepts tasks across two offers of one agent and computes the remainder', () => {
    const out = validateAccept(
      req([task('a', { resources: resources({ cpus: 2, mem: 100 }, [{ begin: 31010, end: 31010 }]) }), task('b', { resources: resources({ cpus: 1 }, [{ begin: 31000, end: 31001 }]) })], ['o1', 'o2']),
      ctx(),
    );
    assert.ok(out.ok);
    if (!out.ok) return;
    assert.equal(out.plan.agentId, AGENT);
    assert.deepEqual(out.plan.tasks.map((t) => t.taskId), ['a', 'b']);
    assert.deepEqual(out.plan.used, resources({ cpus: 3, mem: 100 }, [{ begin: 31000, end: 31001 }, { begin: 31010, end: 31010 }]));
    assert.deepEqual(out.plan.remainder, resources({ mem: 1436 }, [{ begin: 31002, end: 31009 }]));
  });

  test('a docker image is enough without a command', () => {
    const out = validateAccept(req([task('d', { command: undefined, container: { type: 'DOCKER', volumes: [], docker: { image: 'busybox', network: 'HOST', forcePullImage: false, privileged: false, parameters: [], portMappings: [] } } })]), ctx());
    assert.ok(out.ok);
  });

  test('no operations is a decline: valid, nothing to launch, everything remains', () => {
    const out = validateAccept(req([]), ctx());
    assert.ok(out.ok);
    if (out.ok) {
      assert.equal(out.plan.tasks.length, 0);
      assert.deepEqual(out.plan.remainder, offers.o1?.resources);
    }
  });

  test('property: a valid plan uses exactly what it launches and used + remainder = offered', () => {
    const arbTask = fc.record({ cpus: fc.integer({ min: 0, max: 30 }).map((n) => n / 10), mem: fc.integer({ min: 0, max: 600 }), port: fc.option(fc.integer({ min: 31000, max: 31012 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(arbTask, { maxLength: 5 }), (specs) => {
        const tasks = specs.map((s, i) => task(`t${i}`, { resources: resources({ cpus: s.cpus, mem: s.mem + 1 }, s.port === undefined ? [] : [{ begin: s.port, end: s.port }]) }));
        const out = validateAccept(req(tasks, ['o1', 'o2']), ctx());
        const offered = add(offers.o1!.resources, offers.o2!.resources);
        if (!out.ok) {
          assert.ok(['INSUFFICIENT_RESOURCES'].includes(out.code), out.message);
          return;
        }
        assert.deepEqual(add(out.plan.used, out.plan.remainder), offered);
        assert.deepEqual(out.plan.used, tasks.reduce((acc, t) => add(acc, t.resources), resources({})));
      }),
      { numRuns: 300 },
    );
  });
});
