import { Injectable } from '../nest';
import type { MessageOf, TaskHealth } from '@agora/contracts';
import { MasterState } from '../registry/master-state';
import { TaskUpdater } from '../registry/task-updater';

type Msg = MessageOf<typeof TaskHealth>;

/**
 * Health results from frameworks that run their tasks' checks themselves (Marathon). Idempotent: a report
 * that matches what the master has changes nothing and publishes nothing, so frameworks may repeat them.
 * Reports about tasks the master does not know, that have ended, or that do not run are dropped: health
 * only means something for a running task, and the next status of a task that is not running replaces it.
 */
@Injectable()
export class TaskHealthHandler {
  constructor(
    private readonly state: MasterState,
    private readonly tasks: TaskUpdater,
  ) {}

  /** Returns how many tasks changed health (tests, metrics). */
  handle(msg: Msg, now = Date.now()): number {
    const fw = this.state.frameworks.get(msg.frameworkId);
    if (!fw) return 0;
    let changed = 0;
    for (const u of msg.updates) {
      const task = fw.tasks.get(u.taskId);
      if (!task || task.state !== 'TASK_RUNNING') continue;
      if (this.tasks.applyHealth(fw, task, u.healthy, u.message, now)) changed++;
    }
    return changed;
  }
}
