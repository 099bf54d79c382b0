import type { Offer, TaskStatus } from '@agora/contracts';
import { SchedulerDriver, pack, type LaunchTask, type ResourceAsk } from '@agora/framework-sdk';
import { createLogger } from '@agora/logging';
import { isTerminal } from '@agora/model';
import type { Bus } from '@agora/nats';

export interface FleetTask {
  taskId: string;
  name: string;
  agentId?: string;
  runningAt?: number;
  endedAt?: number;
  state?: TaskStatus['state'];
}

/**
 * A framework for DNS benchmarks: launches `sleep` tasks with one port each into whatever offers come
 * (packing many per offer), and records when each task's TASK_RUNNING and terminal update arrived
 * (`performance.now()`), which is what DNS freshness is measured against.
 */
export class TaskFleet {
  readonly tasks = new Map<string, FleetTask>();
  private readonly pending: LaunchTask[] = [];
  private readonly driver: SchedulerDriver;
  private readonly ask: ResourceAsk = { scalars: { cpus: 0.01, mem: 4 }, portCount: 1 };

  constructor(bus: Bus, readonly frameworkName: string) {
    this.driver = new SchedulerDriver(
      { bus, info: { name: frameworkName, failoverTimeoutSeconds: 0 }, log: createLogger('task-fleet', 'warn') },
      {
        offers: (offers) => this.onOffers(offers),
        update: (s) => this.onUpdate(s),
        error: (m) => console.error(`framework error: ${m}`),
      },
    );
  }

  async start(): Promise<void> {
    await this.driver.start();
  }

  /** Queues tasks `name-i` (ids `name-i.k`); they launch as offers arrive. */
  add(names: string[]): void {
    for (const name of names) {
      const taskId = `${name}.${this.tasks.size}`;
      this.tasks.set(taskId, { taskId, name });
      this.pending.push({
        taskId,
        name,
        resources: { scalars: { ...this.ask.scalars }, ports: [] },
        command: { value: 'sleep 3600', shell: true },
      });
    }
    void this.driver.revive().catch(() => undefined);
  }

  async kill(taskId: string): Promise<void> {
    await this.driver.kill(taskId);
  }

  running(): FleetTask[] {
    return [...this.tasks.values()].filter((t) => t.state === 'TASK_RUNNING');
  }

  private async onOffers(offers: Offer[]): Promise<void> {
    for (const offer of offers) {
      if (this.pending.length === 0) {
        await this.driver.decline([offer.id], { refuseSeconds: 1 });
        continue;
      }
      const { placed } = pack(this.pending.map(() => this.ask), offer.resources);
      if (placed.length === 0) {
        await this.driver.decline([offer.id], { refuseSeconds: 1 });
        continue;
      }
      const chosen = new Map(placed.map((p) => [p.index, p.claim]));
      const launch: LaunchTask[] = [];
      const rest: LaunchTask[] = [];
      this.pending.forEach((t, i) => {
        const claim = chosen.get(i);
        if (claim) launch.push({ ...t, resources: claim.resources });
        else rest.push(t);
      });
      this.pending.length = 0;
      this.pending.push(...rest);
      for (const t of launch) {
        const ft = this.tasks.get(t.taskId);
        if (ft) ft.agentId = offer.agentId;
      }
      await this.driver.launch([offer], launch, { refuseSeconds: 0 });
    }
  }

  private onUpdate(s: TaskStatus): void {
    const t = this.tasks.get(s.taskId);
    if (!t) return;
    if (s.state === 'TASK_RUNNING' && t.runningAt === undefined) t.runningAt = performance.now();
    if (isTerminal(s.state) && t.endedAt === undefined) t.endedAt = performance.now();
    t.state = s.state;
  }

  async stop(): Promise<void> {
    await this.driver.teardown().catch(() => this.driver.stop());
  }
}
