/**
 * Chronos job JSON: the input schema (lenient the way Chronos' JSON reader is: numbers and booleans may
 * arrive as strings, null means "not given") and the normalised Job every other module works with.
 * Semantic checks (name, schedule vs parents, schedule syntax …) live in validate-job.ts.
 */
import { z } from 'zod';

export type ConcurrencyPolicy = 'Allow' | 'Forbid' | 'Replace';
export const CONCURRENCY_POLICIES: readonly ConcurrencyPolicy[] = ['Allow', 'Forbid', 'Replace'];

export interface EnvironmentVariable {
  name: string;
  value: string;
}

export interface FetchUri {
  uri: string;
  cache: boolean;
  extract: boolean;
  executable: boolean;
  outputFile?: string;
}

export interface ContainerVolume {
  containerPath: string;
  hostPath?: string;
  mode: 'RO' | 'RW';
  external?: { name: string; provider: string; options: Array<{ key: string; value: string }> };
}

export interface JobContainer {
  type: 'DOCKER' | 'MESOS';
  image: string;
  network: 'HOST' | 'BRIDGE' | 'USER' | 'NONE';
  networkName?: string;
  networkInfos: Array<{ name: string; labels: Array<{ key: string; value: string }> }>;
  volumes: ContainerVolume[];
  forcePullImage: boolean;
  parameters: Array<{ key: string; value: string }>;
}

/** A job after validation: every field present, Chronos' defaults applied, schedule pinned. */
export interface Job {
  name: string;
  command: string;
  /** true: `/bin/sh -c command`; false: command is the executable and `arguments` its argv. */
  shell: boolean;
  arguments: string[];
  /** Scheduled jobs only: cron or ISO 8601 text, an empty ISO start replaced by the creation instant. */
  schedule?: string;
  /** Canonical IANA name, or '' (UTC for cron; the start's own offset for ISO 8601). */
  scheduleTimeZone: string;
  /** Dependent jobs only: the jobs that must all succeed before this one runs. Empty for scheduled jobs. */
  parents: string[];
  /** Chronos 2.x: how late a run may start. Used as the starting deadline when none is given. */
  epsilon: string;
  async: boolean;
  retries: number;
  owner: string;
  ownerName: string;
  description: string;
  cpus: number;
  mem: number;
  disk: number;
  disabled: boolean;
  /** Chronos' flag; always equal to concurrencyPolicy === 'Allow'. */
  concurrent: boolean;
  concurrencyPolicy: ConcurrencyPolicy;
  /** A failure still triggers the dependents. */
  softError: boolean;
  highPriority: boolean;
  /** Seconds a run (each attempt) may take before it is killed and counted as failed; 0 = no limit. */
  maxCompletionTime: number;
  runAsUser: string;
  environmentVariables: EnvironmentVariable[];
  /** Deprecated Chronos field, kept as given; `fetch` holds the merged list. */
  uris: string[];
  fetch: FetchUri[];
  /** `[attribute, EQUALS|LIKE|UNLIKE, value]`. */
  constraints: string[][];
  container?: JobContainer;
  executor: string;
  executorFlags: string;
  taskInfoData: string;
  dataProcessingJobType: boolean;
  // Agora extensions (Kubernetes CronJob style)
  /** A scheduled time that cannot start within this many seconds is recorded as missed; null = epsilon. */
  startingDeadlineSeconds: number | null;
  successfulRunsHistoryLimit: number;
  failedRunsHistoryLimit: number;
  /** Delay before a failed run is retried (Chronos' --failure_retry, 60 s). */
  retryDelaySeconds: number;
}

/** Defaults, as Chronos' (and its command-line flags'); a deployment may override them. */
export interface JobDefaults {
  cpus: number;
  mem: number;
  disk: number;
  retries: number;
  epsilon: string;
  retryDelaySeconds: number;
  successfulRunsHistoryLimit: number;
  failedRunsHistoryLimit: number;
  runAsUser: string;
}

export const CHRONOS_DEFAULTS: Readonly<JobDefaults> = {
  cpus: 0.1,
  mem: 128,
  disk: 256,
  retries: 2,
  epsilon: 'PT60S',
  retryDelaySeconds: 60,
  successfulRunsHistoryLimit: 10,
  failedRunsHistoryLimit: 10,
  runAsUser: '',
};

// ---- input schema -------------------------------------------------------------------------------

const absentIfNull = (v: unknown): unknown => (v === null ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(absentIfNull, schema.optional());

const toNumber = (v: unknown): unknown => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
const toBoolean = (v: unknown): unknown => (v === 'true' ? true : v === 'false' ? false : v);
const upper = (v: unknown): unknown => (typeof v === 'string' ? v.trim().toUpperCase() : v);

const num = () => z.number({ error: 'must be a number' }).finite({ error: 'must be a finite number' });
const numberish = <T extends z.ZodType>(schema: T) => opt(z.preprocess(toNumber, schema));
const bool = opt(z.preprocess(toBoolean, z.boolean({ error: 'must be true or false' })));
const str = opt(z.string({ error: 'must be a string' }));
const strings = opt(z.array(z.string({ error: 'must be a string' }), { error: 'must be a list of strings' }));
const keyValues = z.array(z.object({ key: z.string({ error: 'must be a string' }), value: z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string({ error: 'must be a string' })) }), {
  error: 'must be a list of {key, value}',
});

const ContainerInputSchema = z.object(
  {
    type: z.preprocess(upper, z.enum(['DOCKER', 'MESOS'], { error: 'must be DOCKER or MESOS' }).default('DOCKER')),
    image: z.string({ error: 'is required (the image to run)' }).trim().min(1, { error: 'is required (the image to run)' }),
    network: z.preprocess((v) => upper(absentIfNull(v)), z.enum(['HOST', 'BRIDGE', 'USER', 'NONE'], { error: 'must be HOST, BRIDGE, USER or NONE' }).default('HOST')),
    networkName: str,
    networkInfos: opt(z.array(z.object({ name: z.string({ error: 'must be a string' }), labels: opt(keyValues) }), { error: 'must be a list of {name, labels}' })),
    volumes: opt(
      z.array(
        z.object({
          containerPath: z.string({ error: 'is required' }).min(1, { error: 'is required' }),
          hostPath: str,
          mode: z.preprocess((v) => upper(absentIfNull(v)), z.enum(['RO', 'RW'], { error: 'must be RO or RW' }).default('RW')),
          external: opt(z.object({ name: z.string({ error: 'is required' }).min(1, { error: 'is required' }), provider: z.string({ error: 'is required' }).min(1, { error: 'is required' }), options: opt(keyValues) })),
        }),
        { error: 'must be a list of volumes' },
      ),
    ),
    forcePullImage: bool,
    parameters: opt(keyValues),
  },
  { error: 'must be an object' },
);

export const ChronosJobInputSchema = z.object({
  name: z.string({ error: 'is required' }),
  command: str,
  shell: bool,
  arguments: strings,
  schedule: str,
  scheduleTimeZone: str,
  parents: strings,
  epsilon: str,
  async: bool,
  retries: numberish(num().int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' })),
  owner: str,
  ownerName: str,
  description: str,
  cpus: numberish(num().positive({ error: 'must be greater than 0' })),
  mem: numberish(num().positive({ error: 'must be greater than 0' })),
  disk: numberish(num().min(0, { error: 'must not be negative' })),
  disabled: bool,
  concurrent: bool,
  concurrencyPolicy: opt(z.string({ error: 'must be Allow, Forbid or Replace' })),
  softError: bool,
  highPriority: bool,
  maxCompletionTime: numberish(num().min(0, { error: 'must not be negative (0 = no limit)' })),
  runAsUser: str,
  environmentVariables: opt(
    z.array(
      z.object({
        name: z.string({ error: 'is required' }).min(1, { error: 'is required' }),
        value: z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === null || v === undefined ? '' : v), z.string({ error: 'must be a string' })),
      }),
      { error: 'must be a list of {name, value}' },
    ),
  ),
  uris: strings,
  fetch: opt(
    z.array(
      z.object({
        uri: z.string({ error: 'is required' }).min(1, { error: 'is required' }),
        cache: bool,
        extract: bool,
        executable: bool,
        outputFile: str,
      }),
      { error: 'must be a list of {uri, cache, extract, executable}' },
    ),
  ),
  constraints: opt(z.array(z.array(z.string({ error: 'must be a string' }), { error: 'each constraint must be [attribute, operator, value]' }), { error: 'must be a list of [attribute, operator, value]' })),
  container: opt(ContainerInputSchema),
  executor: str,
  executorFlags: str,
  taskInfoData: str,
  dataProcessingJobType: bool,
  startingDeadlineSeconds: numberish(num().int({ error: 'must be a whole number of seconds' }).min(1, { error: 'must be at least 1' })),
  successfulRunsHistoryLimit: numberish(num().int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' })),
  failedRunsHistoryLimit: numberish(num().int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' })),
  retryDelaySeconds: numberish(num().min(0, { error: 'must not be negative' })),
});

export type ChronosJobInput = z.output<typeof ChronosJobInputSchema>;

/** Fields Chronos returns on GET (statistics) or that it knows but Agora does not use: accepted, ignored. */
export const IGNORED_FIELDS: ReadonlySet<string> = new Set([
  'successCount',
  'errorCount',
  'lastSuccess',
  'lastError',
  'errorsSinceLastSuccess',
  'nextExpected',
  'dataJob',
  'state',
  'status',
  'nextRunAt',
]);

export const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.keys(ChronosJobInputSchema.shape));
