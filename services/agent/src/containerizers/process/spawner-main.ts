import { spawn } from 'node:child_process';
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

function maybeExit(): void {
  if (!process.connected && live.size === 0) process.exit(0);
}

function handle(req: SpawnRequest): void {
  try {
    for (const f of req.clean) fs.rmSync(path.join(req.dir, f), { force: true });
    const args = req.delayUntil === undefined ? req.args : [...req.args, String(startArg(req.delayUntil))];
    const child = spawn(req.file, args, { cwd: req.dir, env: req.env, detached: true, stdio: 'ignore' });
    child.on('error', (e) => {
      if (child.pid === undefined) send({ t: 'spawn-error', id: req.id, error: e.message });
    });
    if (child.pid === undefined) return; // 'error' follows and reports it
    const pid = child.pid;
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
