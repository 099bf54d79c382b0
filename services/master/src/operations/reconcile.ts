import { Injectable } from '../nest';
import { Reconcile } from '@agora/contracts';
import type { ParsedRequestOf } from '@agora/contracts';
import { MasterState } from '../registry/master-state';
import type { TaskEntry } from '../registry/types';
import { TaskUpdater } from '../registry/task-updater';
import { FrameworkHealth } from '../frameworks/framework-health';
import { KnownTask, reconcileAnswers } from './reconcile-answers';

/** Reconcile: answers go to the framework as UPDATE events (see reconcile-answers.ts for the rules). */
@Injectable()
export class ReconcileHandler {
  constructor(
    private readonly state: MasterState,
    private readonly frameworks: FrameworkHealth,
    private readonly tasks: TaskUpdater,
  ) {}

  handle(req: ParsedRequestOf<typeof Reconcile>): Record<string, never> {
    const fw = this.frameworks.require(req.frameworkId);
    const known = (t: TaskEntry): KnownTask => {
      const k: KnownTask = { taskId: t.info.taskId, agentId: t.agentId, state: t.state };
      const latest = t.statuses[t.statuses.length - 1];
      if (latest) k.latest = latest;
      return k;
    };
    const active = new Map([...fw.tasks.values()].map((t) => [t.info.taskId, known(t)]));
    const completed = new Map(fw.completed.map((t) => [t.info.taskId, known(t)]));
    const answers = reconcileAnswers(req.tasks, {
      frameworkId: fw.id,
      active,
      completed,
      recoveredAgentIds: new Set(this.state.recoveredAgents.keys()),
      nowSeconds: Date.now() / 1000,
    });
    for (const s of answers) this.tasks.forward(s);
    return {};
  }
}
