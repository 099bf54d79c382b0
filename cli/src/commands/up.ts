import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { DEFAULT_PORTS } from '@agora/contracts';
import { ALL_COMPONENTS, Cluster, type Instance, type ProgressEvent, killAllChildrenSync, killStaleProcesses, isAlive } from '@agora/launcher';
import { LOG_LEVELS } from '@agora/logging';
import { integerAtLeast } from '../options';
import { renderTable } from '../output/table';

interface UpOptions {
  agents: number;
  masters: number;
  workDir: string;
  portOffset: number;
  logLevel: string;
}

/**
 * `agora up`: the whole cluster on this machine, in the foreground. NATS, a persistent one-server
 * Consul (so app and job definitions survive a restart), the master(s) and the agents, each waited for;
 * then a table of where everything listens and logs. Ctrl-C or SIGTERM stops everything in reverse order,
 * including task processes the agents left running, and exits 0.
 */
export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('start a single-node cluster in the foreground (Ctrl-C stops it)')
    .option('--agents <n>', 'agents to start; agent N listens on 127.0.1.N', integerAtLeast(0, '--agents'), 1)
    .option('--masters <n>', 'masters to start (more than one: leader election on one machine)', integerAtLeast(0, '--masters'), 1)
    .option('--work-dir <dir>', 'logs, Consul data, agent sandboxes and checkpoints', './.agora')
    .option('--port-offset <k>', 'add K to every default port (run a second cluster beside the first)', integerAtLeast(0, '--port-offset'), 0)
    .addOption(new Option('--log-level <level>', 'log level of every component').choices(LOG_LEVELS).default('info'))
    .action(async (opts: UpOptions) => {
      process.exit(await runUp(opts));
    });
}

export async function runUp(opts: UpOptions): Promise<number> {
  const out = process.stdout;
  const workDir = path.resolve(opts.workDir);
  fs.mkdirSync(workDir, { recursive: true });
  const lock = takeLock(workDir);
  if (typeof lock === 'string') {
    process.stderr.write(`agora: ${lock}\n`);
    return 1;
  }

  // a previous `agora up` here that was SIGKILLed could not stop its children: do it now
  const stale = await killStaleProcesses(workDir);
  if (stale.length > 0) out.write(`agora: stopped ${stale.join(', ')}, left running by a previous \`agora up\` that was killed\n`);

  const cluster = new Cluster({
    workDir,
    agents: opts.agents,
    masters: opts.masters,
    portOffset: opts.portOffset,
    ports: 'fixed',
    consul: 'persistent',
    logLevel: opts.logLevel,
    onProgress: (e) => out.write(progressText(e)),
  }, ALL_COMPONENTS);

  let stopping = false;
  let firstSignalAt = 0;
  let wake: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => (wake = resolve));
  const onSignal = (sig: NodeJS.Signals): void => {
    if (stopping) {
      // under `npm start` one Ctrl-C arrives twice (from the terminal, and forwarded by npm)
      if (Date.now() - firstSignalAt < 1000) return;
      // second Ctrl-C: no more waiting
      out.write(`\n${sig} again: killing everything now\n`);
      killAllChildrenSync();
      lock.release();
      process.exit(130);
    }
    stopping = true;
    firstSignalAt = Date.now();
    out.write(`\n${sig}: stopping the cluster (again to kill at once)\n`);
    wake();
    void cluster.stop();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  // `npm start` runs us under `sh -c`; npm forwards SIGTERM to that shell, which dies of it and leaves us
  // running. Under npm, losing our parent therefore means "stop".
  const parent = process.ppid;
  const orphanWatch = process.env.npm_lifecycle_event
    ? setInterval(() => {
        if (process.ppid !== parent && !stopping) onSignal('SIGTERM');
      }, 500).unref()
    : undefined;

  try {
    out.write(`agora: starting a cluster in ${rel(workDir)} (${opts.masters} master${opts.masters === 1 ? '' : 's'}, ${opts.agents} agent${opts.agents === 1 ? '' : 's'})\n`);
    try {
      await cluster.start();
    } catch (e) {
      if (stopping) {
        await cluster.stop();
        out.write('stopped\n');
        return 0;
      }
      process.stderr.write(`agora: the cluster did not start:\n${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }

    const instances = cluster.instances();
    out.write('\n' + summary(cluster, instances) + '\n');
    fs.writeFileSync(path.join(workDir, 'endpoints.json'), JSON.stringify({ pid: process.pid, ...cluster.endpoints }, null, 2) + '\n');
    cluster.onUnexpectedExit((inst, info) => {
      const how = info.signal ? `was killed by ${info.signal}` : `exited with code ${info.code}`;
      process.stderr.write(`agora: ${inst.name} ${how}; last lines of ${rel(inst.logFile)}:\n${indent(inst.proc.logTail(15))}\n`);
    });

    // the children keep the event loop alive, but not if they all die: this does until we are told to stop
    const keepAlive = setInterval(() => undefined, 1 << 30);
    await stopRequested;
    clearInterval(keepAlive);
    await cluster.stop();
    out.write('stopped\n');
    return 0;
  } finally {
    for (const s of signals) process.removeListener(s, onSignal);
    clearInterval(orphanWatch);
    try {
      fs.rmSync(path.join(workDir, 'endpoints.json'), { force: true });
    } catch {
      // best effort
    }
    lock.release();
  }
}

function progressText(e: ProgressEvent): string {
  const what = e.count > 1 ? `${e.count} ${e.kind}s` : e.kind;
  const secs = e.ms !== undefined ? ` (${(e.ms / 1000).toFixed(1)} s)` : '';
  switch (e.phase) {
    case 'starting':
      return `starting ${what}… `;
    case 'ready':
      return `ok${secs}\n`;
    case 'failed':
      return `failed${secs}\n`;
    case 'skipped':
      return `${what}: skipped (${e.detail ?? 'not built'})\n`;
    case 'stopping':
      return `stopping ${what}… `;
    case 'stopped':
      return `ok${secs}\n`;
  }
}

function summary(cluster: Cluster, instances: Instance[]): string {
  const rows = instances.map((i) => [i.name, i.listens, rel(i.logFile)]);
  let text = renderTable(['component', 'listens on', 'log'], rows);
  const master = cluster.endpoints.masters[0];
  if (master) text += `\nweb UI: ${master.url}/ui/\n`;
  if (master && master.port !== DEFAULT_PORTS.master) text += `\nother shells: export AGORA_MASTER=${master.url}\n`;
  text += `\ntry: npx agora node list · npx agora execute --name hello --command 'echo hello' · npx agora task list\n`;
  text += `endpoints: ${rel(path.join(cluster.opts.workDir, 'endpoints.json'))} · Ctrl-C stops everything\n`;
  return text;
}

/** One `agora up` per work dir: two would fight over ports and Consul's data. */
function takeLock(workDir: string): { release(): void } | string {
  const file = path.join(workDir, 'agora-up.pid');
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      return `another \`agora up\` (pid ${pid}) is running in ${rel(workDir)}; stop it, or use --work-dir and --port-offset`;
    }
  } catch {
    // no lock yet
  }
  fs.writeFileSync(file, `${process.pid}\n`);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.rmSync(file);
      } catch {
        // already gone
      }
    },
  };
}

function rel(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
