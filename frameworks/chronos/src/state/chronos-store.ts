import type { ConsulClient } from '@agora/consul';
import type { Logger } from '@agora/logging';
import { validateJob, type DependencyState, type Job, type JobStats, type RunRecord, type ScheduleState } from '../core';
import { chronosKeys, classifyKey } from './kv-layout';
import type { KvWriter } from './kv-writer';

/** Everything Chronos keeps, as loaded by a new leader. */
export interface StoredState {
  frameworkId?: string;
  jobs: Map<string, Job>;
  schedules: Map<string, ScheduleState>;
  deps: Map<string, DependencyState>;
  stats: Map<string, JobStats>;
  runs: RunRecord[];
}

/**
 * Typed access to Chronos' keys (kv-layout.ts). Reads go straight to Consul (once, at election); writes
 * go through the leader's fenced, batched KvWriter.
 */
export class ChronosStore {
  constructor(private readonly writer: KvWriter) {}

  /** One recursive list of agora/chronos/; unreadable entries are logged and skipped. */
  static async load(consul: ConsulClient, log: Logger): Promise<StoredState> {
    const entries = await consul.list(chronosKeys.root);
    const out: StoredState = { jobs: new Map(), schedules: new Map(), deps: new Map(), stats: new Map(), runs: [] };
    for (const e of entries) {
      const k = classifyKey(e.key);
      if (k.kind === 'other' || e.value === null) continue;
      if (k.kind === 'framework-id') {
        if (e.value.trim()) out.frameworkId = e.value.trim();
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(e.value);
      } catch {
        log.warn({ key: e.key }, 'skipping a stored value that is not JSON');
        continue;
      }
      if (k.kind === 'job') {
        // Stored jobs are normalised Jobs, which validate back to themselves; this guards against old shapes.
        const v = validateJob(value, { now: new Date() });
        if (v.ok && v.job.name === k.name) out.jobs.set(k.name, v.job);
        else log.warn({ key: e.key, errors: v.ok ? 'name mismatch' : v.errors }, 'skipping a stored job that does not validate');
      } else if (k.kind === 'schedule') out.schedules.set(k.name, value as ScheduleState);
      else if (k.kind === 'deps') out.deps.set(k.name, value as DependencyState);
      else if (k.kind === 'stats') out.stats.set(k.name, value as JobStats);
      else if (k.kind === 'run') out.runs.push(value as RunRecord);
    }
    return out;
  }

  putFrameworkId(id: string): Promise<void> {
    return this.writer.set(chronosKeys.frameworkId(), id);
  }

  clearFrameworkId(): Promise<void> {
    return this.writer.delete(chronosKeys.frameworkId());
  }

  putJob(job: Job): Promise<void> {
    return this.writer.set(chronosKeys.job(job.name), JSON.stringify(job));
  }

  putSchedule(s: ScheduleState): Promise<void> {
    return this.writer.set(chronosKeys.schedule(s.job), JSON.stringify(s));
  }

  deleteSchedule(name: string): Promise<void> {
    return this.writer.delete(chronosKeys.schedule(name));
  }

  putDeps(s: DependencyState): Promise<void> {
    return this.writer.set(chronosKeys.deps(s.job), JSON.stringify(s));
  }

  deleteDeps(name: string): Promise<void> {
    return this.writer.delete(chronosKeys.deps(name));
  }

  putStats(name: string, s: JobStats): Promise<void> {
    return this.writer.set(chronosKeys.stats(name), JSON.stringify(s));
  }

  /** Create-only: false when a record under this run key exists (that time was already decided). */
  createRun(run: RunRecord): Promise<boolean> {
    return this.writer.create(chronosKeys.run(run.job, run.runKey), JSON.stringify(run));
  }

  putRun(run: RunRecord): Promise<void> {
    return this.writer.set(chronosKeys.run(run.job, run.runKey), JSON.stringify(run));
  }

  deleteRun(job: string, runKey: string): Promise<void> {
    return this.writer.delete(chronosKeys.run(job, runKey));
  }

  /** The job and everything kept about it. */
  async deleteJob(name: string): Promise<void> {
    await Promise.all([
      this.writer.delete(chronosKeys.job(name)),
      this.writer.delete(chronosKeys.schedule(name)),
      this.writer.delete(chronosKeys.deps(name)),
      this.writer.delete(chronosKeys.stats(name)),
      this.writer.deleteTree(chronosKeys.runsOf(name)),
    ]);
  }
}
