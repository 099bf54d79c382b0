import type { Offer, TaskStatus, FrameworkInfoInput, TaskInfoInput } from '@agora/contracts';
import { SchedulerDriver, claim, type ResourceAsk } from '@agora/framework-sdk';
import type { Bus } from '@agora/nats';
import { createLogger } from '@agora/logging';
import { waitFor } from '@agora/launcher';

export interface TestTask {
  taskId: string;
  command: string;
  cpus?: number;
  mem?: number;
  ports?: number;
  env?: Record<string, string>;
  labels?: Record<string, string>;
  maxCompletionTimeSeconds?: number;
  /** E.g. `{type: 'DOCKER', docker: {image}}`; with a container an empty `command` means the image's own. */
  container?: TaskInfoInput['container'];
  /** The task's kill policy grace period. */
  gracePeriodSeconds?: number;
}

/**
 * A framework for end-to-end tests: a real SchedulerDriver that records every offer and update, and
 * launches tasks on the offer of a chosen agent. Nothing is faked: it speaks the same NATS protocol as
 * Marathon or Chronos do.
 */
export class TestFramework {
  readonly offers: Offer[] = [];
  readonly updates: TaskStatus[] = [];
  readonly failures: string[] = [];
  readonly driver: SchedulerDriver;
  private subscriptions = 0;

  constructor(bus: Bus, info: FrameworkInfoInput, frameworkId?: string) {
    this.driver = new SchedulerDriver(
      { bus, info, frameworkId, log: createLogger(`test-framework:${info.name}`, process.env.AGORA_LOG_LEVEL ?? 'warn') },
      {
        subscribed: () => void this.subscriptions++,
        offers: (o) => void this.offers.push(...o),
        rescind: (id) => {
          const i = this.offers.findIndex((o) => o.id === id);
          if (i >= 0) this.offers.splice(i, 1);
        },
        update: (s) => void this.updates.push(s),
        failure: (agentId) => void this.failures.push(agentId),
      },
    );
  }

  get subscribedCount(): number {
    return this.subscriptions;
  }

  async start(): Promise<string> {
    return (await this.driver.start()).frameworkId;
  }

  lastState(taskId: string): TaskStatus['state'] | undefined {
    return this.lastStatus(taskId)?.state;
  }

  lastStatus(taskId: string): TaskStatus | undefined {
    for (let i = this.updates.length - 1; i >= 0; i--) if (this.updates[i]?.taskId === taskId) return this.updates[i];
    return undefined;
  }

  async waitForState(taskId: string, states: TaskStatus['state'] | TaskStatus['state'][], timeoutMs = 20_000): Promise<TaskStatus> {
    const want = Array.isArray(states) ? states : [states];
    return waitFor(
      () => {
        const s = this.lastStatus(taskId);
        return s && want.includes(s.state) ? s : undefined;
      },
      { what: `${taskId} to reach ${want.join('|')} (last: ${this.lastState(taskId) ?? 'none'})`, timeoutMs },
    );
  }

  /** Waits for an offer (of `agentId` if given) that holds all the tasks, and launches them on it. */
  async launch(tasks: TestTask[], agentId?: string, timeoutMs = 20_000): Promise<Offer> {
    const offer = await waitFor(
      () => {
        const i = this.offers.findIndex((o) => (!agentId || o.agentId === agentId) && this.fitsAll(o, tasks));
        if (i < 0) return undefined;
        return this.offers.splice(i, 1)[0];
      },
      { what: `an offer${agentId ? ` from ${agentId}` : ''} for ${tasks.length} task(s)`, timeoutMs },
    );
    let left = offer.resources;
    const infos = tasks.map((t) => {
      const c = claim(ask(t), left);
      if (!c) throw new Error(`task ${t.taskId} does not fit`);
      left = c.remaining;
      return {
        taskId: t.taskId,
        name: t.taskId.split('.')[0] ?? t.taskId,
        resources: c.claim.resources,
        ...(t.command !== '' || !t.container ? { command: { value: t.command, environment: t.env ?? {} } } : {}),
        labels: t.labels ?? {},
        maxCompletionTimeSeconds: t.maxCompletionTimeSeconds,
        ...(t.container ? { container: t.container } : {}),
        ...(t.gracePeriodSeconds !== undefined ? { killPolicy: { gracePeriodSeconds: t.gracePeriodSeconds } } : {}),
      };
    });
    await this.driver.launch([offer], infos, { refuseSeconds: 0.1 });
    return offer;
  }

  private fitsAll(offer: Offer, tasks: TestTask[]): boolean {
    let left = offer.resources;
    for (const t of tasks) {
      const c = claim(ask(t), left);
      if (!c) return false;
      left = c.remaining;
    }
    return true;
  }

  async stop(teardown = true): Promise<void> {
    if (this.driver.isStopped) return;
    if (teardown && this.driver.frameworkId) await this.driver.teardown().catch(() => this.driver.stop());
    else await this.driver.stop();
  }
}

function ask(t: TestTask): ResourceAsk {
  return { scalars: { cpus: t.cpus ?? 0.1, mem: t.mem ?? 32 }, portCount: t.ports ?? 0 };
}
