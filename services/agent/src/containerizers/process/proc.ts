import * as fs from 'node:fs';

/**
 * Process facts from /proc. A pid alone is not an identity (pids are recycled), so a process is
 * "ours" only when its start time (field 22 of /proc/<pid>/stat, in clock ticks since boot) matches
 * the one recorded at launch.
 */
export interface ProcStat {
  state: string;
  startTime: string;
}

export function parseProcStat(text: string): ProcStat | undefined {
  // the command name (field 2) is in parentheses and may itself contain spaces and ')'
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const rest = text.slice(close + 2).split(' ');
  const state = rest[0];
  const startTime = rest[19];
  if (state === undefined || startTime === undefined) return undefined;
  return { state, startTime };
}

export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Alive, not a zombie, and the same process that was launched (when its start time is known). */
export function isSameProcessAlive(pid: number, startTime: string | undefined): boolean {
  const st = readProcStat(pid);
  if (!st || st.state === 'Z' || st.state === 'X') return false;
  return startTime === undefined || st.startTime === startTime;
}

/**
 * Which of these process groups still have a live (non-zombie) member. kill(-pgid, 0) alone is not
 * enough: a task's processes are re-parented to init when the wrapper dies, and an init that reaps
 * lazily leaves zombies that still count as group members. One /proc scan answers for every group.
 */
export function liveProcessGroups(pgids: ReadonlySet<number>): Set<number> {
  const alive = new Set<number>();
  const candidates = new Set<number>();
  for (const g of pgids) {
    try {
      process.kill(-g, 0);
      candidates.add(g);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPERM') alive.add(g);
    }
  }
  if (candidates.size === 0) return alive;
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    for (const g of candidates) alive.add(g);
    return alive;
  }
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let text: string;
    try {
      text = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ', 3);
    const pgrp = Number(rest[2]);
    if (rest[0] !== 'Z' && rest[0] !== 'X' && candidates.has(pgrp)) alive.add(pgrp);
  }
  return alive;
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
