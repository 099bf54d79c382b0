import { Inject, Injectable } from '../nest';
import type { ClusterState, MasterInfo, Offer } from '@agora/contracts';
import { MasterState } from '../registry/master-state';
import type { FrameworkEntry } from '../registry/types';
import { secs, toAgentView, toFrameworkView } from '../registry/views';
import { ClusterEvents } from '../events/cluster-events';
import { MasterIdentity } from '../identity';
import { CONFIG } from '../tokens';
import { flagsView } from '../config';
import type { MasterConfig } from '../config';

export interface ClusterStateInput {
  state: MasterState;
  self: MasterInfo;
  leader: MasterInfo | undefined;
  startTimeMs: number;
  eventSequence: number;
  flags: Record<string, string>;
}

/** The ClusterState snapshot (contracts) of the master's memory. Reads only. */
export function buildClusterState(input: ClusterStateInput): ClusterState {
  const { state } = input;
  const offersOf = (fw: FrameworkEntry): Offer[] => {
    const out: Offer[] = [];
    for (const id of fw.offerIds) {
      const o = state.offers.get(id);
      if (o) out.push(o.offer);
    }
    return out;
  };
  const cs: ClusterState = {
    master: input.self,
    startTime: secs(input.startTimeMs),
    eventSequence: input.eventSequence,
    agents: [...state.agents.values()].map(toAgentView),
    frameworks: [...state.frameworks.values()].map((fw) => toFrameworkView(fw, offersOf(fw))),
    completedFrameworks: state.completedFrameworks.map((fw) => toFrameworkView(fw, [])),
    flags: input.flags,
  };
  if (input.leader) cs.leader = input.leader;
  if (state.electedAt !== undefined) cs.electedTime = secs(state.electedAt);
  return cs;
}

/** The snapshot as this master serves it (GetState on NATS, /master/state on HTTP). */
@Injectable()
export class ClusterStateView {
  private readonly flags: Record<string, string>;

  constructor(
    private readonly state: MasterState,
    private readonly identity: MasterIdentity,
    private readonly events: ClusterEvents,
    @Inject(CONFIG) cfg: MasterConfig,
  ) {
    this.flags = flagsView(cfg);
  }

  snapshot(leader: MasterInfo | undefined): ClusterState {
    const self = this.state.leading ? this.identity.asLeader(this.state.epoch, this.state.electedAt) : this.identity.info;
    return buildClusterState({
      state: this.state,
      self,
      leader: this.state.leading ? self : leader,
      startTimeMs: this.identity.startTime,
      eventSequence: this.events.sequence,
      flags: this.flags,
    });
  }
}

/**
 * A snapshot that fits in one NATS message of at most `maxBytes`: when the full one is too big, history
 * goes first (status lists cut to the latest, then completed tasks, then completed frameworks); live
 * tasks, agents and frameworks always stay. Returns the snapshot and what was dropped.
 */
export function fitToPayload(cs: ClusterState, maxBytes: number): { state: ClusterState; trimmed: string[] } {
  const size = (s: ClusterState) => Buffer.byteLength(JSON.stringify(s));
  if (size(cs) <= maxBytes) return { state: cs, trimmed: [] };
  const trimmed: string[] = [];
  const lastStatus = <T extends { statuses: unknown[] }>(t: T): T => ({ ...t, statuses: t.statuses.slice(-1) });
  let s: ClusterState = {
    ...cs,
    frameworks: cs.frameworks.map((f) => ({ ...f, tasks: f.tasks.map(lastStatus), completedTasks: f.completedTasks.map(lastStatus) })),
    completedFrameworks: cs.completedFrameworks.map((f) => ({ ...f, completedTasks: f.completedTasks.map(lastStatus) })),
  };
  trimmed.push('status history');
  if (size(s) <= maxBytes) return { state: s, trimmed };
  s = { ...s, frameworks: s.frameworks.map((f) => ({ ...f, completedTasks: [] })), completedFrameworks: s.completedFrameworks.map((f) => ({ ...f, completedTasks: [] })) };
  trimmed.push('completed tasks');
  if (size(s) <= maxBytes) return { state: s, trimmed };
  s = { ...s, completedFrameworks: [] };
  trimmed.push('completed frameworks');
  return { state: s, trimmed };
}
