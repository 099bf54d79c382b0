/**
 * GET /job/stat/{name}: Chronos answers a histogram of the job's run times (seconds) and its recent
 * task history. Here both come from the kept run records (history limits apply).
 */
import type { RunRecord } from './run-record';

export interface RunTimeHistogram {
  count: number;
  mean: number;
  median: number;
  '75thPercentile': number;
  '95thPercentile': number;
  '98thPercentile': number;
  '99thPercentile': number;
}

export interface TaskStat {
  taskId: string;
  runKey: string;
  jobName: string;
  status: string;
  slaveId?: string;
  host?: string;
  taskStart?: string;
  taskEnd?: string;
  /** Seconds. */
  elapsed?: number;
  exitCode?: number;
  attempt: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Duration in seconds of a finished run's last attempt, when it started and ended. */
export function runSeconds(run: Pick<RunRecord, 'startedAt' | 'endedAt'>): number | undefined {
  if (run.startedAt === undefined || run.endedAt === undefined) return undefined;
  const ms = Date.parse(run.endedAt) - Date.parse(run.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : undefined;
}

export function runTimeHistogram(runs: readonly RunRecord[]): RunTimeHistogram {
  const secs = runs
    .filter((r) => r.status === 'succeeded')
    .map(runSeconds)
    .filter((s): s is number => s !== undefined)
    .sort((a, b) => a - b);
  const mean = secs.length ? secs.reduce((a, b) => a + b, 0) / secs.length : 0;
  return {
    count: secs.length,
    mean: round3(mean),
    median: round3(percentile(secs, 50)),
    '75thPercentile': round3(percentile(secs, 75)),
    '95thPercentile': round3(percentile(secs, 95)),
    '98thPercentile': round3(percentile(secs, 98)),
    '99thPercentile': round3(percentile(secs, 99)),
  };
}

/** Newest first: by scheduled time, then run key. */
export function newestFirst(runs: readonly RunRecord[]): RunRecord[] {
  return [...runs].sort((a, b) => (a.scheduledTime < b.scheduledTime ? 1 : a.scheduledTime > b.scheduledTime ? -1 : b.runKey.localeCompare(a.runKey)));
}

export function taskStatHistory(runs: readonly RunRecord[], limit = 20): TaskStat[] {
  const out: TaskStat[] = [];
  for (const r of newestFirst(runs)) {
    for (const a of [...r.attempts].reverse()) {
      if (out.length >= limit) return out;
      const elapsed = runSeconds(a);
      out.push({
        taskId: a.taskId,
        runKey: r.runKey,
        jobName: r.job,
        status: a.taskState ?? (a.taskId === r.taskId ? r.status : 'failed'),
        ...(a.agentId !== undefined ? { slaveId: a.agentId } : {}),
        ...(a.host !== undefined ? { host: a.host } : {}),
        ...(a.startedAt !== undefined ? { taskStart: a.startedAt } : {}),
        ...(a.endedAt !== undefined ? { taskEnd: a.endedAt } : {}),
        ...(elapsed !== undefined ? { elapsed: round3(elapsed) } : {}),
        ...(a.exitCode !== undefined ? { exitCode: a.exitCode } : {}),
        attempt: a.attempt,
      });
    }
  }
  return out;
}
