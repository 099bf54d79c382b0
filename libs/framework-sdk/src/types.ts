import type { FrameworkInfoInput, MasterInfo, Offer, TaskInfoInput, TaskStatus } from '@agora/contracts';
import type { Bus } from '@agora/nats';
import type { Logger } from '@agora/logging';

/**
 * Callbacks of a scheduler. Each may be async; the driver awaits it before handling the next event, so a
 * framework sees events in the order the master sent them. A handler must therefore never wait for a
 * *later* event (e.g. an offers handler waiting for an update): that would stall the stream.
 */
export interface SchedulerHandlers {
  /** Subscribed (first time) or re-subscribed after a master failover / reconnect (`isReconnect`). */
  subscribed?(frameworkId: string, master: MasterInfo, isReconnect: boolean): void | Promise<void>;
  /** New offers. Without this handler, offers are declined at once with the default filter. */
  offers?(offers: Offer[]): void | Promise<void>;
  /** An offer is no longer valid (its agent went away, it timed out, another framework was preferred …). */
  rescind?(offerId: string): void | Promise<void>;
  /**
   * A task status update. With `autoAcknowledge` (default) an update that carries a `uuid` is acknowledged
   * once this handler resolves; if it throws, the update is not acked and the agent will send it again.
   */
  update?(status: TaskStatus): void | Promise<void>;
  /** An agent was lost; its tasks get their own LOST/UNREACHABLE updates. */
  failure?(agentId: string): void | Promise<void>;
  /**
   * The master gave up on this framework (torn down, failover timeout passed) or a re-subscription was
   * refused. The driver has stopped; the framework must not go on with this id.
   */
  error?(message: string): void | Promise<void>;
  /** The leader is unreachable or changed; the driver re-subscribes on its own when it can. */
  disconnected?(): void | Promise<void>;
}

export interface SchedulerDriverOptions {
  bus: Bus;
  info: FrameworkInfoInput;
  /** A framework id from a previous run: the driver re-subscribes with it (a framework failover). */
  frameworkId?: string;
  log?: Logger;
  /** Ack every update carrying a uuid after the update handler resolves (default true). */
  autoAcknowledge?: boolean;
  /** Implicit reconciliation after every re-subscription (default true). */
  reconcileOnSubscribe?: boolean;
  /** How long start() keeps retrying while there is no leader (default: until stop()). */
  subscribeTimeoutMs?: number;
  /** Timeout of one request to the master (default 5000 ms). */
  requestTimeoutMs?: number;
  /** Idempotent calls (kill, reconcile, revive, suppress, teardown) retry NO_LEADER/TIMEOUT this long (default 10 s). */
  retryIdempotentForMs?: number;
  /** reportHealth(): every report still standing is sent again this often (default 10 s; 0 = only after a re-subscription). */
  healthRefreshSeconds?: number;
}

/** Mesos `Filters`: declined resources of that agent are not re-offered to this framework for a while. */
export interface Filters {
  /** Default 5 s on the master; capped at 365 days. */
  refuseSeconds?: number;
}

/** A task for `launch()`: `agentId` may be left out when all the offers used come from one agent. */
export type LaunchTask = Omit<TaskInfoInput, 'agentId'> & { agentId?: string };
