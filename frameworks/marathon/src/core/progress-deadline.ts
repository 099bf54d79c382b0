import type { AppDefinition } from './app-definition';
import type { InstanceView } from './instance-view';

/**
 * Agora's answer to marathon#517 (a deployment that never becomes healthy runs forever): an optional
 * progress deadline per app, in `upgradeStrategy`:
 * - `progressDeadlineSeconds`: the deployment fails when none of its current apps made progress for
 *   this long (progress = a new task became healthy and ready, an old task went away, a step finished);
 * - `rollbackOnDeadline` (default true when a deadline is set): on failure, roll back to the versions
 *   before the deployment (as DELETE /v2/deployments/{id} does); false just stops the deployment where
 *   it is (as `?force=true`).
 * Marathon clients ignore the two fields; Marathon itself would reject them as unknown.
 */

export interface DeadlinePolicy {
  seconds: number;
  rollback: boolean;
  /** The app whose deadline is the tightest. */
  app: string;
}

/** The tightest deadline among the apps of the running step (undefined: no deadline). */
export function deadlinePolicy(apps: readonly AppDefinition[]): DeadlinePolicy | undefined {
  let best: DeadlinePolicy | undefined;
  for (const a of apps) {
    const s = a.upgradeStrategy.progressDeadlineSeconds;
    if (s === undefined) continue;
    if (!best || s < best.seconds) best = { seconds: s, rollback: a.upgradeStrategy.rollbackOnDeadline ?? true, app: a.id };
  }
  return best;
}

/** Counters whose improvement is progress. */
export interface ProgressMark {
  stepIndex: number;
  /** Tasks of the target config that are healthy and ready, over the step's apps. */
  readyNew: number;
  /** Tasks not of the target config (or beyond the target count) still alive. */
  remainingOld: number;
}

export function progressMark(stepIndex: number, tasks: readonly InstanceView[], targetConfigVersion: (taskId: string) => string | undefined): ProgressMark {
  let readyNew = 0;
  let remainingOld = 0;
  for (const t of tasks) {
    if (t.configVersion === targetConfigVersion(t.taskId)) {
      if (t.healthy && t.ready && t.state === 'running') readyNew++;
    } else remainingOld++;
  }
  return { stepIndex, readyNew, remainingOld };
}

export function madeProgress(before: ProgressMark, after: ProgressMark): boolean {
  return after.stepIndex > before.stepIndex || after.readyNew > before.readyNew || after.remainingOld < before.remainingOld;
}

export type DeadlineVerdict =
  | { kind: 'none' }
  | { kind: 'ok'; dueAt: number }
  | { kind: 'exceeded'; action: 'rollback' | 'fail'; app: string; stalledSeconds: number };

/** `lastProgressAt` and `now` in epoch ms. */
export function checkDeadline(policy: DeadlinePolicy | undefined, lastProgressAt: number, now: number): DeadlineVerdict {
  if (!policy) return { kind: 'none' };
  const dueAt = lastProgressAt + policy.seconds * 1000;
  if (now < dueAt) return { kind: 'ok', dueAt };
  return { kind: 'exceeded', action: policy.rollback ? 'rollback' : 'fail', app: policy.app, stalledSeconds: Math.floor((now - lastProgressAt) / 1000) };
}
