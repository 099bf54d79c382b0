import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlive, killLeftoverTasks, processStartTicks, signalProcessGroup } from './task-sweeper';

/**
 * A launcher killed with SIGKILL cannot stop its children. So every child is recorded in
 * <workDir>/processes.json as (name, pid, start time), and the next launcher on that work dir kills what
 * is still alive from that list before it starts. The start time (recorded at spawn) proves a pid is
 * still the process we started and not a reused pid.
 */
interface Entry {
  name: string;
  pid: number;
  startTicks: string;
}

const FILE = 'processes.json';

export function recordProcess(workDir: string, name: string, pid: number): void {
  const startTicks = processStartTicks(pid);
  if (startTicks === undefined) return;
  const entries = read(workDir).filter((e) => e.pid !== pid && isAlive(e.pid));
  entries.push({ name, pid, startTicks });
  fs.writeFileSync(path.join(workDir, FILE), JSON.stringify(entries, null, 1) + '\n');
}

export function forgetProcesses(workDir: string): void {
  fs.rmSync(path.join(workDir, FILE), { force: true });
}

/**
 * Kills components a previous launcher on this work dir left running, and the tasks of its agents.
 * Only call it when that launcher is known to be gone (`agora up` checks its lock file first).
 * Returns the names of the components killed.
 */
export async function killStaleProcesses(workDir: string, graceMs = 5000): Promise<string[]> {
  const stale = read(workDir).filter((e) => isAlive(e.pid) && processStartTicks(e.pid) === e.startTicks);
  for (const e of stale) signalProcessGroup(e.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (stale.some((e) => isAlive(e.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const e of stale) if (isAlive(e.pid)) signalProcessGroup(e.pid, 'SIGKILL');
  const agentDirs = fs.existsSync(workDir)
    ? fs.readdirSync(workDir).filter((d) => /^agent-\d+$/.test(d)).map((d) => path.join(workDir, d))
    : [];
  await killLeftoverTasks(agentDirs);
  forgetProcesses(workDir);
  return stale.map((e) => e.name);
}

function read(workDir: string): Entry[] {
  try {
    const doc = JSON.parse(fs.readFileSync(path.join(workDir, FILE), 'utf8')) as unknown;
    if (!Array.isArray(doc)) return [];
    return doc.filter(
      (e): e is Entry => typeof e === 'object' && e !== null && typeof e.pid === 'number' && typeof e.name === 'string' && typeof e.startTicks === 'string',
    );
  } catch {
    return [];
  }
}
