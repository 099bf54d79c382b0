import { Injectable } from './nest';
import type { TaskState } from '@agora/model';

/** Counters of this master process (Mesos-style names are produced by api/render-metrics.ts). */
@Injectable()
export class Metrics {
  allocationRuns = 0;
  allocationRunMsLast = 0;
  allocationRunMsTotal = 0;
  offersSent = 0;
  offersDeclined = 0;
  offersRescinded = 0;
  offersAccepted = 0;
  tasksLaunched = 0;
  statusUpdatesReceived = 0;
  statusUpdatesForwarded = 0;
  /** Transitions into each terminal state (Mesos counts them as counters, not gauges). */
  terminal: Partial<Record<TaskState, number>> = {};
  invalidAccepts = 0;
  agentsRemoved = 0;
  frameworksTornDown = 0;

  countTerminal(state: TaskState): void {
    this.terminal[state] = (this.terminal[state] ?? 0) + 1;
  }
}
