import type { ChildProcess } from 'node:child_process';

/**
 * Every child the launcher starts is recorded here until it exits, so that nothing outlives us: on
 * process exit (normal end, process.exit, uncaught exception) each still-running child gets SIGKILL,
 * synchronously, because 'exit' handlers cannot wait. Children run in their own process group (so a
 * terminal's Ctrl-C reaches only us and we stop them in order); the emergency kill therefore signals the
 * whole group, taking along anything the child started and left in it.
 *
 * For SIGINT/SIGTERM/SIGHUP we only act when nobody else listens for the signal (a test file killed by
 * the test runner): kill the children, then die of the same signal as the default action would.
 * `agora up` installs its own handlers and stops the cluster cleanly.
 */
const live = new Set<ChildProcess>();
const hooks = new Set<() => void>();
let installed = false;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function registerChild(child: ChildProcess): void {
  install();
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** A synchronous clean-up to run on emergency exit, after the children are killed (e.g. task sweeping). */
export function onEmergencyExit(fn: () => void): () => void {
  install();
  hooks.add(fn);
  return () => hooks.delete(fn);
}

export function liveChildren(): number[] {
  return [...live].map((c) => c.pid).filter((p): p is number => typeof p === 'number');
}

export function killAllChildrenSync(): void {
  for (const child of live) {
    const pid = child.pid;
    if (pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  live.clear();
  for (const fn of hooks) {
    try {
      fn();
    } catch {
      // best effort: we are exiting
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAllChildrenSync);
  for (const sig of SIGNALS) {
    const handler = (): void => {
      // someone else (agora up) owns this signal and will stop things in order
      if (process.listenerCount(sig) > 1) return;
      killAllChildrenSync();
      process.removeListener(sig, handler);
      process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}
