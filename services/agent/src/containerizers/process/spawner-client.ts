import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { Logger } from '@agora/logging';
import type { ByeRequest, SpawnerMessage, SpawnRequest } from './spawner-protocol';

export interface SpawnHandlers {
  spawned: (pid: number) => void;
  failed: (error: string) => void;
  exited: (code: number | null, signal: string | null) => void;
  /** Launch ahead: the spawner woke the delayed wrapper (its command starts now). */
  released?: () => void;
  /** The spawner died: this task's exit will not be reported by it (it must be watched otherwise). */
  orphaned: () => void;
}

/** The agent's side of the spawner: starts it on demand, matches replies to requests, restarts it. */
export class SpawnerClient {
  private proc: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, SpawnHandlers & { started: boolean }>();

  constructor(private readonly log: Logger) {}

  spawn(req: Omit<SpawnRequest, 't' | 'id'>, handlers: SpawnHandlers): void {
    const id = this.nextId++;
    this.pending.set(id, { ...handlers, started: false });
    const proc = this.ensure();
    proc.send({ t: 'spawn', id, ...req } satisfies SpawnRequest, (err) => {
      if (!err) return;
      const h = this.pending.get(id);
      if (h && !h.started) {
        this.pending.delete(id);
        h.failed(`could not reach the spawner: ${err.message}`);
      }
    });
  }

  /** Orderly stop: the spawner stays behind only as the reaper of tasks still running. */
  stop(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || !p.connected) return Promise.resolve();
    return new Promise((resolve) => {
      p.send({ t: 'bye' } satisfies ByeRequest, () => {
        if (p.connected) p.disconnect();
        resolve();
      });
    });
  }

  private ensure(): ChildProcess {
    if (this.proc && this.proc.connected) return this.proc;
    const p = fork(path.join(__dirname, 'spawner-main.js'), [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], execArgv: [], serialization: 'json' });
    p.on('message', (m: SpawnerMessage) => this.onMessage(m));
    p.on('exit', (code, signal) => this.onSpawnerExit(p, code, signal));
    this.proc = p;
    return p;
  }

  private onMessage(m: SpawnerMessage): void {
    if (m.t === 'released') {
      for (const id of m.ids) this.pending.get(id)?.released?.();
      return;
    }
    const h = this.pending.get(m.id);
    if (!h) return;
    if (m.t === 'spawned') {
      h.started = true;
      h.spawned(m.pid);
    } else if (m.t === 'spawn-error') {
      this.pending.delete(m.id);
      h.failed(m.error);
    } else {
      this.pending.delete(m.id);
      h.exited(m.code, m.signal);
    }
  }

  private onSpawnerExit(p: ChildProcess, code: number | null, signal: string | null): void {
    if (this.proc === p) this.proc = undefined;
    if (this.pending.size === 0) return;
    this.log.warn({ code, signal, tasks: this.pending.size }, 'the spawner process exited; its tasks are watched by polling');
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const h of all) {
      if (h.started) h.orphaned();
      else h.failed('the spawner process exited before starting the task');
    }
  }
}
