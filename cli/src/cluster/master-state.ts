import { z } from 'zod';
import { CliError } from '../errors';

/**
 * The master's `/master/state` in Mesos' JSON shape (snake_case), read leniently: the CLI needs a few
 * fields and must not break when the master adds more. Agora adds `sandbox` to each task (its absolute
 * path on the agent) and `flags.nats` (where the bus is).
 */
const Num = z.number().catch(0);

export const MesosResourcesSchema = z
  .object({
    cpus: Num.optional(),
    mem: Num.optional(),
    disk: Num.optional(),
    gpus: Num.optional(),
    ports: z.union([z.string(), z.array(z.object({ begin: z.number(), end: z.number() }))]).optional(),
  })
  .loose();

const TaskStatusJson = z
  .object({
    state: z.string(),
    timestamp: z.number().optional(),
    message: z.string().optional(),
  })
  .loose();

export const MesosTaskSchema = z
  .object({
    id: z.string(),
    name: z.string().default(''),
    framework_id: z.string(),
    slave_id: z.string().default(''),
    state: z.string(),
    resources: MesosResourcesSchema.optional(),
    statuses: z.array(TaskStatusJson).default([]),
    sandbox: z.string().optional(),
  })
  .loose();

export const MesosFrameworkSchema = z
  .object({
    id: z.string(),
    name: z.string().default(''),
    active: z.boolean().optional(),
    tasks: z.array(MesosTaskSchema).default([]),
    completed_tasks: z.array(MesosTaskSchema).default([]),
    unreachable_tasks: z.array(MesosTaskSchema).default([]),
  })
  .loose();

export const MesosAgentSchema = z
  .object({
    id: z.string(),
    pid: z.string().default(''),
    hostname: z.string().default(''),
    resources: MesosResourcesSchema.default({}),
    used_resources: MesosResourcesSchema.default({}),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    active: z.boolean().optional(),
    /** Agora: REGISTERED, UNREACHABLE, GONE (Mesos has only `active`). */
    status: z.string().optional(),
  })
  .loose();

export const MesosStateSchema = z
  .object({
    version: z.string().optional(),
    leader: z.string().optional(),
    pid: z.string().optional(),
    hostname: z.string().optional(),
    flags: z.record(z.string(), z.unknown()).default({}),
    slaves: z.array(MesosAgentSchema).default([]),
    frameworks: z.array(MesosFrameworkSchema).default([]),
    completed_frameworks: z.array(MesosFrameworkSchema).default([]),
  })
  .loose();

export type MesosResources = z.output<typeof MesosResourcesSchema>;
export type MesosTask = z.output<typeof MesosTaskSchema>;
export type MesosFramework = z.output<typeof MesosFrameworkSchema>;
export type MesosAgent = z.output<typeof MesosAgentSchema>;
export type MesosState = z.output<typeof MesosStateSchema>;

const MAX_REDIRECTS = 5;

/** Where a master URL given by the user points, normalized: no trailing slash, http:// when omitted. */
export function normalizeMasterUrl(url: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    throw new CliError(`--master: "${url}" is not a URL`);
  }
  return parsed.origin;
}

/**
 * GETs a path on the leading master. A standby answers 307 with the leader's address (possibly
 * scheme-relative, as Mesos does): follow it, and say which master finally answered.
 */
export async function getFromLeader(masterUrl: string, path: string): Promise<{ leaderUrl: string; body: unknown }> {
  let url = new URL(path, normalizeMasterUrl(masterUrl) + '/').toString();
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'manual', headers: { accept: 'application/json' } });
    } catch (e) {
      throw new CliError(`cannot reach the master at ${new URL(url).origin}: ${causeOf(e)}`);
    }
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get('location');
      await res.body?.cancel();
      if (!location) throw new CliError(`the master at ${new URL(url).origin} redirected without a location`);
      url = new URL(location, url).toString();
      continue;
    }
    const text = await res.text();
    if (res.status === 503) throw new CliError(`the master at ${new URL(url).origin} has no leader yet (503); try again shortly`);
    if (!res.ok) throw new CliError(`the master at ${new URL(url).origin} answered ${res.status} for ${path}: ${text.slice(0, 200)}`);
    try {
      return { leaderUrl: new URL(url).origin, body: JSON.parse(text) as unknown };
    } catch {
      throw new CliError(`the master at ${new URL(url).origin} did not answer JSON for ${path}`);
    }
  }
  throw new CliError(`too many redirects from ${masterUrl} looking for the leader`);
}

/** The leader's full state, validated. */
export async function fetchMasterState(masterUrl: string): Promise<{ leaderUrl: string; state: MesosState }> {
  const { leaderUrl, body } = await getFromLeader(masterUrl, '/master/state');
  const parsed = MesosStateSchema.safeParse(body);
  if (!parsed.success) throw new CliError(`the master's /master/state is not in the expected shape: ${parsed.error.issues[0]?.message ?? ''}`);
  return { leaderUrl, state: parsed.data };
}

/** The NATS URL the master is connected to: where the SDK must connect to reach it. */
export function natsUrlOf(state: MesosState): string | undefined {
  const v = state.flags.nats;
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** `slave(1)@127.0.1.1:5051` → `http://127.0.1.1:5051`. */
export function agentUrlFromPid(pid: string): string | undefined {
  const m = /@([^@:\s]+|\[[^\]]+\]):(\d+)$/.exec(pid);
  if (!m) return undefined;
  return `http://${m[1]}:${m[2]}`;
}

export function causeOf(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) return (cause as Error & { code?: string }).code ?? cause.message;
    return e.message;
  }
  return String(e);
}
