import * as fs from 'node:fs';
import { Command, Option } from 'commander';
import { DEFAULT_PORTS } from '@agora/contracts';
import { AgentFiles, byteLength, readTail } from '../cluster/agent-files';
import { causeOf } from '../cluster/master-state';
import { action, CliError } from '../errors';
import { integerAtLeast, jsonOption } from '../options';
import { cell } from '../output/format';
import { renderJson, renderTable } from '../output/table';

/**
 * `agora job …`: Chronos jobs through Chronos' REST API (any Chronos instance; a standby forwards to the
 * leader). Logs are read from the run's sandbox through the agent's files API, whose address Chronos
 * records with each attempt.
 */
export const DEFAULT_CHRONOS = `http://127.0.0.1:${DEFAULT_PORTS.chronos}`;

export function chronosOption(): Option {
  return new Option('--chronos <url>', 'Chronos HTTP URL').default(DEFAULT_CHRONOS).env('AGORA_CHRONOS');
}

interface Reply {
  status: number;
  text: string;
  headers: Headers;
}

/** One call to Chronos; non-2xx answers become CliErrors carrying Chronos' message. */
export async function chronosCall(base: string, method: string, path: string, body?: string): Promise<Reply> {
  const url = `${base.replace(/\/$/, '')}/v1/scheduler${path}`;
  let res: Response;
  try {
    res = await fetch(url, { method, ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}) });
  } catch (e) {
    throw new CliError(`cannot reach Chronos at ${base}: ${causeOf(e)}`);
  }
  const text = await res.text();
  if (res.status >= 400) {
    let message = text.trim();
    try {
      const j = JSON.parse(text) as { message?: unknown };
      if (typeof j.message === 'string') message = j.message;
    } catch {
      // plain text answer
    }
    throw new CliError(`Chronos answered ${res.status}: ${message || res.statusText}`);
  }
  return { status: res.status, text, headers: res.headers };
}

async function chronosJson<T>(base: string, path: string): Promise<T> {
  const r = await chronosCall(base, 'GET', path);
  try {
    return JSON.parse(r.text) as T;
  } catch {
    throw new CliError(`Chronos at ${base} did not answer JSON for ${path}`);
  }
}

interface SummaryRow {
  name: string;
  state: string;
  status: string;
  schedule?: string;
  parents?: string[];
  disabled: boolean;
  nextRunAt?: string | null;
  successCount?: number;
  errorCount?: number;
  scheduleTimeZone?: string;
}

export interface RunRow {
  runKey: string;
  job: string;
  trigger: string;
  scheduledTime: string;
  status: string;
  reason?: string;
  attempt: number;
  attempts: Array<{ attempt: number; taskId: string; agentUrl?: string; sandbox?: string; startedAt?: string; endedAt?: string; exitCode?: number }>;
  taskId?: string;
  agentId?: string;
  host?: string;
  agentUrl?: string;
  sandbox?: string;
  startedAt?: string;
  endedAt?: string;
  exitCode?: number;
}

/** `2026-11-21T12:00:00.000Z` → `2026-11-21 12:00:00` (UTC, seconds). */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/Z$/, '');
}

export function renderJobList(rows: readonly SummaryRow[]): string {
  return renderTable(
    ['NAME', 'SCHEDULE', 'NEXT RUN (UTC)', 'LAST', 'STATUS', 'OK', 'FAILED'],
    rows.map((j) => [
      j.name,
      j.schedule !== undefined ? `${j.schedule}${j.scheduleTimeZone ? ` (${j.scheduleTimeZone})` : ''}` : `after ${(j.parents ?? []).join(', ')}`,
      j.disabled ? 'disabled' : shortTime(j.nextRunAt ?? null),
      j.state,
      j.status,
      String(j.successCount ?? 0),
      String(j.errorCount ?? 0),
    ]),
  );
}

export function renderHistory(runs: readonly RunRow[]): string {
  return renderTable(
    ['#', 'SCHEDULED (UTC)', 'TRIGGER', 'STATUS', 'ATTEMPTS', 'STARTED', 'ENDED', 'EXIT', 'HOST', 'REASON'],
    runs.map((r, i) => [
      String(i + 1),
      shortTime(r.scheduledTime),
      r.trigger,
      r.status,
      String(r.attempts.length),
      shortTime(r.startedAt),
      shortTime(r.endedAt),
      r.exitCode === undefined ? '-' : String(r.exitCode),
      cell(r.host),
      cell(r.reason),
    ]),
  );
}

/** A job file holds one job object, or an array of them (added in order, so parents come first). */
export function jobsInFile(text: string, file: string): Array<Record<string, unknown>> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const list = Array.isArray(v) ? v : [v];
  for (const j of list) if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new CliError(`${file}: each job must be a JSON object`);
  return list as Array<Record<string, unknown>>;
}

const ACTIVE = new Set(['pending', 'staging', 'running', 'retrying']);

async function showRunLog(base: string, name: string, opts: { run?: number; follow?: boolean; stderr?: boolean; lines?: number }, out: NodeJS.WritableStream): Promise<void> {
  const file = opts.stderr ? 'stderr' : 'stdout';
  const history = await chronosJson<{ runs: RunRow[] }>(base, `/job/${encodeURIComponent(name)}/runs`);
  const pick = (): RunRow | undefined => (opts.run !== undefined ? history.runs[opts.run - 1] : history.runs.find((r) => r.sandbox || r.attempts.some((a) => a.sandbox)));
  const run = pick();
  if (!run) throw new CliError(opts.run !== undefined ? `job ${name} has no run #${opts.run} (see \`agora job history ${name}\`)` : `job ${name} has no run with a sandbox yet`);
  const attempt = [...run.attempts].reverse().find((a) => a.sandbox && a.agentUrl);
  if (!attempt?.sandbox || !attempt.agentUrl) throw new CliError(`run ${run.runKey} (${run.status}) has no sandbox: it never started on an agent`);
  const files = new AgentFiles(attempt.agentUrl);
  const path = `${attempt.sandbox}/${file}`;
  let tail = await readTail(files, path, opts.lines);
  if (!tail) {
    if (!opts.follow) throw new CliError(`run ${run.runKey} has no ${file} at ${attempt.agentUrl}:${path}`);
    tail = { text: '', end: 0 };
  }
  out.write(tail.text);
  if (!opts.follow) return;
  let offset = tail.end;
  let ended = !ACTIVE.has(run.status);
  let checkedAt = Date.now();
  for (;;) {
    const r = await files.read(path, offset);
    if (r && r.data.length > 0) {
      out.write(r.data);
      offset += byteLength(r.data);
      continue;
    }
    if (ended) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (Date.now() - checkedAt >= 2000) {
      checkedAt = Date.now();
      const now = await chronosJson<{ runs: RunRow[] }>(base, `/job/${encodeURIComponent(name)}/runs`);
      const same = now.runs.find((r) => r.runKey === run.runKey);
      ended = !same || !ACTIVE.has(same.status) || same.taskId !== attempt.taskId;
    }
  }
}

export function registerJobCommands(program: Command): void {
  const job = program.command('job').description('Chronos jobs: scheduled (ISO 8601 or cron) and dependent batch jobs');
  job
    .command('add')
    .description('create or replace jobs from Chronos job JSON files (a file may hold an array)')
    .argument('<files...>', 'job JSON files')
    .addOption(chronosOption())
    .action(
      action(async (files: string[], opts: { chronos: string }) => {
        for (const file of files) {
          let text: string;
          try {
            text = fs.readFileSync(file, 'utf8');
          } catch (e) {
            throw new CliError(`cannot read ${file}: ${causeOf(e)}`);
          }
          for (const j of jobsInFile(text, file)) {
            const dependent = Array.isArray(j.parents) && j.parents.length > 0 && (j.schedule === undefined || j.schedule === null || j.schedule === '');
            await chronosCall(opts.chronos, 'POST', dependent ? '/dependency' : '/iso8601', JSON.stringify(j));
            process.stdout.write(`job ${typeof j.name === 'string' ? j.name : '?'} saved\n`);
          }
        }
      }),
    );
  job
    .command('list')
    .alias('ls')
    .description('jobs with their schedule, next run, last result and counts')
    .addOption(chronosOption())
    .addOption(jsonOption())
    .action(
      action(async (opts: { chronos: string; json?: boolean }) => {
        const { jobs } = await chronosJson<{ jobs: SummaryRow[] }>(opts.chronos, '/jobs/summary');
        process.stdout.write(opts.json ? renderJson(jobs) : renderJobList(jobs));
      }),
    );
  job
    .command('run')
    .description('run a job now (under its concurrency policy)')
    .argument('<name>', 'job name')
    .option('--arg <value...>', 'extra arguments for this run')
    .addOption(chronosOption())
    .action(
      action(async (name: string, opts: { chronos: string; arg?: string[] }) => {
        const q = (opts.arg ?? []).map((a) => `arguments=${encodeURIComponent(a)}`).join('&');
        const r = await chronosCall(opts.chronos, 'PUT', `/job/${encodeURIComponent(name)}${q ? `?${q}` : ''}`);
        const run = r.headers.get('x-agora-run');
        const status = r.headers.get('x-agora-run-status');
        process.stdout.write(run ? `run ${run}${status && status !== 'pending' ? ` ${status}` : ' started'}\n` : `job ${name} started\n`);
      }),
    );
  job
    .command('history')
    .description("a job's runs, newest first (#1 is the newest: `job log --run N`)")
    .argument('<name>', 'job name')
    .option('-n, --limit <n>', 'only the newest N runs', integerAtLeast(1, '--limit'))
    .addOption(chronosOption())
    .addOption(jsonOption())
    .action(
      action(async (name: string, opts: { chronos: string; json?: boolean; limit?: number }) => {
        const { runs } = await chronosJson<{ runs: RunRow[] }>(opts.chronos, `/job/${encodeURIComponent(name)}/runs`);
        const shown = opts.limit ? runs.slice(0, opts.limit) : runs;
        process.stdout.write(opts.json ? renderJson(shown) : renderHistory(shown));
      }),
    );
  job
    .command('log')
    .description("print a run's stdout (or stderr) from its sandbox on the agent")
    .argument('<name>', 'job name')
    .option('--run <n>', 'run number from `agora job history` (default: the newest run that started)', integerAtLeast(1, '--run'))
    .option('-f, --follow', 'keep printing as the file grows, until the run has ended')
    .option('--stderr', 'stderr instead of stdout')
    .option('-n, --lines <n>', 'only the last N lines', integerAtLeast(0, '--lines'))
    .addOption(chronosOption())
    .action(
      action(async (name: string, opts: { chronos: string; run?: number; follow?: boolean; stderr?: boolean; lines?: number }) => {
        await showRunLog(opts.chronos, name, opts, process.stdout);
      }),
    );
  job
    .command('remove')
    .alias('rm')
    .description('delete a job (its running tasks are killed; a job with dependents is refused)')
    .argument('<name>', 'job name')
    .addOption(chronosOption())
    .action(
      action(async (name: string, opts: { chronos: string }) => {
        await chronosCall(opts.chronos, 'DELETE', `/job/${encodeURIComponent(name)}`);
        process.stdout.write(`job ${name} removed\n`);
      }),
    );
  job
    .command('kill')
    .description("kill a job's running tasks")
    .argument('<name>', 'job name')
    .addOption(chronosOption())
    .action(
      action(async (name: string, opts: { chronos: string }) => {
        await chronosCall(opts.chronos, 'DELETE', `/task/kill/${encodeURIComponent(name)}`);
        process.stdout.write(`tasks of job ${name} killed\n`);
      }),
    );
  job
    .command('graph')
    .description('the dependency graph (Graphviz dot; --csv for node/link lines)')
    .option('--csv', 'CSV instead of dot')
    .addOption(chronosOption())
    .action(
      action(async (opts: { chronos: string; csv?: boolean }) => {
        const r = await chronosCall(opts.chronos, 'GET', opts.csv ? '/graph/csv' : '/graph/dot');
        process.stdout.write(r.text);
      }),
    );
}
