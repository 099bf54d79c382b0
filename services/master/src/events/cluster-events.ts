import { Injectable } from '../nest';
import { AgentEvent, FrameworkLifecycleEvent, LeaderEvent, MasterInfo, TaskEvent, TaskStatus, AgentInfo, AgentView } from '@agora/contracts';
import { Bus } from '@agora/nats';
import { MasterState } from '../registry/master-state';
import type { FrameworkEntry, TaskEntry } from '../registry/types';
import { toFrameworkSummary, toTaskView } from '../registry/views';

export type AgentEventType = 'ADDED' | 'REREGISTERED' | 'UNREACHABLE' | 'REMOVED';
export type FrameworkEventType = 'ADDED' | 'UPDATED' | 'DISCONNECTED' | 'REMOVED';

/**
 * The `agora.events.*` fan-out. Task, agent and framework events share one sequence per epoch, so a
 * consumer that sees a gap (or a new epoch) knows it missed something and re-reads the state.
 */
@Injectable()
export class ClusterEvents {
  private seq = 0;

  constructor(
    private readonly bus: Bus,
    private readonly state: MasterState,
  ) {}

  /** Sequence of the last event published in this epoch (0: none yet). */
  get sequence(): number {
    return this.seq;
  }

  /** A new epoch starts counting from zero. */
  begin(): void {
    this.seq = 0;
  }

  private next(): { epoch: number; sequence: number } | undefined {
    if (!this.state.leading) return undefined;
    this.seq++;
    return { epoch: this.state.epoch, sequence: this.seq };
  }

  task(task: TaskEntry, status: TaskStatus, agent?: AgentInfo): void {
    const s = this.next();
    if (!s) return;
    const msg = { ...s, task: toTaskView(task), status, ...(agent ? { agent } : {}) };
    this.bus.publish(TaskEvent, [], msg);
  }

  agent(type: AgentEventType, agent: AgentView): void {
    const s = this.next();
    if (!s) return;
    this.bus.publish(AgentEvent, [], { ...s, type, agent });
  }

  framework(type: FrameworkEventType, fw: FrameworkEntry): void {
    const s = this.next();
    if (!s) return;
    this.bus.publish(FrameworkLifecycleEvent, [], { ...s, type, framework: toFrameworkSummary(fw) });
  }

  leader(leader: MasterInfo): void {
    this.bus.publish(LeaderEvent, [], { leader, epoch: leader.epoch ?? this.state.epoch });
  }
}
