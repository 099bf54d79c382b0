import { execFileSync, spawn, type StdioOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ByeRequest, SpawnerMessage, SpawnRequest } from './spawner-protocol';

/**
 * The agent's spawner: a bare Node process (nothing imported beyond Node itself, so it stays small and
 * its forks stay cheap) that creates sandboxes, spawns task wrappers on the agent's behalf, reaps them
 * and reports their pids and exit statuses.
 *
 * Tasks are detached (own session and process group). When the agent goes away (the IPC channel
 * closes) the spawner stays behind as their reaper: every exit it can no longer deliver — and those it
 * delivered in the last moments, which a dying agent may not have recorded — is written to the task's
 * exit-status file for the next agent to read. It exits once its last task has.
 */
const RECENT_MS = 10_000;
const live = new Map<number, string>(); // pid → status file
let recent: { statusFile: string; status: number; at: number }[] = [];

function send(m: SpawnerMessage): boolean {
  if (!process.connected || !process.send) return false;
  process.send(m);
  return true;
}

function writeStatus(file: string, status: number): void {
  try {
    fs.writeFileSync(file, `${status}\n`);
  } catch {
    // the sandbox is gone: nobody to tell
  }
}

/**
 * Launch ahead: the wrapper's $1, the instant to start at as /proc/uptime in centiseconds (rounded up),
 * 0 when past (the same arithmetic as wrapper-script.ts' uptimeCentiseconds, which this file cannot import).
 */
function startArg(atMs: number): number {
  const now = Date.now();
  if (!(atMs > now)) return 0;
  const up = Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Number.isFinite(up) ? Math.ceil(up * 100 + (atMs - now) / 10) : 0;
}

/**
 * Launch ahead: wrappers due at one instant share one pipe (fd 3 in each) and are woken together by one
 * write of a line per wrapper — far cheaper at the due instant than a sleeping process per wrapper or a
 * write per wrapper. A group is kept well below the 64 KiB a pipe holds, so that write never blocks.
 */
interface WakeGroup {
  at: number;
  readFd: number;
  writeFd: number;
  ids: number[];
  timer: NodeJS.Timeout;
}
const GROUP_MAX = 16_384;
const wakeGroups = new Map<number, WakeGroup>();
let fifoSeq = 0;

/**
 * The wake-up group for `at` with room for one more wrapper; a new one gets a pipe, made through a FIFO
 * in `dir`. Undefined if no pipe can be made.
 */
function wakeGroup(at: number, dir: string): WakeGroup | undefined {
  const g = wakeGroups.get(at);
  if (g && g.ids.length < GROUP_MAX) return g;
  if (g) wakeGroups.delete(at); // full: it keeps its timer; later wrappers for `at` get a new group
  // Node has no pipe(): a FIFO opened at both ends and unlinked at once is one
  const fifo = path.join(dir, `.agora-wake-${process.pid}-${++fifoSeq}`);
  const fds: number[] = [];
  try {
    execFileSync('mkfifo', ['-m', '600', fifo], { stdio: 'ignore' });
    fds.push(fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK)); // lets the writer open
    fds.push(fs.openSync(fifo, fs.constants.O_WRONLY));
    fds.push(fs.openSync(fifo, fs.constants.O_RDONLY)); // blocking reads, for the wrappers
  } catch {
    for (const fd of fds) fs.closeSync(fd);
    return undefined;
  } finally {
    fs.rmSync(fifo, { force: true });
  }
  const [probe, writeFd, readFd] = fds as [number, number, number];
  fs.closeSync(probe);
  const group: WakeGroup = { at, readFd, writeFd, ids: [], timer: setTimeout(() => release(group), Math.max(0, at - Date.now())) };
  wakeGroups.set(at, group);
  return group;
}

/** Wakes every wrapper of the group (a line each) and tells the agent. */
function release(g: WakeGroup): void {
  clearTimeout(g.timer);
  if (wakeGroups.get(g.at) === g) wakeGroups.delete(g.at);
  try {
    fs.writeSync(g.writeFd, '\n'.repeat(g.ids.length));
  } catch {
    // cannot happen with a pipe we hold both ends of; the wrappers would then wait on their own clock
  }
  fs.closeSync(g.writeFd);
  fs.closeSync(g.readFd);
  if (g.ids.length > 0) send({ t: 'released', ids: g.ids });
}

function maybeExit(): void {
  if (!process.connected && live.size === 0) process.exit(0);
}

function handle(req: SpawnRequest): void {
  try {
    for (const f of req.clean) fs.rmSync(path.join(req.dir, f), { force: true });
    const at = req.delayUntil === undefined ? 0 : startArg(req.delayUntil);
    const group = req.delayUntil !== undefined && at > 0 ? wakeGroup(req.delayUntil, req.dir) : undefined; // none: the wrapper keeps time itself
    const args = req.delayUntil === undefined ? req.args : [...req.args, String(at)];
    const stdio: StdioOptions = group ? ['ignore', 'ignore', 'ignore', group.readFd] : 'ignore';
    const child = spawn(req.file, args, { cwd: req.dir, env: req.env, detached: true, stdio });
    child.on('error', (e) => {
      if (child.pid === undefined) send({ t: 'spawn-error', id: req.id, error: e.message });
    });
    if (child.pid === undefined) return; // 'error' follows and reports it
    const pid = child.pid;
    group?.ids.push(req.id);
    live.set(pid, req.statusFile);
    child.on('exit', (code, signal) => {
      live.delete(pid);
      // a wrapper killed by a signal is reported the way a shell reports it: 128 + the signal number
      const status = code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0);
      if (send({ t: 'exit', id: req.id, pid, code, signal })) {
        const now = Date.now();
        recent.push({ statusFile: req.statusFile, status, at: now });
        if (recent.length > 64 && (recent[0]?.at ?? now) < now - RECENT_MS) recent = recent.filter((r) => r.at >= now - RECENT_MS);
      } else {
        writeStatus(req.statusFile, status);
        maybeExit();
      }
    });
    child.unref();
    send({ t: 'spawned', id: req.id, pid });
  } catch (e) {
    send({ t: 'spawn-error', id: req.id, error: e instanceof Error ? e.message : String(e) });
  }
}

process.on('message', (m: SpawnRequest | ByeRequest) => {
  if (m && m.t === 'spawn') handle(m);
  else if (m && m.t === 'bye') recent = [];
});
process.on('disconnect', () => {
  const cutoff = Date.now() - RECENT_MS;
  for (const r of recent) if (r.at >= cutoff) writeStatus(r.statusFile, r.status);
  recent = [];
  maybeExit();
});
// only the agent ends us (by closing the channel); a terminal's Ctrl-C must not orphan the tasks' reaper
process.on('SIGTERM', () => undefined);
process.on('SIGINT', () => undefined);
