import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '@agora/logging';
import type { PendingUpdate } from '../status-updates/update-queues';
import type { TaskCheckpoint } from '../tasks/task-record';
import { readJson, writeFileAtomic } from './atomic-file';

export interface AgentMeta {
  agentId: string;
  registeredAt: number;
}

/** One task's durable state: its checkpoint and its unacknowledged status updates, in order. */
interface Entry {
  frameworkId: string;
  taskId: string;
  cp?: TaskCheckpoint;
  updates: PendingUpdate[];
  /** Size of its last journal line, to know how much of the journal is live. */
  bytes: number;
}

type Line = { f: string; id: string; cp?: TaskCheckpoint; u?: PendingUpdate[]; drop?: true };

/** Compact once the journal holds this much more than the live state (and at least this many bytes). */
const COMPACT_MIN_BYTES = 4 * 1024 * 1024;
const COMPACT_FACTOR = 4;

/**
 * The agent's durable state under <work-dir>/meta:
 *   agent.json      its id, once a master gave it one (tmp + rename)
 *   tasks.journal   one JSON line per change of a task's checkpoint or update queue; the last line of a
 *                   task wins, a `drop` line forgets it. Rewritten compactly (tmp + rename) when mostly
 *                   garbage. A torn last line (crash mid-append) is ignored on load.
 * Why a journal rather than a file per task: creating a file is the dominant cost of a launch on
 * ordinary filesystems (a fresh inode per tmp + rename); appending one line per burst of changes is
 * nearly free, so checkpointing does not slow launches down. Changes are coalesced and appended at the
 * end of the tick, and always before a status update is published (`flush`).
 */
export class CheckpointStore {
  readonly metaDir: string;
  private readonly journalPath: string;
  private fd: number | undefined;
  private readonly live = new Map<string, Entry>();
  private readonly dirty = new Map<string, Entry | 'drop'>();
  private flushScheduled = false;
  private appended = 0;

  constructor(
    workDir: string,
    private readonly log: Logger,
  ) {
    this.metaDir = path.join(workDir, 'meta');
    this.journalPath = path.join(this.metaDir, 'tasks.journal');
    fs.mkdirSync(this.metaDir, { recursive: true });
    this.replay();
    // start from a compact journal when the last run left mostly garbage
    if (this.appended > 64 * 1024 && this.appended > 2 * this.liveBytes()) this.compact();
    this.fd = fs.openSync(this.journalPath, 'a');
  }

  readAgentMeta(): AgentMeta | undefined {
    const m = readJson<AgentMeta>(path.join(this.metaDir, 'agent.json'));
    return m && typeof m.agentId === 'string' && m.agentId ? m : undefined;
  }

  writeAgentMeta(meta: AgentMeta): void {
    writeFileAtomic(path.join(this.metaDir, 'agent.json'), JSON.stringify(meta));
  }

  /** Checkpointed tasks found at start-up. */
  loadTasks(): TaskCheckpoint[] {
    const out: TaskCheckpoint[] = [];
    for (const e of this.live.values()) if (e.cp) out.push(e.cp);
    return out;
  }

  /** Unacknowledged update queues found at start-up, one list per task. */
  loadUpdates(): PendingUpdate[][] {
    const out: PendingUpdate[][] = [];
    for (const e of this.live.values()) if (e.updates.length) out.push(e.updates);
    return out;
  }

  writeTask(cp: TaskCheckpoint): void {
    const e = this.entry(cp.frameworkId, cp.task.taskId);
    e.cp = cp;
    this.markDirty(e);
  }

  writeUpdates(frameworkId: string, taskId: string, pending: readonly PendingUpdate[]): void {
    if (pending.length === 0 && !this.live.has(keyOf(frameworkId, taskId))) return;
    const e = this.entry(frameworkId, taskId);
    e.updates = [...pending];
    this.markDirty(e);
  }

  removeTask(frameworkId: string, taskId: string): void {
    const key = keyOf(frameworkId, taskId);
    if (!this.live.delete(key) && !this.dirty.has(key)) return;
    this.dirty.set(key, 'drop');
    this.scheduleFlush();
  }

  /** Appends every pending change now (one write). Called before publishing updates and at shutdown. */
  flush(): void {
    if (this.dirty.size === 0) return;
    let text = '';
    for (const [key, e] of this.dirty) {
      if (e === 'drop' || (!e.cp && e.updates.length === 0)) {
        this.live.delete(key);
        const [f, id] = splitKey(key);
        text += `${JSON.stringify({ f, id, drop: true } satisfies Line)}\n`;
        continue;
      }
      const line = `${JSON.stringify({ f: e.frameworkId, id: e.taskId, cp: e.cp, u: e.updates } satisfies Line)}\n`;
      e.bytes = line.length;
      text += line;
    }
    this.dirty.clear();
    try {
      this.fd ??= fs.openSync(this.journalPath, 'a');
      fs.writeSync(this.fd, text);
      this.appended += text.length;
    } catch (e) {
      this.log.error({ err: e instanceof Error ? e.message : String(e) }, 'could not append to the task journal');
      return;
    }
    if (this.appended > COMPACT_MIN_BYTES && this.appended > COMPACT_FACTOR * this.liveBytes()) this.compact();
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  /** Rewrites the journal with only the live state (tmp + fsync + rename: never half a journal). */
  compact(): void {
    let text = '';
    for (const e of this.live.values()) {
      const line = `${JSON.stringify({ f: e.frameworkId, id: e.taskId, cp: e.cp, u: e.updates } satisfies Line)}\n`;
      e.bytes = line.length;
      text += line;
    }
    const tmp = `${this.journalPath}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.journalPath);
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = fs.openSync(this.journalPath, 'a');
    this.appended = text.length;
    this.log.debug({ bytes: text.length, tasks: this.live.size }, 'compacted the task journal');
  }

  private replay(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.journalPath, 'utf8');
    } catch {
      return;
    }
    let bad = 0;
    for (const raw of text.split('\n')) {
      if (!raw) continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        bad++;
        continue;
      }
      if (typeof line.f !== 'string' || typeof line.id !== 'string') continue;
      const key = keyOf(line.f, line.id);
      if (line.drop) this.live.delete(key);
      else this.live.set(key, { frameworkId: line.f, taskId: line.id, cp: line.cp, updates: Array.isArray(line.u) ? line.u : [], bytes: raw.length + 1 });
    }
    this.appended = text.length;
    if (bad) this.log.warn({ lines: bad }, 'ignored unreadable task journal lines (a torn write?)');
  }

  private entry(frameworkId: string, taskId: string): Entry {
    const key = keyOf(frameworkId, taskId);
    let e = this.live.get(key);
    if (!e) {
      e = { frameworkId, taskId, updates: [], bytes: 0 };
      this.live.set(key, e);
    }
    return e;
  }

  private markDirty(e: Entry): void {
    this.dirty.set(keyOf(e.frameworkId, e.taskId), e);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private liveBytes(): number {
    let n = 0;
    for (const e of this.live.values()) n += e.bytes;
    return n;
  }
}

function keyOf(frameworkId: string, taskId: string): string {
  return `${frameworkId}\u0000${taskId}`;
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('\u0000');
  return [key.slice(0, i), key.slice(i + 1)];
}
