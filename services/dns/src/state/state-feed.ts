import { ALL_CLUSTER_EVENTS, AgentEvent, FrameworkLifecycleEvent, GetState, LeaderEvent, TaskEvent, type ClusterState, type EventDef, type MessageOf } from '@agora/contracts';
import type { Bus } from '@agora/nats';
import type { Logger } from '@agora/logging';
import type { Subscription } from '@nats-io/transport-node';
import type { z } from 'zod';
import type { AgentEventMsg, ApplyResult, ClusterView, FrameworkEventMsg, TaskEventMsg } from './cluster-view';
import type { RecordStore } from './record-store';
import { sequenceDecision, type StreamPosition } from './sequencer';

type LeaderEventMsg = MessageOf<typeof LeaderEvent>;
type Sequenced =
  | { kind: 'task'; msg: TaskEventMsg }
  | { kind: 'agent'; msg: AgentEventMsg }
  | { kind: 'framework'; msg: FrameworkEventMsg };

/** Events kept while a snapshot is on its way; more than this and the next snapshot starts over. */
const MAX_BUFFERED = 100_000;
const dec = new TextDecoder();

export interface FeedStats {
  snapshots: number;
  resyncs: number;
  eventsApplied: number;
  eventsSkipped: number;
  lastSnapshotAt?: number;
  lastEventAt?: number;
}

/**
 * Keeps the ClusterView in step with the leading master over NATS: one subscription to every cluster
 * event (`agora.events.>`, so their order is the order the master published them), a GetState snapshot at
 * start, and a new snapshot whenever the stream shows a gap, a new epoch begins, NATS reconnects, or
 * RefreshSeconds pass (a safety net; events do the real work). Events that arrive while a snapshot is on its
 * way are buffered and replayed past the snapshot's `eventSequence`.
 */
export class StateFeed {
  private sub: Subscription | undefined;
  private pos: StreamPosition | undefined;
  private snapshotting = false;
  private again = false;
  private buffer: Sequenced[] = [];
  private stopped = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private carryTimer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  readonly stats: FeedStats = { snapshots: 0, resyncs: 0, eventsApplied: 0, eventsSkipped: 0 };

  constructor(
    private readonly bus: Bus,
    private readonly view: ClusterView,
    private readonly store: RecordStore,
    private readonly log: Logger,
    private readonly refreshMs: () => number,
  ) {}

  get position(): StreamPosition | undefined {
    return this.pos;
  }

  start(): void {
    this.sub = this.bus.nc.subscribe(ALL_CLUSTER_EVENTS, {
      callback: (err, raw) => {
        if (err) {
          this.log.warn({ err: err.message }, 'cluster event subscription error');
          return;
        }
        try {
          this.onRaw(raw.subject, raw.data);
        } catch (e) {
          this.log.error({ err: e instanceof Error ? e.stack : String(e), subject: raw.subject }, 'cluster event handling failed; resyncing');
          this.resync('handler error');
        }
      },
    });
    void (async () => {
      for await (const s of this.bus.nc.status()) {
        if (this.stopped) break;
        if (s.type === 'reconnect') this.resync('nats reconnected');
      }
    })().catch(() => undefined);
    this.armRefresh();
    this.resync('start');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (this.carryTimer) clearTimeout(this.carryTimer);
    this.sub?.unsubscribe();
    await this.loop?.catch(() => undefined);
  }

  /** Re-reads the whole state (coalesced with a snapshot already under way). */
  resync(reason: string): void {
    if (this.stopped) return;
    if (this.snapshotting) {
      this.again = true;
      return;
    }
    if (reason !== 'start' && reason !== 'refresh') this.log.info({ reason }, 'resyncing cluster state');
    if (reason !== 'start') this.stats.resyncs++;
    this.loop = this.snapshotLoop();
  }

  private armRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    const ms = Math.max(1000, this.refreshMs());
    this.refreshTimer = setTimeout(() => {
      this.resync('refresh');
      this.armRefresh();
    }, ms);
    this.refreshTimer.unref();
  }

  private parse<M extends z.ZodType>(def: EventDef<M, []>, data: Uint8Array): z.output<M> | undefined {
    let input: unknown;
    try {
      input = JSON.parse(dec.decode(data));
    } catch {
      this.log.warn({ event: def.name }, 'dropped a cluster event that is not JSON');
      return undefined;
    }
    const r = def.message.safeParse(input);
    if (!r.success) {
      this.log.warn({ event: def.name, issues: r.error.issues.slice(0, 3).map((i) => i.message) }, 'dropped a cluster event out of contract');
      return undefined;
    }
    return r.data;
  }

  private onRaw(subject: string, data: Uint8Array): void {
    if (subject === TaskEvent.subject()) {
      const msg = this.parse(TaskEvent, data);
      if (msg) this.onSequenced({ kind: 'task', msg });
    } else if (subject === AgentEvent.subject()) {
      const msg = this.parse(AgentEvent, data);
      if (msg) this.onSequenced({ kind: 'agent', msg });
    } else if (subject === FrameworkLifecycleEvent.subject()) {
      const msg = this.parse(FrameworkLifecycleEvent, data);
      if (msg) this.onSequenced({ kind: 'framework', msg });
    } else if (subject === LeaderEvent.subject()) {
      const msg = this.parse(LeaderEvent, data);
      if (msg) this.onLeader(msg);
    }
  }

  private onLeader(msg: LeaderEventMsg): void {
    if (this.pos && msg.epoch < this.pos.epoch) return;
    if (this.view.loaded && this.view.applyLeader(msg.leader) === 'changed') this.store.schedule();
    if (!this.pos || msg.epoch > this.pos.epoch || this.snapshotting) this.resync(`new leader ${msg.leader.id} (epoch ${msg.epoch})`);
  }

  private onSequenced(ev: Sequenced): void {
    this.stats.lastEventAt = Date.now();
    if (this.snapshotting || !this.pos) {
      if (this.buffer.length >= MAX_BUFFERED) {
        this.buffer = [];
        this.again = true;
      } else {
        this.buffer.push(ev);
      }
      return;
    }
    this.step(ev);
  }

  /** Applies one event in stream order; false when it called for a resync. */
  private step(ev: Sequenced): boolean {
    const pos = this.pos;
    if (!pos) return false;
    const d = sequenceDecision(pos, ev.msg);
    if (d === 'skip') {
      this.stats.eventsSkipped++;
      return true;
    }
    if (d === 'resync') {
      this.resync(ev.msg.epoch > pos.epoch ? `epoch ${ev.msg.epoch} began` : `event gap (have ${pos.sequence}, got ${ev.msg.sequence})`);
      return false;
    }
    let r: ApplyResult;
    if (ev.kind === 'task') r = this.view.applyTask(ev.msg);
    else if (ev.kind === 'agent') r = this.view.applyAgent(ev.msg, Date.now());
    else r = this.view.applyFramework(ev.msg);
    pos.sequence = ev.msg.sequence;
    this.stats.eventsApplied++;
    if (r === 'unknown') {
      this.resync(`event ${ev.kind} refers to something unknown`);
      return false;
    }
    if (r === 'changed') this.store.schedule();
    if (ev.kind === 'agent') this.armCarryTimer();
    return true;
  }

  private async snapshotLoop(): Promise<void> {
    this.snapshotting = true;
    let waitingLogged = false;
    try {
      do {
        this.again = false;
        let snap: ClusterState;
        for (;;) {
          if (this.stopped) return;
          try {
            snap = await this.fetchSnapshot();
            break;
          } catch (e) {
            if (!waitingLogged) this.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'no cluster snapshot yet; retrying until a leading master answers');
            waitingLogged = true;
            await sleep(250);
          }
        }
        if (this.stopped) return;
        const epoch = snap.leader?.epoch ?? snap.master.epoch ?? 0;
        const first = !this.view.loaded;
        this.view.replace(snap, epoch, Date.now());
        if (this.view.carriedCount > 0) {
          this.log.info({ epoch, carried: this.view.carriedCount }, 'agents the new leader has not heard from yet keep their tasks until they re-register');
        }
        this.pos = { epoch, sequence: snap.eventSequence };
        this.stats.snapshots++;
        this.stats.lastSnapshotAt = Date.now();
        const buffered = this.buffer;
        this.buffer = [];
        // Still `snapshotting`: a resync asked for by a replayed event only sets `again`.
        for (const ev of buffered) {
          if (!this.step(ev)) break; // the next snapshot covers the rest
        }
        this.store.rebuildNow();
        this.armCarryTimer();
        if (first || waitingLogged) {
          this.log.info({ epoch, sequence: snap.eventSequence, agents: snap.agents.length, tasks: this.view.taskCount(), leader: this.view.leader?.id }, 'cluster snapshot loaded');
        }
        waitingLogged = false;
        if (this.again) await sleep(50);
      } while (this.again && !this.stopped);
    } finally {
      this.snapshotting = false;
    }
  }

  private fetchSnapshot(): Promise<ClusterState> {
    return this.bus.request(GetState, [], {}, { timeoutMs: 5000, retryForMs: 1000 });
  }

  private armCarryTimer(): void {
    if (this.carryTimer) clearTimeout(this.carryTimer);
    this.carryTimer = undefined;
    const next = this.view.nextCarryDeadline();
    if (next === undefined || this.stopped) return;
    this.carryTimer = setTimeout(() => {
      this.carryTimer = undefined;
      if (this.view.expireCarried(Date.now())) this.store.schedule();
      this.armCarryTimer();
    }, Math.max(10, next - Date.now()));
    this.carryTimer.unref();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
