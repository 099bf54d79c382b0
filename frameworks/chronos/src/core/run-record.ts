/**
 * Runs: one record per scheduled (or triggered) time of a job, holding every attempt at it. Records
 * are what makes "never twice, never lost" checkable: each is stored under its run key, created once.
 * Also the job statistics Chronos shows (successCount, errorCount, lastSuccess, lastError).
 */
import type { TaskState } from '@agora/model';
import { runKeyFor, taskIdFor, type RunTrigger } from './task-naming';

export type RunStatus =
  /** decided; the task waits for an offer */
  | 'pending'
  | 'staging'
  | 'running'
  /** an attempt failed; the next one starts at retryAt */
  | 'retrying'
  | 'succeeded'
  | 'failed'
  /** stopped on purpose (task/kill, or replaced by a newer run under concurrencyPolicy Replace) */
  | 'killed'
  /** the time passed without a leader and the starting deadline ran out */
  | 'missed'
  /** not started because of the concurrency policy (or superseded by a later time in the same catch-up) */
  | 'skipped';

export const ACTIVE_STATUSES: ReadonlySet<RunStatus> = new Set<RunStatus>(['pending', 'staging', 'running', 'retrying']);

export type KillReason = 'timeout' | 'replaced' | 'user';

/** Where an attempt's task ran: enough to read its sandbox through the agent's files API. */
export interface TaskLocation {
  /** The agent's hostname (as offered). */
  host?: string;
  /** Base URL of the agent's HTTP API (files API: `<agentUrl>/files/read?path=<sandbox>/stdout`). */
  agentUrl?: string;
  /** Absolute sandbox path on the agent. */
  sandbox?: string;
}

export interface AttemptRecord extends TaskLocation {
  attempt: number;
  taskId: string;
  agentId?: string;
  startedAt?: string;
  endedAt?: string;
  exitCode?: number;
  taskState?: TaskState;
  message?: string;
}

export interface RunRecord extends TaskLocation {
  runKey: string;
  job: string;
  trigger: RunTrigger;
  /** The time the run was due (for 'dependency': when its last parent succeeded). */
  scheduledTime: string;
  /** When the decision was taken. */
  createdAt: string;
  status: RunStatus;
  /** Why it is missed/skipped/killed/failed, in words. */
  reason?: string;
  /** The current (or last) attempt, from 1. */
  attempt: number;
  attempts: AttemptRecord[];
  // The current attempt's facts, repeated at top level for the API (start, end, exit code, agent, task id).
  taskId?: string;
  agentId?: string;
  startedAt?: string;
  endedAt?: string;
  exitCode?: number;
  /** How late the first attempt was decided, in ms after scheduledTime. */
  lateMs?: number;
  retryAt?: string;
  killRequestedAt?: string;
  killReason?: KillReason;
  /** Extra arguments of a "run now" (Chronos' ?arguments=). */
  arguments?: string[];
}

export function isActive(run: Pick<RunRecord, 'status'>): boolean {
  return ACTIVE_STATUSES.has(run.status);
}

export function isSuccessful(run: Pick<RunRecord, 'status'>): boolean {
  return run.status === 'succeeded';
}

/** A new run about to start its first attempt (status pending). */
export function newRun(p: { job: string; trigger: RunTrigger; dueMs: number; now: Date; arguments?: string[] }): RunRecord {
  const taskId = taskIdFor(p.job, p.trigger, p.dueMs, 1);
  return {
    runKey: runKeyFor(p.job, p.trigger, p.dueMs),
    job: p.job,
    trigger: p.trigger,
    scheduledTime: new Date(p.dueMs).toISOString(),
    createdAt: p.now.toISOString(),
    status: 'pending',
    attempt: 1,
    attempts: [{ attempt: 1, taskId }],
    taskId,
    lateMs: Math.max(0, p.now.getTime() - p.dueMs),
    ...(p.arguments && p.arguments.length > 0 ? { arguments: p.arguments } : {}),
  };
}

/** A record for a time that did not run (missed or skipped). */
export function notRun(p: { job: string; trigger: RunTrigger; dueMs: number; now: Date; status: 'missed' | 'skipped'; reason: string }): RunRecord {
  return {
    runKey: runKeyFor(p.job, p.trigger, p.dueMs),
    job: p.job,
    trigger: p.trigger,
    scheduledTime: new Date(p.dueMs).toISOString(),
    createdAt: p.now.toISOString(),
    status: p.status,
    reason: p.reason,
    attempt: 0,
    attempts: [],
    endedAt: p.now.toISOString(),
  };
}

/** The run moves to its next attempt (after a retry delay): pending again, with a new task id. */
export function startNextAttempt(run: RunRecord): RunRecord {
  const attempt = run.attempt + 1;
  const taskId = taskIdFor(run.job, run.trigger, Date.parse(run.scheduledTime), attempt);
  const next: RunRecord = { ...run, status: 'pending', attempt, taskId, attempts: [...run.attempts, { attempt, taskId }] };
  // The previous attempt's facts stay in `attempts`; the top level describes the new one.
  for (const k of ['retryAt', 'agentId', 'startedAt', 'endedAt', 'exitCode', 'killRequestedAt', 'killReason', 'host', 'agentUrl', 'sandbox'] as const) delete next[k];
  return next;
}

/** The task of the current attempt was launched on an agent (`location`: where its sandbox is). */
export function recordLaunched(run: RunRecord, p: { taskId: string; agentId: string; at: Date; location?: TaskLocation }): RunRecord {
  if (p.taskId !== run.taskId || !isActive(run)) return run;
  const at = p.at.toISOString();
  const loc = definedLocation(p.location);
  return {
    ...run,
    ...loc,
    status: run.status === 'pending' ? 'staging' : run.status,
    agentId: p.agentId,
    startedAt: run.startedAt ?? at,
    attempts: run.attempts.map((a) => (a.taskId === p.taskId ? { ...a, ...loc, agentId: p.agentId, startedAt: a.startedAt ?? at } : a)),
  };
}

/**
 * Where an attempt's task went, recorded whatever the run's state: a short task may have ended (and its
 * run with it) before the launch was acknowledged, and its logs must still be reachable.
 */
export function recordLocation(run: RunRecord, p: { taskId: string; agentId: string; location?: TaskLocation }): RunRecord {
  if (!run.attempts.some((a) => a.taskId === p.taskId)) return run;
  const loc = definedLocation(p.location);
  const current = run.taskId === p.taskId;
  return {
    ...run,
    ...(current ? { ...loc, agentId: run.agentId ?? p.agentId } : {}),
    attempts: run.attempts.map((a) => (a.taskId === p.taskId ? { ...a, ...loc, agentId: a.agentId ?? p.agentId } : a)),
  };
}

function definedLocation(l: TaskLocation | undefined): TaskLocation {
  const out: TaskLocation = {};
  if (l?.host !== undefined) out.host = l.host;
  if (l?.agentUrl !== undefined) out.agentUrl = l.agentUrl;
  if (l?.sandbox !== undefined) out.sandbox = l.sandbox;
  return out;
}

/** A non-terminal status update (starting/running) for the current attempt. Stale task ids are ignored. */
export function recordRunning(run: RunRecord, p: { taskId: string; at: Date; agentId?: string }): RunRecord {
  if (p.taskId !== run.taskId || (run.status !== 'pending' && run.status !== 'staging' && run.status !== 'running')) return run;
  const at = p.at.toISOString();
  const agentId = p.agentId ?? run.agentId;
  return {
    ...run,
    status: 'running',
    ...(agentId !== undefined ? { agentId } : {}),
    startedAt: run.startedAt ?? at,
    attempts: run.attempts.map((a) => (a.taskId === p.taskId ? { ...a, ...(agentId !== undefined ? { agentId } : {}), startedAt: a.startedAt ?? at } : a)),
  };
}

/** A kill was sent (idempotent: the first reason wins). */
export function recordKillRequested(run: RunRecord, reason: KillReason, now: Date): RunRecord {
  return { ...run, killRequestedAt: now.toISOString(), killReason: run.killReason ?? reason };
}

// ---- history -------------------------------------------------------------------------------------

export interface HistoryLimits {
  successfulRunsHistoryLimit: number;
  failedRunsHistoryLimit: number;
}

/**
 * Which finished runs to drop: the newest `successfulRunsHistoryLimit` succeeded runs and the newest
 * `failedRunsHistoryLimit` others (failed, killed, missed, skipped) are kept; active runs always are.
 */
export function runsToDrop(runs: readonly RunRecord[], limits: HistoryLimits): string[] {
  const newestFirst = [...runs].filter((r) => !isActive(r)).sort((a, b) => (b.scheduledTime < a.scheduledTime ? -1 : b.scheduledTime > a.scheduledTime ? 1 : b.runKey.localeCompare(a.runKey)));
  let ok = 0;
  let bad = 0;
  const drop: string[] = [];
  for (const r of newestFirst) {
    if (isSuccessful(r)) {
      if (++ok > limits.successfulRunsHistoryLimit) drop.push(r.runKey);
    } else if (++bad > limits.failedRunsHistoryLimit) drop.push(r.runKey);
  }
  return drop;
}

// ---- statistics ----------------------------------------------------------------------------------

export interface JobStats {
  successCount: number;
  errorCount: number;
  /** ISO time or '' (Chronos shows empty strings). */
  lastSuccess: string;
  lastError: string;
  errorsSinceLastSuccess: number;
  /** Run keys already counted, newest last: makes counting idempotent under redelivered updates. */
  counted: string[];
}

const COUNTED_MEMORY = 50;

export function emptyStats(): JobStats {
  return { successCount: 0, errorCount: 0, lastSuccess: '', lastError: '', errorsSinceLastSuccess: 0, counted: [] };
}

/**
 * Counts a finished run once: succeeded → success; failed → error. Killed, missed and skipped runs
 * are not errors of the job (they are visible in the run history).
 */
export function countRun(stats: JobStats, run: RunRecord): JobStats {
  if ((run.status !== 'succeeded' && run.status !== 'failed') || stats.counted.includes(run.runKey)) return stats;
  const at = run.endedAt ?? run.createdAt;
  const counted = [...stats.counted, run.runKey].slice(-COUNTED_MEMORY);
  if (run.status === 'succeeded') return { ...stats, successCount: stats.successCount + 1, lastSuccess: later(stats.lastSuccess, at), errorsSinceLastSuccess: 0, counted };
  return { ...stats, errorCount: stats.errorCount + 1, lastError: later(stats.lastError, at), errorsSinceLastSuccess: stats.errorsSinceLastSuccess + 1, counted };
}

/** PUT /job/success/{name}: counts as a success now (Chronos), without a run. */
export function markSuccess(stats: JobStats, now: Date): JobStats {
  return { ...stats, successCount: stats.successCount + 1, lastSuccess: later(stats.lastSuccess, now.toISOString()), errorsSinceLastSuccess: 0 };
}

function later(a: string, b: string): string {
  return a === '' || b > a ? b : a;
}
