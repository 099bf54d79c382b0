/**
 * Names of runs and tasks. Both are derived from (job, trigger, due time[, attempt]) only, so whoever
 * decides a run — this leader or the next one, before or after a restart — derives the same name, and
 * writing the run record create-only makes a second start of the same run impossible.
 *
 * Run key: `<job>@<due ISO>` for scheduled runs, `<job>@manual-<ISO>` for "run now",
 * `<job>@dep-<ISO>` for runs triggered by parents (ISO = the due instant, UTC, milliseconds).
 * Task id, in Chronos' shape: `ct:<due ms>:<attempt>:<job>:<trigger>` where Chronos puts the run-now
 * arguments in the last segment; Agora puts '' (scheduled), 'manual' or 'dep' there (arguments travel
 * in the run record), which keeps task ids within [A-Za-z0-9_.-:].
 */
export type RunTrigger = 'schedule' | 'manual' | 'dependency';

const KEY_PREFIX: Readonly<Record<RunTrigger, string>> = { schedule: '', manual: 'manual-', dependency: 'dep-' };
const TASK_SUFFIX: Readonly<Record<RunTrigger, string>> = { schedule: '', manual: 'manual', dependency: 'dep' };

export function runKeyFor(job: string, trigger: RunTrigger, dueMs: number): string {
  return `${job}@${KEY_PREFIX[trigger]}${new Date(dueMs).toISOString()}`;
}

export interface ParsedRunKey {
  job: string;
  trigger: RunTrigger;
  dueMs: number;
}

export function parseRunKey(key: string): ParsedRunKey | null {
  const m = /^([\w.-]+)@(manual-|dep-)?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)$/.exec(key);
  if (!m) return null;
  const dueMs = Date.parse(m[3] ?? '');
  if (!Number.isFinite(dueMs)) return null;
  const trigger: RunTrigger = m[2] === 'manual-' ? 'manual' : m[2] === 'dep-' ? 'dependency' : 'schedule';
  return { job: m[1] ?? '', trigger, dueMs };
}

/** Attempts count from 1: attempt 1 is the first try, attempt retries + 1 the last. */
export function taskIdFor(job: string, trigger: RunTrigger, dueMs: number, attempt: number): string {
  return `ct:${dueMs}:${attempt}:${job}:${TASK_SUFFIX[trigger]}`;
}

export interface ParsedTaskId {
  job: string;
  dueMs: number;
  attempt: number;
  trigger: RunTrigger;
  runKey: string;
}

/** A status update's task id → job, attempt and run key; null for ids this framework did not make. */
export function parseTaskId(taskId: string): ParsedTaskId | null {
  const m = /^ct:(\d+):(\d+):([\w.-]+):(.*)$/.exec(taskId);
  if (!m) return null;
  const dueMs = Number(m[1]);
  const attempt = Number(m[2]);
  if (!Number.isSafeInteger(dueMs) || !Number.isSafeInteger(attempt)) return null;
  const trigger: RunTrigger = m[4] === 'manual' ? 'manual' : m[4] === 'dep' ? 'dependency' : 'schedule';
  const job = m[3] ?? '';
  return { job, dueMs, attempt, trigger, runKey: runKeyFor(job, trigger, dueMs) };
}
