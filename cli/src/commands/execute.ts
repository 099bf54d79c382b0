import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import { Command, Option } from 'commander';
import { isAgoraError, Offer, TaskStatus } from '@agora/contracts';
import { formatResources, isTerminal, resources } from '@agora/model';
import { fits, formatAsk, largest, LaunchTask, ResourceAsk, SchedulerDriver, whyNotFits } from '@agora/framework-sdk';
import { cliLogger, connectToCluster } from '../cluster/connect';
import { action, CliError, messageOf } from '../errors';
import { collectEnv, masterOption, numberAtLeast } from '../options';

export interface ExecuteOptions {
  name: string;
  command: string;
  cpus: number;
  mem: number;
  disk: number;
  env: Record<string, string>;
  role?: string;
  shell: boolean;
  gracePeriod?: number;
  master: string;
  nats?: string;
  offerTimeout: number;
  /** Run the command in a container of this image (the agent's docker containerizer), host networking. */
  dockerImage?: string;
}

/** Exit status when the user interrupts (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;
/** Declined offers that do not fit come back after this long (resources may have been freed by then). */
const NO_FIT_REFUSE_SECONDS = 2;
/** After the launch nothing more is wanted: keep the rest away (the framework is torn down soon anyway). */
const DONE_REFUSE_SECONDS = 3600;
/** How long to wait, after a kill, for the task's terminal update before tearing down regardless. */
const KILL_WAIT_EXTRA_MS = 15_000;

/** A task id from the name: the path-safe part of it plus a random suffix (`sleep.3f9a1c2e`). */
export function taskIdFor(name: string, random = randomBytes(4).toString('hex')): string {
  const base = name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '').slice(0, 180) || 'task';
  return `${base}.${random}`;
}

/** What the process exits with for a terminal state: 0 finished, the command's status when it failed, 1 otherwise. */
export function exitCodeFor(status: Pick<TaskStatus, 'state' | 'exitCode'>): number {
  if (status.state === 'TASK_FINISHED') return 0;
  if (status.state === 'TASK_FAILED' && status.exitCode !== undefined && status.exitCode > 0 && status.exitCode < 256) return status.exitCode;
  return 1;
}

/** One line per state change: `TASK_RUNNING on 127.0.1.1`, `TASK_FAILED: Command exited with status 3`. */
export function stateLine(status: Pick<TaskStatus, 'state' | 'message'>, hostname: string | undefined): string {
  const where = hostname && !isTerminal(status.state) ? ` on ${hostname}` : '';
  const message = status.message ? `: ${status.message}` : '';
  return `${status.state}${where}${message}\n`;
}

export function taskFor(opts: ExecuteOptions, taskId: string): LaunchTask {
  const words = opts.command.trim().split(/\s+/);
  const image = opts.dockerImage?.trim();
  const command = opts.shell
    ? { value: opts.command, shell: true, environment: opts.env }
    : image
      ? // in a container the words are the CMD, after the image's entrypoint (as `docker run IMAGE words…`)
        { shell: false, arguments: words, environment: opts.env }
      : { value: words[0] ?? '', shell: false, arguments: words, environment: opts.env };
  return {
    taskId,
    name: opts.name,
    resources: resources({ cpus: opts.cpus, mem: opts.mem, disk: opts.disk }),
    command,
    ...(image ? { container: { type: 'DOCKER' as const, docker: { image, network: 'HOST' as const } } } : {}),
    ...(opts.gracePeriod !== undefined ? { killPolicy: { gracePeriodSeconds: opts.gracePeriod } } : {}),
  };
}

/**
 * `agora execute`: a one-task framework, like mesos-execute. Subscribes, waits for an offer that fits,
 * launches, prints each state change, tears the framework down and returns the exit status.
 */
export async function execute(opts: ExecuteOptions, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }): Promise<number> {
  if (opts.command.trim() === '') throw new CliError('--command must not be empty');
  const log = cliLogger();
  const { bus, natsUrl } = await connectToCluster(opts.master, opts.nats, log);

  const ask: ResourceAsk = { scalars: { cpus: opts.cpus, mem: opts.mem, disk: opts.disk } };
  const taskId = taskIdFor(opts.name);
  const task = taskFor(opts, taskId);
  let phase: 'waiting' | 'launching' | 'launched' | 'done' = 'waiting';
  let placement: { agentId: string; hostname: string } | undefined;
  let lastState: string | undefined;
  let biggest: Offer | undefined;
  let interrupted = false;
  let killTimer: NodeJS.Timeout | undefined;

  let settle!: (code: number) => void;
  let abort!: (e: unknown) => void;
  const outcome = new Promise<number>((resolve, reject) => {
    settle = resolve;
    abort = reject;
  });

  const killTask = () => {
    if (!placement) return;
    io.err.write(`agora: killing task ${taskId}\n`);
    const grace = opts.gracePeriod ?? 3;
    killTimer = setTimeout(() => settle(EXIT_INTERRUPTED), grace * 1000 + KILL_WAIT_EXTRA_MS);
    driver.kill(taskId, placement.agentId, opts.gracePeriod).catch((e: unknown) => {
      io.err.write(`agora: could not kill ${taskId}: ${messageOf(e)}\n`);
      settle(EXIT_INTERRUPTED);
    });
  };

  const driver = new SchedulerDriver(
    {
      bus,
      info: {
        name: 'agora-execute',
        user: os.userInfo().username,
        role: opts.role ?? '*',
        failoverTimeoutSeconds: 0,
        hostname: os.hostname(),
        labels: { 'agora.cli': 'execute' },
      },
      log,
      reconcileOnSubscribe: false,
      subscribeTimeoutMs: 15_000,
    },
    {
      offers: async (offers) => {
        if (phase !== 'waiting') {
          await driver.decline(offers.map((o) => o.id), { refuseSeconds: DONE_REFUSE_SECONDS }).catch(() => undefined);
          return;
        }
        biggest = largest(biggest ? [biggest, ...offers] : offers);
        const fit = offers.find((o) => fits(ask, o.resources));
        const others = offers.filter((o) => o !== fit).map((o) => o.id);
        if (others.length) await driver.decline(others, { refuseSeconds: NO_FIT_REFUSE_SECONDS }).catch(() => undefined);
        if (!fit) return;
        phase = 'launching';
        try {
          await driver.launch([fit], [task], { refuseSeconds: DONE_REFUSE_SECONDS });
        } catch (e) {
          // The offer went away between offer and accept (rescinded, agent lost): wait for the next one.
          if (interrupted) {
            phase = 'done';
            settle(EXIT_INTERRUPTED);
            return;
          }
          if (isAgoraError(e, 'UNKNOWN_OFFER')) {
            phase = 'waiting';
            return;
          }
          phase = 'done';
          abort(e);
          return;
        }
        phase = 'launched';
        placement = { agentId: fit.agentId, hostname: fit.hostname };
        io.out.write(`Launched task ${taskId} on ${fit.hostname}\n`);
        if (interrupted) killTask();
        else driver.suppress().catch(() => undefined);
      },
      update: (status) => {
        if (status.taskId !== taskId) return;
        if (status.state !== lastState) {
          lastState = status.state;
          io.out.write(stateLine(status, placement?.hostname));
        }
        if (isTerminal(status.state)) {
          phase = 'done';
          settle(interrupted ? EXIT_INTERRUPTED : exitCodeFor(status));
        }
      },
      failure: (agentId) => {
        if (placement?.agentId === agentId) io.err.write(`agora: the agent running ${taskId} was lost\n`);
      },
      error: (message) => abort(new CliError(`the master ended the framework: ${message}`)),
    },
  );

  const noFitTimer = setTimeout(() => {
    if (phase !== 'waiting') return;
    phase = 'done';
    const reason = biggest
      ? `no offer fits ${formatAsk(ask)} within ${opts.offerTimeout} s; the largest offer was ${formatResources(biggest.resources)} on ${biggest.hostname} (${whyNotFits(ask, biggest.resources) ?? 'it fits now: try again'})`
      : `no offers arrived within ${opts.offerTimeout} s: is an agent registered (agora node list) with resources left for role "${opts.role ?? '*'}"?`;
    abort(new CliError(reason));
  }, opts.offerTimeout * 1000);

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      io.err.write(`agora: ${signal} again, exiting without waiting\n`);
      process.exit(EXIT_INTERRUPTED);
    }
    interrupted = true;
    if (phase === 'launched') killTask();
    else if (phase !== 'launching') settle(EXIT_INTERRUPTED);
    // launching: the launch either succeeds (then the task is killed) or fails (then we settle below).
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let subscribed = false;
  try {
    try {
      await driver.start();
      subscribed = true;
    } catch (e) {
      if (isAgoraError(e, 'NO_LEADER') || isAgoraError(e, 'TIMEOUT')) {
        throw new CliError(`no leading master answered on ${natsUrl} within 15 s`);
      }
      throw e;
    }
    if (interrupted && phase === 'waiting') settle(EXIT_INTERRUPTED);
    return await outcome;
  } finally {
    clearTimeout(noFitTimer);
    if (killTimer) clearTimeout(killTimer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (subscribed && !driver.isStopped) {
      await driver.teardown().catch((e: unknown) => io.err.write(`agora: teardown failed: ${messageOf(e)}\n`));
    } else {
      await driver.stop();
    }
    await bus.close();
  }
}

export function registerExecuteCommand(program: Command): void {
  program
    .command('execute')
    .description('run one command as a task on the cluster and wait for it, like mesos-execute')
    .requiredOption('--name <name>', 'task name (the task id is <name>.<random>)')
    .requiredOption('--command <command>', 'command line to run')
    .option('--cpus <n>', 'cpus', numberAtLeast(0, '--cpus', true), 0.1)
    .option('--mem <mb>', 'memory in MB', numberAtLeast(0, '--mem'), 32)
    .option('--disk <mb>', 'disk in MB', numberAtLeast(0, '--disk'), 0)
    .option('--env <NAME=VALUE>', 'environment variable (repeatable)', collectEnv, {})
    .option('--role <role>', 'role to subscribe with', '*')
    .option('--shell', 'run the command under /bin/sh -c (default)')
    .option('--no-shell', 'run the command directly: first word is the executable, the rest its arguments')
    .option('--grace-period <s>', 'seconds between SIGTERM and SIGKILL when the task is killed', numberAtLeast(0, '--grace-period'))
    .option('--docker-image <image>', 'run the command in a Docker container of this image (host networking)')
    .option('--offer-timeout <s>', 'give up when no offer fits within this many seconds', numberAtLeast(0, '--offer-timeout', true), 30)
    .addOption(new Option('--nats <url>', 'NATS URL (default: the one the master reports)'))
    .addOption(masterOption())
    .action(
      action(async (opts: ExecuteOptions & { shell?: boolean }) => {
        const code = await execute({ ...opts, shell: opts.shell !== false }, { out: process.stdout, err: process.stderr });
        return code;
      }),
    );
}
