/**
 * Chronos job JSON → normalised Job, or the list of {field, message} the API turns into a 400 body.
 *
 * Unknown fields: ignored, as Chronos does, so JSON written for other Chronos versions (or read back
 * from GET, with its statistics) posts unchanged; each unknown field is reported as a warning the API
 * may log or return. Checks that need the other jobs (unknown parents, cycles) are in dag.ts.
 */
import { ChronosJobInputSchema, CHRONOS_DEFAULTS, CONCURRENCY_POLICIES, IGNORED_FIELDS, KNOWN_FIELDS, type ConcurrencyPolicy, type Job, type JobDefaults } from './job-schema';
import { approxPeriodMs, parseIsoPeriod } from './iso8601';
import { parseSchedule } from './schedule';
import { resolveTimeZone } from './time-zone';

export interface FieldError {
  /** Dotted path of the offending field ('name', 'container.image', 'environmentVariables.0.name'); '' = the body. */
  field: string;
  message: string;
}

export type ValidateJobResult = { ok: true; job: Job; warnings: string[] } | { ok: false; errors: FieldError[] };

/** Which endpoint the JSON came to: /iso8601 wants a schedule, /dependency wants parents. */
export type JobKind = 'scheduled' | 'dependent' | 'any';

export const JOB_NAME_PATTERN = /^[\w.-]+$/;
/** Keeps task ids (`ct:<ms>:<attempt>:<name>:<trigger>`) within the 200 characters task ids may have. */
export const MAX_JOB_NAME_LENGTH = 150;

export function jobNameError(name: string): string | null {
  if (!JOB_NAME_PATTERN.test(name)) return 'must match [\\w.-]+ (letters, digits, _, . and -)';
  if (name === '.' || name === '..') return 'must not be . or ..';
  if (name.length > MAX_JOB_NAME_LENGTH) return `must be at most ${MAX_JOB_NAME_LENGTH} characters`;
  return null;
}

export function validateJob(input: unknown, opts: { now: Date; kind?: JobKind; defaults?: Partial<JobDefaults> }): ValidateJobResult {
  const defaults: JobDefaults = { ...CHRONOS_DEFAULTS, ...opts.defaults };
  const kind = opts.kind ?? 'any';
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, errors: [{ field: '', message: 'the body must be a JSON object (a Chronos job)' }] };

  const parsed = ChronosJobInputSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message })) };
  }
  const j = parsed.data;
  const errors: FieldError[] = [];
  const warnings = Object.keys(input)
    .filter((k) => !KNOWN_FIELDS.has(k) && !IGNORED_FIELDS.has(k))
    .map((k) => `unknown field "${k}" ignored`);

  const nameErr = jobNameError(j.name);
  if (nameErr) errors.push({ field: 'name', message: nameErr });

  const command = j.command;
  if (command === undefined) errors.push({ field: 'command', message: 'is required' });
  else if (command.trim() === '' && !j.container) errors.push({ field: 'command', message: 'must not be empty (unless the job runs a container image)' });

  // schedule xor parents
  const scheduleText = j.schedule?.trim() ?? '';
  const parents = [...new Set((j.parents ?? []).map((p) => p.trim()))];
  const hasSchedule = scheduleText !== '';
  const hasParents = parents.length > 0;
  if (hasSchedule && hasParents) errors.push({ field: 'schedule', message: 'a job has either a schedule or parents, not both' });
  else if (!hasSchedule && !hasParents) {
    if (kind === 'dependent') errors.push({ field: 'parents', message: 'is required: a non-empty list of job names' });
    else errors.push({ field: 'schedule', message: kind === 'scheduled' ? 'is required (ISO 8601 R[n]/<start>/<period> or a cron expression)' : 'a job needs a schedule or parents' });
  } else if (kind === 'scheduled' && !hasSchedule) errors.push({ field: 'schedule', message: 'is required here; dependent jobs (with parents) are posted to /dependency' });
  else if (kind === 'dependent' && !hasParents) errors.push({ field: 'parents', message: 'is required here; scheduled jobs are posted to /iso8601' });

  parents.forEach((p, i) => {
    const e = jobNameError(p);
    if (e) errors.push({ field: `parents.${i}`, message: `"${p}" ${e}` });
    else if (p === j.name) errors.push({ field: 'parents', message: 'a job cannot be its own parent' });
  });

  let schedule: string | undefined;
  let scheduleTimeZone = (j.scheduleTimeZone ?? '').trim();
  if (hasSchedule && !hasParents) {
    const s = parseSchedule(scheduleText, { timeZone: scheduleTimeZone, now: opts.now });
    if (!s.ok) errors.push({ field: s.field, message: s.message });
    else {
      schedule = s.schedule.source;
      scheduleTimeZone = s.schedule.timeZone;
    }
  } else if (scheduleTimeZone !== '') {
    const z = resolveTimeZone(scheduleTimeZone);
    if (!z) errors.push({ field: 'scheduleTimeZone', message: `"${scheduleTimeZone}" is not a known IANA time zone` });
    else scheduleTimeZone = z.id;
  }

  const epsilon = (j.epsilon ?? defaults.epsilon).trim().toUpperCase();
  if (!parseIsoPeriod(epsilon)) errors.push({ field: 'epsilon', message: `"${epsilon}" is not an ISO 8601 duration (e.g. PT60S)` });

  let concurrencyPolicy: ConcurrencyPolicy = j.concurrent ? 'Allow' : 'Forbid';
  if (j.concurrencyPolicy !== undefined) {
    const p = CONCURRENCY_POLICIES.find((c) => c.toLowerCase() === j.concurrencyPolicy?.trim().toLowerCase());
    if (!p) errors.push({ field: 'concurrencyPolicy', message: 'must be Allow, Forbid or Replace' });
    else if (j.concurrent !== undefined && j.concurrent !== (p === 'Allow')) {
      errors.push({ field: 'concurrencyPolicy', message: `${p} contradicts concurrent: ${j.concurrent} (concurrent true means Allow)` });
    } else concurrencyPolicy = p;
  }

  const constraints = (j.constraints ?? []).map((c) => [...c]);
  constraints.forEach((c, i) => {
    const op = (c[1] ?? '').toUpperCase();
    if (c.length < 2 || c.length > 3 || (c[0] ?? '') === '') errors.push({ field: `constraints.${i}`, message: 'must be [attribute, operator, value]' });
    else if (op !== 'EQUALS' && op !== 'LIKE' && op !== 'UNLIKE') errors.push({ field: `constraints.${i}`, message: `operator "${c[1] ?? ''}" must be EQUALS, LIKE or UNLIKE` });
    else if (c.length !== 3) errors.push({ field: `constraints.${i}`, message: `${op} needs a value` });
    else {
      c[1] = op;
      if (op !== 'EQUALS') {
        try {
          new RegExp(`^(?:${c[2] ?? ''})$`);
        } catch {
          errors.push({ field: `constraints.${i}`, message: `"${c[2] ?? ''}" is not a valid regular expression` });
        }
      }
    }
  });

  if (errors.length > 0) return { ok: false, errors };

  const uris = j.uris ?? [];
  const fetch = j.fetch
    ? j.fetch.map((f) => ({ uri: f.uri, cache: f.cache ?? false, extract: f.extract ?? true, executable: f.executable ?? false, ...(f.outputFile ? { outputFile: f.outputFile } : {}) }))
    : uris.map((uri) => ({ uri, cache: false, extract: true, executable: false }));
  const c = j.container;
  const job: Job = {
    name: j.name,
    command: command ?? '',
    shell: j.shell ?? true,
    arguments: j.arguments ?? [],
    ...(schedule !== undefined ? { schedule } : {}),
    scheduleTimeZone,
    parents: hasParents ? parents : [],
    epsilon,
    async: j.async ?? false,
    retries: j.retries ?? defaults.retries,
    owner: j.owner ?? '',
    ownerName: j.ownerName ?? '',
    description: j.description ?? '',
    cpus: j.cpus ?? defaults.cpus,
    mem: j.mem ?? defaults.mem,
    disk: j.disk ?? defaults.disk,
    disabled: j.disabled ?? false,
    concurrent: concurrencyPolicy === 'Allow',
    concurrencyPolicy,
    softError: j.softError ?? false,
    highPriority: j.highPriority ?? false,
    maxCompletionTime: j.maxCompletionTime ?? 0,
    runAsUser: j.runAsUser ?? defaults.runAsUser,
    environmentVariables: (j.environmentVariables ?? []).map((e) => ({ name: e.name, value: e.value })),
    uris,
    fetch,
    constraints,
    ...(c
      ? {
          container: {
            type: c.type,
            image: c.image,
            network: c.network,
            ...(c.networkName ? { networkName: c.networkName } : {}),
            networkInfos: (c.networkInfos ?? []).map((n) => ({ name: n.name, labels: n.labels ?? [] })),
            volumes: (c.volumes ?? []).map((v) => ({
              containerPath: v.containerPath,
              ...(v.hostPath ? { hostPath: v.hostPath } : {}),
              mode: v.mode,
              ...(v.external ? { external: { name: v.external.name, provider: v.external.provider, options: v.external.options ?? [] } } : {}),
            })),
            forcePullImage: c.forcePullImage ?? false,
            parameters: c.parameters ?? [],
          },
        }
      : {}),
    executor: j.executor ?? '',
    executorFlags: j.executorFlags ?? '',
    taskInfoData: j.taskInfoData ?? '',
    dataProcessingJobType: j.dataProcessingJobType ?? false,
    startingDeadlineSeconds: j.startingDeadlineSeconds ?? null,
    successfulRunsHistoryLimit: j.successfulRunsHistoryLimit ?? defaults.successfulRunsHistoryLimit,
    failedRunsHistoryLimit: j.failedRunsHistoryLimit ?? defaults.failedRunsHistoryLimit,
    retryDelaySeconds: j.retryDelaySeconds ?? defaults.retryDelaySeconds,
  };
  return { ok: true, job, warnings };
}

/** One line for a 400 body: `name: must match …; schedule: …`. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
}

/**
 * How late a scheduled time may start before it is recorded as missed: startingDeadlineSeconds, else
 * Chronos' epsilon; never under one second (a scheduler tick).
 */
export function startingDeadlineMs(job: Pick<Job, 'startingDeadlineSeconds' | 'epsilon'>): number {
  if (job.startingDeadlineSeconds !== null) return Math.max(1000, job.startingDeadlineSeconds * 1000);
  const p = parseIsoPeriod(job.epsilon);
  return Math.max(1000, p ? approxPeriodMs(p) : 60_000);
}
