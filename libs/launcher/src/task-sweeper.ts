import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Kills task processes an agent left behind. A SIGKILLed agent (or one told not to kill its tasks on
 * exit) leaves its tasks running; they are ours (the agent started them on our behalf), and a cluster's
 * stop must leave no process behind. We find them through the agent's checkpoints: the journal
 * <agent work dir>/meta/tasks.journal, or one file per task in meta/tasks/<frameworkId>/<taskId>.json;
 * either way a checkpoint's `pid` is the task's process (group leader).
 *
 * A pid in an old checkpoint may have been reused by an unrelated process, so a pid is only taken as
 * ours with evidence. When the checkpoint records the process' start time (`pidStartTime`, field 22 of
 * /proc/<pid>/stat) it must match. Otherwise the pid's cwd or environment must point into the agent's
 * work dir (tasks run in sandboxes there), or it must have started before the checkpoint was last written. Tasks lead their own process group
 * (the agent spawns them detached), so the group is signalled, taking along what the task started.
 */

export interface CheckpointedTask {
  pid: number;
  /** Start time of the process in clock ticks since boot, as the agent recorded it. */
  pidStartTime?: string;
  file: string;
  mtimeMs: number;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ is 100 on every Linux architecture we run on

export function readCheckpointedTasks(agentWorkDir: string): CheckpointedTask[] {
  return [...readJournal(agentWorkDir), ...readTaskFiles(agentWorkDir)];
}

/**
 * <agent work dir>/meta/tasks.journal: one JSON line per change, `{f, id, cp?, drop?}`; the last line of
 * a task wins and `drop` forgets it. A torn last line (the agent died mid-append) is skipped.
 */
function readJournal(agentWorkDir: string): CheckpointedTask[] {
  const file = path.join(agentWorkDir, 'meta', 'tasks.journal');
  let text: string;
  let mtimeMs: number;
  try {
    text = fs.readFileSync(file, 'utf8');
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const byTask = new Map<string, { pid?: unknown; pidStartTime?: unknown }>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    let doc: { f?: unknown; id?: unknown; cp?: { pid?: unknown; pidStartTime?: unknown }; drop?: unknown };
    try {
      doc = JSON.parse(line) as typeof doc;
    } catch {
      continue;
    }
    const key = `${String(doc.f)}\0${String(doc.id)}`;
    if (doc.drop) byTask.delete(key);
    else if (doc.cp) byTask.set(key, doc.cp);
  }
  return [...byTask.values()].flatMap((cp) => toTask(cp, file, mtimeMs));
}

/** The earlier layout, one file per task: <agent work dir>/meta/tasks/<frameworkId>/<taskId>.json. */
function readTaskFiles(agentWorkDir: string): CheckpointedTask[] {
  const root = path.join(agentWorkDir, 'meta', 'tasks');
  const out: CheckpointedTask[] = [];
  for (const fw of safeReaddir(root)) {
    const dir = path.join(root, fw);
    for (const name of safeReaddir(dir)) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(dir, name);
      try {
        const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown; pidStartTime?: unknown };
        out.push(...toTask(doc, file, fs.statSync(file).mtimeMs));
      } catch {
        // half-written or foreign file: nothing to kill from it
      }
    }
  }
  return out;
}

function toTask(cp: { pid?: unknown; pidStartTime?: unknown }, file: string, mtimeMs: number): CheckpointedTask[] {
  if (typeof cp.pid !== 'number' || !Number.isInteger(cp.pid) || cp.pid <= 1) return [];
  const st = cp.pidStartTime;
  const pidStartTime = typeof st === 'string' || typeof st === 'number' ? String(st) : undefined;
  return [{ pid: cp.pid, pidStartTime, file, mtimeMs }];
}

/** Live task processes of these agents that are verifiably ours. */
export function findLeftoverTasks(agentWorkDirs: readonly string[]): number[] {
  const pids = new Set<number>();
  for (const dir of agentWorkDirs) {
    const real = realpathOr(dir);
    for (const t of readCheckpointedTasks(dir)) {
      if (t.pid === process.pid || !isAlive(t.pid)) continue;
      if (t.pidStartTime !== undefined) {
        if (String(readStat(t.pid)?.startTicks) === t.pidStartTime) pids.add(t.pid);
      } else if (pointsInto(t.pid, real) || startedBefore(t.pid, t.mtimeMs)) {
        pids.add(t.pid);
      }
    }
  }
  return [...pids];
}

/** SIGTERM the leftovers (their groups), wait up to graceMs, SIGKILL what remains. Returns the pids found. */
export async function killLeftoverTasks(agentWorkDirs: readonly string[], graceMs = 2000): Promise<number[]> {
  const pids = findLeftoverTasks(agentWorkDirs);
  if (pids.length === 0) return pids;
  for (const pid of pids) signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const pid of pids) if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  const killDeadline = Date.now() + 2000;
  while (pids.some(isAlive) && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 20));
  return pids;
}

/** For exit handlers, which cannot wait: SIGKILL at once. */
export function killLeftoverTasksSync(agentWorkDirs: readonly string[]): void {
  for (const pid of findLeftoverTasks(agentWorkDirs)) signalGroup(pid, 'SIGKILL');
}

/** Alive and not a zombie (a zombie is dead, only not yet reaped by its parent). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = readStat(pid);
  return stat === undefined || stat.state !== 'Z';
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  const stat = readStat(pid);
  try {
    if (stat && stat.pgrp === pid) process.kill(-pid, sig);
    else process.kill(pid, sig);
  } catch {
    // gone meanwhile
  }
}

function pointsInto(pid: number, dir: string): boolean {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  try {
    const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    if (cwd === dir || cwd.startsWith(prefix)) return true;
  } catch {
    // no access: fall through to the environment
  }
  try {
    return fs.readFileSync(`/proc/${pid}/environ`).toString('utf8').includes(prefix);
  } catch {
    return false;
  }
}

function startedBefore(pid: number, mtimeMs: number): boolean {
  const stat = readStat(pid);
  const boot = bootTimeMs();
  if (!stat || boot === undefined) return false;
  const startedMs = boot + (stat.startTicks / CLOCK_TICKS_PER_SECOND) * 1000;
  // one second of slack: btime has second resolution
  return startedMs <= mtimeMs + 1000;
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat): with the pid, an identity. */
export function processStartTicks(pid: number): string | undefined {
  const st = readStat(pid);
  return st ? String(st.startTicks) : undefined;
}

/** Signals the process' group when it leads one (our children and the agents' tasks do), else the process. */
export function signalProcessGroup(pid: number, sig: NodeJS.Signals): void {
  signalGroup(pid, sig);
}

interface ProcStat {
  state: string;
  pgrp: number;
  startTicks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may contain spaces and parentheses: fields are counted after its closing ')'
    const rest = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state); pgrp is field 5; starttime is field 22
    return { state: rest[0] ?? '', pgrp: Number(rest[2]), startTicks: Number(rest[19]) };
  } catch {
    return undefined;
  }
}

let bootMs: number | undefined;
function bootTimeMs(): number | undefined {
  if (bootMs !== undefined) return bootMs;
  try {
    const m = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'));
    if (m?.[1]) bootMs = Number(m[1]) * 1000;
  } catch {
    // not Linux
  }
  return bootMs;
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function realpathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
