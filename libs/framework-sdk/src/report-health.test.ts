import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameworkEvents, Subscribe, TaskHealth, type MessageOf } from '@agora/contracts';
import type { Bus } from '@agora/nats';
import { createLogger } from '@agora/logging';
import { SchedulerDriver } from './scheduler-driver';

type Health = MessageOf<typeof TaskHealth>;

/**
 * reportHealth() against a Bus stand-in that answers Subscribe and records what is published (the
 * master side and the real bus are exercised by test/dns-marathon.e2e.test.ts).
 */
function fakeBus() {
  const published: Health[] = [];
  const listeners = new Map<string, (m: unknown, raw: { subject: string; data: Uint8Array }) => void>();
  let subscribes = 0;
  const master = { id: 'm', hostname: 'h', ip: '127.0.0.1', port: 5050, url: 'http://127.0.0.1:5050', version: '0', epoch: 1 };
  const bus = {
    on: (_def: unknown, subject: string, handler: (m: unknown, raw: { subject: string; data: Uint8Array }) => void) => {
      listeners.set(subject, handler);
      return { unsubscribe: () => listeners.delete(subject) };
    },
    flush: async () => undefined,
    request: async (def: { name: string }) => {
      if (def.name === Subscribe.name) {
        subscribes++;
        return { frameworkId: 'F1', heartbeatIntervalSeconds: 3600, master };
      }
      return {};
    },
    publish: (def: { name: string }, _args: unknown[], msg: unknown) => {
      if (def.name === TaskHealth.name) published.push(TaskHealth.message.parse(msg));
    },
  } as unknown as Bus;
  const deliver = (events: unknown[]) => {
    const subject = FrameworkEvents.subject('F1');
    listeners.get(subject)?.({ events }, { subject, data: new TextEncoder().encode(JSON.stringify({ events })) });
  };
  return { bus, published, deliver, subscribes: () => subscribes };
}

const tick = () => new Promise((r) => setTimeout(r, 20));
const log = createLogger('sdk-health-test', 'silent');

describe('SchedulerDriver.reportHealth', () => {
  test('reports of one tick travel as one TaskHealth message; nothing is sent before subscribing', async (t) => {
    const f = fakeBus();
    const d = new SchedulerDriver({ bus: f.bus, info: { name: 'fw' }, log, healthRefreshSeconds: 0 });
    t.after(() => d.stop());
    d.reportHealth('early', true);
    await tick();
    assert.equal(f.published.length, 0, 'no framework id yet');
    await d.start();
    await tick();
    assert.deepEqual(f.published, [{ frameworkId: 'F1', updates: [{ taskId: 'early', healthy: true }] }], 'sent once subscribed');
    f.published.length = 0;
    d.reportHealth('a', true);
    d.reportHealth('b', false, 'x'.repeat(5000));
    await tick();
    assert.equal(f.published.length, 1);
    assert.deepEqual(f.published[0]?.updates.map((u) => [u.taskId, u.healthy, u.message?.length]), [['a', true, undefined], ['b', false, 1024]]);
    await d.stop();
  });

  test('standing reports are re-sent periodically; a terminal update forgets the task', async (t) => {
    const f = fakeBus();
    const d = new SchedulerDriver({ bus: f.bus, info: { name: 'fw' }, frameworkId: 'F1', log, healthRefreshSeconds: 0.05 });
    t.after(() => d.stop());
    await d.start();
    d.reportHealth('a', true);
    d.reportHealth('b', false, 'HTTP 503');
    await tick();
    f.published.length = 0;
    await new Promise((r) => setTimeout(r, 80));
    const resent = f.published.flatMap((m) => m.updates);
    assert.ok(resent.some((u) => u.taskId === 'a' && u.healthy) && resent.some((u) => u.taskId === 'b' && u.message === 'HTTP 503'), JSON.stringify(resent));

    f.deliver([{ type: 'UPDATE', status: { taskId: 'b', frameworkId: 'F1', state: 'TASK_KILLED', source: 'SOURCE_AGENT', timestamp: 1 } }]);
    await d.idle();
    await tick(); // a refresh batched just before the update may still go out
    f.published.length = 0;
    await new Promise((r) => setTimeout(r, 80));
    const after = new Set(f.published.flatMap((m) => m.updates.map((u) => u.taskId)));
    assert.deepEqual([...after], ['a'], 'b ended: no longer reported');
    d.forgetHealth('a');
    await d.stop();
    f.published.length = 0;
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(f.published.length, 0, 'nothing after stop()');
  });
});
