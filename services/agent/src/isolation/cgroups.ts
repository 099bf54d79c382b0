import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '@agora/logging';
import { cgroupSlug, cpuShares, cpuWeight, MIN_MEMORY_LIMIT_MB, readCounter } from './cgroup-names';

export type IsolatorKind = 'cgroups-v1' | 'cgroups-v2' | 'none';

/** The cgroups one task runs in: one directory per v1 controller, or one v2 directory. */
export interface TaskCgroups {
  dirs: string[];
  /** The files the wrapper writes its pid into. */
  procsFiles: string[];
  /** The memory limit actually applied, in MB (undefined: none). */
  memLimitMb?: number;
}

export interface TaskLimits {
  cpus?: number;
  memMb?: number;
}

/**
 * Puts a task's processes in cgroups with its memory limit and cpu share, tells afterwards whether the
 * OOM killer struck, and removes the groups. Chosen once at start-up by `detectIsolator`.
 */
export interface Isolator {
  readonly kind: IsolatorKind;
  /** Creates the task's groups and sets their limits, before the task starts. Throws on failure. */
  prepare(agentId: string, groupName: string, limits: TaskLimits): TaskCgroups;
  /** After the task ended: did the memory cgroup's OOM killer kill something in it? */
  oomKilled(dirs: readonly string[], endedBySigkill: boolean): boolean;
  /** Kills whatever is left in the groups and removes them (best effort, idempotent). */
  destroy(dirs: readonly string[]): Promise<void>;
  /** Start-up: removes this agent's empty task groups that no recovered task owns (left by a crash). */
  sweep(agentId: string, keep: ReadonlySet<string>): number;
  /** Orderly stop with no task left: removes this agent's own (empty) groups. */
  removeAgentGroups(agentId: string): void;
}

export const NO_ISOLATION: Isolator = {
  kind: 'none',
  prepare: () => ({ dirs: [], procsFiles: [] }),
  oomKilled: () => false,
  destroy: async () => undefined,
  sweep: () => 0,
  removeAgentGroups: () => undefined,
};

const AGORA_DIR = 'agora';

/**
 * Finds usable cgroups under `root`: v2 (a unified hierarchy with the memory controller) or v1 (a
 * writable memory hierarchy, cpu if present). Returns the reason when there are none.
 *
 * CPU weights: a task's group weighs 1024 shares (v1; 100 in v2) per cpu it was given, as in Mesos.
 * Above it, the agent's group and the shared `agora` group weigh what the agent offers (`agentCpus`,
 * the `agora` group the most any agent on the machine offers) — as Kubernetes weighs `kubepods` by the
 * node's allocatable cpus. With the kernel's default weight there instead, all tasks together would
 * count as one busy process against every daemon on the machine, and a burst of work in the agent, the
 * master or a framework would starve them (a burst of cron jobs woken at one instant started up to
 * 1.5 s late that way).
 */
export function detectIsolator(root: string, log: Logger, agentCpus?: number): Isolator | { unavailable: string } {
  try {
    if (fs.existsSync(path.join(root, 'cgroup.controllers'))) return detectV2(root, log, agentCpus);
    return detectV1(root, log, agentCpus);
  } catch (e) {
    return { unavailable: errText(e) };
  }
}

function detectV1(root: string, log: Logger, agentCpus: number | undefined): Isolator | { unavailable: string } {
  const memRoot = path.join(root, 'memory');
  if (!fs.existsSync(path.join(memRoot, 'memory.limit_in_bytes'))) return { unavailable: `no cgroup v1 memory hierarchy at ${memRoot}` };
  const probe = (ctrlRoot: string): string | undefined => {
    const dir = path.join(ctrlRoot, AGORA_DIR, `.probe-${process.pid}`);
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.rmdirSync(dir);
      return undefined;
    } catch (e) {
      return errText(e);
    }
  };
  const memErr = probe(memRoot);
  if (memErr) return { unavailable: `cannot create memory cgroups: ${memErr}` };
  const cpuRoot = path.join(root, 'cpu');
  const cpuOk = fs.existsSync(path.join(cpuRoot, 'cpu.shares')) && probe(cpuRoot) === undefined;
  if (!cpuOk) log.info('cgroup v1 cpu controller unusable: tasks get memory limits only');
  const hasMemsw = fs.existsSync(path.join(memRoot, 'memory.memsw.limit_in_bytes'));

  const knownAgents = new Set<string>();
  const agentDirs = (agentId: string) => [memRoot, ...(cpuOk ? [cpuRoot] : [])].map((r) => path.join(r, AGORA_DIR, cgroupSlug(agentId)));

  return {
    kind: 'cgroups-v1',
    prepare(agentId, groupName, limits) {
      if (!knownAgents.has(agentId)) {
        for (const d of agentDirs(agentId)) fs.mkdirSync(d, { recursive: true });
        if (cpuOk && agentCpus) weighAgentGroup(path.join(cpuRoot, AGORA_DIR, cgroupSlug(agentId)), 'cpu.shares', cpuShares(agentCpus), V1_MAX_SHARES);
        knownAgents.add(agentId);
      }
      const memDir = path.join(memRoot, AGORA_DIR, cgroupSlug(agentId), groupName);
      makeGroup(memDir);
      const dirs = [memDir];
      let memLimitMb: number | undefined;
      if (limits.memMb !== undefined && limits.memMb > 0) {
        memLimitMb = Math.max(MIN_MEMORY_LIMIT_MB, Math.ceil(limits.memMb));
        const bytes = String(memLimitMb * 1024 * 1024);
        fs.writeFileSync(path.join(memDir, 'memory.limit_in_bytes'), bytes);
        // memory+swap equal to memory: the task cannot dodge its limit by swapping
        if (hasMemsw) fs.writeFileSync(path.join(memDir, 'memory.memsw.limit_in_bytes'), bytes);
        tryWrite(path.join(memDir, 'memory.swappiness'), '0');
      }
      if (cpuOk) {
        const cpuDir = path.join(cpuRoot, AGORA_DIR, cgroupSlug(agentId), groupName);
        makeGroup(cpuDir);
        if (limits.cpus !== undefined && limits.cpus > 0) fs.writeFileSync(path.join(cpuDir, 'cpu.shares'), String(cpuShares(limits.cpus)));
        dirs.push(cpuDir);
      }
      return { dirs, procsFiles: dirs.map((d) => path.join(d, 'cgroup.procs')), memLimitMb };
    },
    oomKilled(dirs, endedBySigkill) {
      const memDir = dirs.find((d) => d.startsWith(memRoot + '/'));
      if (!memDir) return false;
      const ctl = readText(path.join(memDir, 'memory.oom_control'));
      const kills = ctl === undefined ? undefined : readCounter(ctl, 'oom_kill');
      if (kills !== undefined) return kills > 0;
      // kernels before 4.13 have no oom_kill counter: a SIGKILL after hitting the limit is the OOM killer
      const failcnt = Number(readText(path.join(memDir, 'memory.failcnt')) ?? '0');
      return endedBySigkill && failcnt > 0;
    },
    destroy: destroyDirs,
    sweep: (agentId, keep) => sweepDirs(agentDirs(agentId), keep),
    removeAgentGroups: (agentId) => removeEmptyDirs(agentDirs(agentId)),
  };
}

function detectV2(root: string, log: Logger, agentCpus: number | undefined): Isolator | { unavailable: string } {
  const controllers = (readText(path.join(root, 'cgroup.controllers')) ?? '').split(/\s+/);
  if (!controllers.includes('memory')) return { unavailable: 'the cgroup v2 hierarchy has no memory controller' };
  const wanted = controllers.includes('cpu') ? ['memory', 'cpu'] : ['memory'];
  const base = path.join(root, AGORA_DIR);
  try {
    enableControllers(root, wanted);
    fs.mkdirSync(base, { recursive: true });
    enableControllers(base, wanted);
    const probe = path.join(base, `.probe-${process.pid}`);
    fs.mkdirSync(probe);
    const ok = fs.existsSync(path.join(probe, 'memory.max'));
    fs.rmdirSync(probe);
    if (!ok) return { unavailable: `memory controller not delegated to ${base}` };
  } catch (e) {
    return { unavailable: `cannot set up cgroup v2 under ${base}: ${errText(e)}` };
  }
  const cpuOk = wanted.includes('cpu');
  if (!cpuOk) log.info('cgroup v2 cpu controller unavailable: tasks get memory limits only');
  const knownAgentDirs = new Set<string>();

  return {
    kind: 'cgroups-v2',
    prepare(agentId, groupName, limits) {
      const agentDir = path.join(base, cgroupSlug(agentId));
      if (!knownAgentDirs.has(agentDir)) {
        fs.mkdirSync(agentDir, { recursive: true });
        enableControllers(agentDir, wanted);
        if (cpuOk && agentCpus) weighAgentGroup(agentDir, 'cpu.weight', cpuWeight(agentCpus), V2_MAX_WEIGHT);
        knownAgentDirs.add(agentDir);
      }
      const dir = path.join(agentDir, groupName);
      makeGroup(dir);
      let memLimitMb: number | undefined;
      if (limits.memMb !== undefined && limits.memMb > 0) {
        memLimitMb = Math.max(MIN_MEMORY_LIMIT_MB, Math.ceil(limits.memMb));
        fs.writeFileSync(path.join(dir, 'memory.max'), String(memLimitMb * 1024 * 1024));
        tryWrite(path.join(dir, 'memory.swap.max'), '0');
      }
      if (cpuOk && limits.cpus !== undefined && limits.cpus > 0) tryWrite(path.join(dir, 'cpu.weight'), String(cpuWeight(limits.cpus)));
      return { dirs: [dir], procsFiles: [path.join(dir, 'cgroup.procs')], memLimitMb };
    },
    oomKilled(dirs) {
      const dir = dirs[0];
      if (!dir) return false;
      const events = readText(path.join(dir, 'memory.events'));
      return (events === undefined ? 0 : (readCounter(events, 'oom_kill') ?? 0)) > 0;
    },
    destroy: destroyDirs,
    sweep: (agentId, keep) => sweepDirs([path.join(base, cgroupSlug(agentId))], keep),
    removeAgentGroups: (agentId) => removeEmptyDirs([path.join(base, cgroupSlug(agentId))]),
  };
}

const V1_MAX_SHARES = 262_144;
const V2_MAX_WEIGHT = 10_000;

/**
 * Gives an agent's group the weight of the cpus it offers, and raises the shared `agora` group above it
 * to at least as much (several agents on one machine: the largest; never lowered, so agents starting in
 * any order agree). Best effort: without it tasks still run, only with the kernel's default weight.
 */
function weighAgentGroup(agentDir: string, file: 'cpu.shares' | 'cpu.weight', weight: number, max: number): void {
  const w = Math.min(max, weight);
  tryWrite(path.join(agentDir, file), String(w));
  const shared = path.join(path.dirname(agentDir), file);
  const current = Number((readText(shared) ?? '').trim());
  if (!(current >= w)) tryWrite(shared, String(w));
}

function removeEmptyDirs(dirs: readonly string[]): void {
  for (const dir of dirs) {
    try {
      fs.rmdirSync(dir);
    } catch {
      // tasks' groups still in it (tasks left running), or gone already
    }
  }
}

function sweepDirs(agentDirs: readonly string[], keep: ReadonlySet<string>): number {
  let removed = 0;
  for (const agentDir of agentDirs) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(agentDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      continue;
    }
    for (const name of names) {
      const dir = path.join(agentDir, name);
      if (keep.has(dir) || (readText(path.join(dir, 'cgroup.procs')) ?? '').trim() !== '') continue;
      try {
        fs.rmdirSync(dir);
        removed++;
      } catch {
        // busy after all
      }
    }
  }
  return removed;
}

function enableControllers(dir: string, wanted: readonly string[]): void {
  const current = (readText(path.join(dir, 'cgroup.subtree_control')) ?? '').split(/\s+/);
  const missing = wanted.filter((c) => !current.includes(c));
  if (missing.length) fs.writeFileSync(path.join(dir, 'cgroup.subtree_control'), missing.map((c) => `+${c}`).join(' '));
}

/**
 * Creates a task's group (and its parents the first time). A group left over by an earlier run of the
 * same task id is emptied and made anew, so its counters (OOM kills) start from zero.
 */
function makeGroup(dir: string): void {
  try {
    fs.mkdirSync(dir);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      fs.mkdirSync(dir, { recursive: true });
      return;
    }
    if (code !== 'EEXIST') throw e;
  }
  killProcs(dir);
  try {
    fs.rmdirSync(dir);
    fs.mkdirSync(dir);
  } catch {
    // still busy: the new task shares it, which is no worse than a stale container elsewhere
  }
}

function killProcs(dir: string): number {
  const pids = (readText(path.join(dir, 'cgroup.procs')) ?? '').split('\n').filter(Boolean).map(Number);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids.length;
}

async function destroyDirs(dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) {
    for (let attempt = 0; attempt < 40; attempt++) {
      if (attempt > 0) killProcs(dir);
      try {
        fs.rmdirSync(dir);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function tryWrite(file: string, value: string): void {
  try {
    fs.writeFileSync(file, value);
  } catch {
    // optional knob (swappiness on the root-less hierarchy, swap.max without swap accounting)
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
