/**
 * A run's attempt → the task to launch: command (shell or argv, run-now arguments), environment as
 * Chronos sets it, fetch URIs, container, labels, the agent-side run timeout, and what the task asks of
 * an offer. The resources themselves are filled in by the service once an offer is chosen.
 */
import type { TaskInfoInput } from '@agora/contracts';
import type { Job } from './job-schema';
import type { RunRecord } from './run-record';

export type ChronosTaskSpec = Omit<TaskInfoInput, 'agentId' | 'resources'> & {
  /** Scalars the task needs (cpus, mem, disk); zero amounts are left out. */
  ask: Record<string, number>;
};

/** Chronos names its tasks this way (the job name is what Mesos UIs and DNS show). */
export function taskNameFor(job: string): string {
  return `ChronosTask:${job}`;
}

/** Single-quotes a word for /bin/sh. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Chronos' task environment: its own variables first (mesos_task_id, CHRONOS_JOB_NAME, CHRONOS_JOB_OWNER,
 * CHRONOS_RESOURCE_CPU/MEM/DISK, CHRONOS_JOB_RUN_TIME = the due instant in ms, CHRONOS_JOB_RUN_ATTEMPT
 * counted from 0 as Chronos does); the job's environmentVariables add to them but never override them.
 * Agora adds AGORA_RUN_KEY and AGORA_RUN_ATTEMPT (from 1).
 */
export function chronosEnvironment(job: Pick<Job, 'name' | 'owner' | 'cpus' | 'mem' | 'disk' | 'environmentVariables'>, run: Pick<RunRecord, 'runKey' | 'scheduledTime' | 'attempt' | 'taskId'>): Record<string, string> {
  const base: Record<string, string> = {
    mesos_task_id: run.taskId ?? '',
    CHRONOS_JOB_OWNER: job.owner,
    CHRONOS_JOB_NAME: job.name,
    CHRONOS_RESOURCE_MEM: String(job.mem),
    CHRONOS_RESOURCE_CPU: String(job.cpus),
    CHRONOS_RESOURCE_DISK: String(job.disk),
    CHRONOS_JOB_RUN_TIME: String(Date.parse(run.scheduledTime)),
    CHRONOS_JOB_RUN_ATTEMPT: String(Math.max(0, run.attempt - 1)),
    AGORA_RUN_KEY: run.runKey,
    AGORA_RUN_ATTEMPT: String(run.attempt),
  };
  const env: Record<string, string> = {};
  for (const e of job.environmentVariables) if (!(e.name in base)) env[e.name] = e.value;
  return { ...env, ...base };
}

export function chronosTaskSpec(job: Job, run: RunRecord): ChronosTaskSpec {
  const taskId = run.taskId;
  if (taskId === undefined) throw new Error(`run ${run.runKey} has no task id`);
  const extra = run.arguments ?? [];
  // Run-now arguments: appended to argv, or to the command line (quoted) for shell jobs.
  const value = job.shell && extra.length > 0 ? `${job.command} ${extra.map(shellWord).join(' ')}` : job.command;
  const args = job.shell ? undefined : [...job.arguments, ...extra];
  const ask: Record<string, number> = {};
  if (job.cpus > 0) ask.cpus = job.cpus;
  if (job.mem > 0) ask.mem = job.mem;
  if (job.disk > 0) ask.disk = job.disk;
  const spec: ChronosTaskSpec = {
    taskId,
    name: taskNameFor(job.name),
    ask,
    command: {
      value,
      shell: job.shell,
      ...(args !== undefined ? { arguments: args } : {}),
      environment: chronosEnvironment(job, run),
      ...(job.runAsUser ? { user: job.runAsUser } : {}),
      uris: job.fetch.map((f) => ({ value: f.uri, executable: f.executable, extract: f.extract, cache: f.cache, ...(f.outputFile ? { outputFile: f.outputFile } : {}) })),
    },
    labels: { 'chronos.job': job.name, 'chronos.run': run.runKey, 'chronos.attempt': String(run.attempt), ...(job.owner ? { 'chronos.owner': job.owner } : {}) },
  };
  if (job.maxCompletionTime > 0) spec.maxCompletionTimeSeconds = job.maxCompletionTime;
  const c = job.container;
  if (c) {
    spec.container =
      c.type === 'DOCKER'
        ? {
            type: 'DOCKER',
            docker: { image: c.image, network: c.network, forcePullImage: c.forcePullImage, parameters: c.parameters },
            volumes: c.volumes.filter((v) => v.hostPath !== undefined).map((v) => ({ containerPath: v.containerPath, hostPath: v.hostPath, mode: v.mode })),
          }
        : { type: 'MESOS', volumes: c.volumes.filter((v) => v.hostPath !== undefined).map((v) => ({ containerPath: v.containerPath, hostPath: v.hostPath, mode: v.mode })) };
  }
  return spec;
}
