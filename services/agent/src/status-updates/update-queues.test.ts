import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TaskState } from '@agora/model';
import { UpdateQueues, type PendingUpdate } from './update-queues';

let n = 0;
const upd = (taskId: string, state: TaskState = 'TASK_RUNNING', fw = 'fw'): PendingUpdate => ({
  frameworkId: fw,
  status: { taskId, frameworkId: fw, state, source: 'SOURCE_EXECUTOR', uuid: `u${++n}`, timestamp: 0 },
});

describe('UpdateQueues', () => {
  test('only the head of a task is in flight; its ack releases the next', () => {
    const q = new UpdateQueues();
    const a1 = upd('a');
    const a2 = upd('a', 'TASK_FINISHED');
    const b1 = upd('b');
    assert.equal(q.enqueue(a1), true);
    assert.equal(q.enqueue(a2), false);
    assert.equal(q.enqueue(b1), true);
    assert.deepEqual(q.heads().map((u) => u.status.uuid).sort(), [a1.status.uuid, b1.status.uuid].sort());
    assert.deepEqual(q.ack('fw', 'a', a2.status.uuid), {}, 'an ack for a non-head does nothing');
    assert.deepEqual(q.ack('fw', 'a', a1.status.uuid), { acked: a1, next: a2 });
    assert.deepEqual(q.ack('fw', 'a', a1.status.uuid), {}, 'a duplicate ack does nothing');
    assert.deepEqual(q.ack('fw', 'a', a2.status.uuid), { acked: a2, next: undefined });
    assert.equal(q.pending('fw', 'a').length, 0);
    assert.equal(q.size, 1);
  });

  test('the same task id in two frameworks are two queues', () => {
    const q = new UpdateQueues();
    assert.equal(q.enqueue(upd('t', 'TASK_RUNNING', 'f1')), true);
    assert.equal(q.enqueue(upd('t', 'TASK_RUNNING', 'f2')), true);
    assert.equal(q.taskCount, 2);
  });

  test('restore keeps order and drops duplicate uuids', () => {
    const q = new UpdateQueues();
    const a1 = upd('a');
    const a2 = upd('a', 'TASK_KILLED');
    q.restore([a1, a2, a1]);
    assert.deepEqual(q.pending('fw', 'a'), [a1, a2]);
  });

  test('property: acking heads in any interleaving delivers every task’s updates in order, once', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 200 }), (tasks, picks) => {
        const q = new UpdateQueues();
        const sent = new Map<string, string[]>();
        for (const t of tasks) {
          const u = upd(t);
          q.enqueue(u);
          sent.set(t, [...(sent.get(t) ?? []), u.status.uuid]);
        }
        const delivered = new Map<string, string[]>();
        let i = 0;
        while (q.size > 0) {
          const heads = q.heads();
          const h = heads[(picks[i++] ?? 0) % heads.length]!;
          const r = q.ack(h.frameworkId, h.status.taskId, h.status.uuid);
          assert.ok(r.acked);
          delivered.set(h.status.taskId, [...(delivered.get(h.status.taskId) ?? []), h.status.uuid]);
        }
        assert.deepEqual(delivered, sent);
      }),
    );
  });
});
