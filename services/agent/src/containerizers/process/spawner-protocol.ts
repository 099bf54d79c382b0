/**
 * Messages between the agent and its spawner process (over Node's IPC channel). The spawner exists
 * because fork() copies the parent's page tables: a spawn from the agent, which holds NestJS, NATS and
 * every task's state, costs several times one from a bare Node process, and grows with the agent.
 */
export interface SpawnRequest {
  t: 'spawn';
  id: number;
  /** The child's cwd (the sandbox, made by the agent). */
  dir: string;
  /** Files in `dir` to remove first (left by an earlier run of the same task id). */
  clean: string[];
  /** Where to record the exit status if it cannot be delivered to the agent. */
  statusFile: string;
  file: string;
  args: string[];
  env: Record<string, string>;
  /**
   * Launch ahead (epoch ms): the spawner appends this instant to `args` as a /proc/uptime reading in
   * centiseconds ("0" when past) and gives the wrapper, as fd 3, the read end of the wake-up pipe it
   * shares with every wrapper due at the same instant. At that instant the spawner writes a line per
   * wrapper and reports `released`. Should the pipe end first (the spawner died) the wrapper waits out
   * the time by itself.
   */
  delayUntil?: number;
}

/** Sent by an agent that stops in an orderly way: it has recorded every exit it was told about. */
export interface ByeRequest {
  t: 'bye';
}

export type SpawnerMessage =
  | { t: 'spawned'; id: number; pid: number }
  | { t: 'spawn-error'; id: number; error: string }
  | { t: 'exit'; id: number; pid: number; code: number | null; signal: string | null }
  /** Launch ahead: these delayed wrappers were woken (their commands start now). */
  | { t: 'released'; ids: number[] };
