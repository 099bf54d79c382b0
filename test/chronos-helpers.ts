import { httpRequest, waitFor, type HttpResponse } from '@agora/testing';

/** Shared by the Chronos end-to-end tests: a thin client of Chronos' REST API and run-history helpers. */
export interface Run {
  runKey: string;
  job: string;
  trigger: string;
  scheduledTime: string;
  status: string;
  reason?: string;
  attempt: number;
  attempts: Array<{ attempt: number; taskId: string; exitCode?: number; startedAt?: string; endedAt?: string; taskState?: string; sandbox?: string; agentUrl?: string }>;
  taskId?: string;
  startedAt?: string;
  endedAt?: string;
  exitCode?: number;
  agentUrl?: string;
  sandbox?: string;
}

export class ChronosClient {
  constructor(readonly url: string) {}

  call<T = unknown>(method: string, path: string, body?: unknown): Promise<HttpResponse<T>> {
    return httpRequest<T>(`${this.url}/v1/scheduler${path}`, { method, ...(body !== undefined ? { body } : {}), timeoutMs: 15_000 });
  }

  async ok(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    const r = await this.call(method, path, body);
    if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${r.text}`);
    return r;
  }

  /** POST to /iso8601, or /dependency when the job has parents. */
  save(job: Record<string, unknown>): Promise<HttpResponse> {
    return this.ok('POST', Array.isArray(job.parents) && job.parents.length > 0 ? '/dependency' : '/iso8601', job);
  }

  async runs(name: string): Promise<Run[]> {
    const r = await this.call<{ runs: Run[] }>('GET', `/job/${name}/runs`);
    if (r.status !== 200) throw new Error(`runs of ${name}: ${r.status} ${r.text}`);
    return r.body.runs;
  }

  /** Runs oldest first. */
  async runsAsc(name: string): Promise<Run[]> {
    return (await this.runs(name)).sort((a, b) => (a.scheduledTime < b.scheduledTime ? -1 : a.scheduledTime > b.scheduledTime ? 1 : 0));
  }

  async job(name: string): Promise<Record<string, unknown>> {
    const r = await this.call<Record<string, unknown>>('GET', `/job/${name}`);
    if (r.status !== 200) throw new Error(`job ${name}: ${r.status} ${r.text}`);
    return r.body;
  }

  /** Waits until `pred` holds for the job's runs and returns them. */
  waitRuns(name: string, pred: (runs: Run[]) => boolean, what: string, timeoutMs = 30_000): Promise<Run[]> {
    return waitFor(
      async () => {
        const runs = await this.runsAsc(name);
        return pred(runs) ? runs : undefined;
      },
      { timeoutMs, intervalMs: 200, what },
    );
  }
}

/** Polls `check` for `ms` and fails as soon as it does not hold: "nothing happens for a while". */
export async function holdsFor(ms: number, check: () => Promise<boolean>, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!(await check())) throw new Error(`expected ${what} to hold for ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** A whole second at least `leadMs` from now, for schedules that must start in the future. */
export function secondFromNow(leadMs: number): number {
  return Math.ceil((Date.now() + leadMs) / 1000) * 1000;
}

export const FAR_FUTURE = 'R/2035-01-01T00:00:00Z/P1D';

export const ms = (t: string | undefined): number => (t === undefined ? NaN : Date.parse(t));

/** Reads a file of a run's sandbox through the agent's files API. */
export async function sandboxFile(run: Pick<Run, 'agentUrl' | 'sandbox'>, file = 'stdout'): Promise<string> {
  if (!run.agentUrl || !run.sandbox) throw new Error('the run has no sandbox');
  const r = await httpRequest<{ data: string }>(`${run.agentUrl}/files/read?path=${encodeURIComponent(`${run.sandbox}/${file}`)}&offset=0&length=65536`);
  if (r.status !== 200) throw new Error(`files/read answered ${r.status}: ${r.text}`);
  return r.body.data;
}
