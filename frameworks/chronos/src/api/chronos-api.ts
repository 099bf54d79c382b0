import {
  lastStatusOf,
  newestFirst,
  runTimeHistogram,
  taskStatHistory,
  toChronosJson,
  toChronosSummary,
  toCsv,
  toDot,
  type Job,
  type JobKind,
  type NodeStatus,
} from '../core';
import type { Leadership } from '../leader/leadership';
import type { ChronosScheduler, OpResult } from '../scheduler/scheduler';

/** What a route answers; the controller turns it into the HTTP response. */
export interface ApiReply {
  status: number;
  body?: unknown;
  /** text/plain bodies (graph/dot, ping); JSON otherwise. */
  text?: string;
  headers?: Record<string, string>;
}

const NO_CONTENT: ApiReply = { status: 204 };

/**
 * Chronos' REST API over the leader's scheduler. Only the leader gets here (standbys proxy, see
 * standby-proxy.ts); a leader still loading its state answers 503. Reads come from the leader's memory.
 */
export class ChronosApi {
  constructor(private readonly leadership: Leadership) {}

  private scheduler(): ChronosScheduler | ApiReply {
    const s = this.leadership.active;
    if (s) return s;
    return { status: 503, body: { message: this.leadership.isLeader ? 'chronos is loading its state; try again shortly' : 'no elected chronos leader' } };
  }

  leader(): ApiReply {
    const l = this.leadership.leader;
    if (!l) return { status: 503, body: { message: 'no elected chronos leader' } };
    return { status: 200, body: { leader: `${l.hostname}:${l.port}`, url: l.url, self: l.id === this.leadership.self.id } };
  }

  async upsert(rawBody: string | undefined, kind: JobKind): Promise<ApiReply> {
    const s = this.scheduler();
    if (!('serial' in s)) return s;
    let body: unknown;
    try {
      body = JSON.parse(rawBody ?? '');
    } catch (e) {
      return { status: 400, body: { message: `the body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, errors: [{ field: '', message: 'invalid JSON' }] } };
    }
    const r = await s.upsertJob(body, kind);
    if (!r.ok) return failure(r);
    return r.warnings && r.warnings.length > 0 ? { status: 204, headers: { 'X-Agora-Warnings': r.warnings.join('; ').slice(0, 1000) } } : NO_CONTENT;
  }

  jobs(): ApiReply {
    const s = this.scheduler();
    if (!('serial' in s)) return s;
    const now = new Date();
    return { status: 200, body: sortedJobs(s).map((j) => toChronosJson(j, s.state.stats.get(j.name), s.state.schedules.get(j.name), now)) };
  }

  /** Chronos' summary, with Agora's extra columns (next run, counts) for `agora job list`. */
  summary(): ApiReply {
    const s = this.scheduler();
    if (!('serial' in s)) return s;
    const now = new Date();
    const active = s.state.activeRuns();
    return {
      status: 200,
      body: {
        jobs: sortedJobs(s).map((j) => {
          const stats = s.state.statsOf(j.name);
          return {
            ...toChronosSummary(j, stats, active, s.state.schedules.get(j.name), now),
            nextRunAt: j.schedule !== undefined && !j.disabled ? (s.state.schedules.get(j.name)?.nextRunAt ?? null) : null,
            successCount: stats.successCount,
            errorCount: stats.errorCount,
            lastSuccess: stats.lastSuccess,
            lastError: stats.lastError,
            scheduleTimeZone: j.scheduleTimeZone,
          };
        }),
      },
    };
  }

  search(q: { name?: string; command?: string; any?: string }): ApiReply {
    const s = this.scheduler();
    if (!('serial' in s)) return s;
    const now = new Date();
    const has = (hay: string, needle: string | undefined) => needle === undefined || needle === '' || hay.toLowerCase().includes(needle.toLowerCase());
    const found = sortedJobs(s).filter(
      (j) => has(j.name, q.name) && has(j.command, q.command) && (q.any === undefined || q.any === '' || has(j.name, q.any) || has(j.command, q.any) || has(j.description, q.any) || has(j.owner, q.any)),
    );
    return { status: 200, body: found.map((j) => toChronosJson(j, s.state.stats.get(j.name), s.state.schedules.get(j.name), now)) };
  }

  job(name: string): ApiReply {
    const s = this.scheduler();
    if (!('serial' in s)) return s;
    const j = s.state.jobs.get(name);
    if (!j) return notFound(name);
    return { status: 200, body: toChronosJson(j, s.state.stats.get(name), s.state.schedules.get(name), new Date()) };
  }

  async runNow(name: string, args: string[] | undefined): Promise<ApiReply> {
    const s = this.scheduler();
    if (!('serial' in s)) return s;
    const r = await s.runNow(name, args);
    if (!r.ok) return failure(r);
    return { status: 204, headers: { 'X-Agora-Run': r.value.runKey, 'X-Agora-Run-Status': r.value.status } };
  }

  async remove(name: string): Promise<ApiReply> {
    const s = this.scheduler();
    if (!('serial' in s)) return s;
    const r = await s.deleteJob(name);
    return r.ok ? NO_CONTENT : failure(r);
  }

  async kill(name: string): Promise<ApiReply> {
    const s = this.scheduler();
    if (!('serial' in s)) return s;
    const r = await s.killJob(name);
    return r.ok ? NO_CONTENT : failure(r);
  }

  async success(name: string): Promise<ApiReply> {
    const s = this.scheduler();
    if (!('serial' in s)) return s;
    const r = await s.markSuccess(name);
    return r.ok ? NO_CONTENT : failure(r);
  }

  stat(name: string): ApiReply {
    const s = this.scheduler();
    if (!('serial' in s)) return s;
    if (!s.state.jobs.has(name)) return notFound(name);
    const runs = s.state.runsOf(name);
    return { status: 200, body: { histogram: runTimeHistogram(runs), taskStatHistory: taskStatHistory(runs), numElementsProcessed: 0, numAdditionalElementsProcessed: 0 } };
  }

  /** Extension: every kept run, newest first, with its attempts and where their sandboxes are. */
  runs(name: string): ApiReply {
    const s = this.scheduler();
    if (!('serial' in s)) return s;
    if (!s.state.jobs.has(name)) return notFound(name);
    return { status: 200, body: { job: name, frameworkId: s.frameworkId ?? null, runs: newestFirst(s.state.runsOf(name)) } };
  }

  graph(kind: 'dot' | 'csv'): ApiReply {
    const s = this.scheduler();
    if (!('serial' in s)) return s;
    const running = new Set(s.state.activeRuns().map((r) => r.job));
    const status = (name: string): NodeStatus => (running.has(name) ? 'running' : lastStatusOf(s.state.stats.get(name)));
    return { status: 200, text: kind === 'dot' ? toDot(s.state.jobs, status) : toCsv(s.state.jobs, status) };
  }

  /** Liveness of this instance (any instance answers). */
  health(): ApiReply {
    return { status: 200, body: { ok: true, phase: this.leadership.status, leader: this.leadership.leader?.url ?? null } };
  }
}

function sortedJobs(s: ChronosScheduler): Job[] {
  return [...s.state.jobs.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function failure(r: Extract<OpResult<unknown>, { ok: false }>): ApiReply {
  return { status: r.status, body: { message: r.message, ...(r.errors ? { errors: r.errors } : {}) } };
}

function notFound(name: string): ApiReply {
  return { status: 404, body: { message: `no job named "${name}"` } };
}

/** Run-now arguments: `?arguments=a&arguments=b`, or one value split on spaces (Chronos clients send `-x -y`). */
export function parseRunArguments(q: unknown): string[] | undefined {
  if (q === undefined || q === null || q === '') return undefined;
  if (Array.isArray(q)) return q.map(String).filter((a) => a !== '');
  return String(q)
    .split(/\s+/)
    .filter((a) => a !== '');
}

