import * as os from 'node:os';
import type { Logger } from '@agora/logging';
import { buildRecordSet, type DnsConfig, type RecordSet } from '../records';
import type { ClusterView } from './cluster-view';
import { HostCache } from './host-cache';

export type SwapListener = (next: RecordSet, prev: RecordSet | undefined) => void;

/** Shortest and longest wait between a change and the rebuild it causes. */
const MIN_DELAY_MS = 2;
const MAX_DELAY_MS = 200;

function localAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((i): i is os.NetworkInterfaceInfo => i !== undefined)
    .map((i) => i.address);
}

/**
 * The record set the server answers from, rebuilt from the cluster view whenever it changes and swapped
 * whole (queries in flight keep the set they started with). Changes are coalesced: the first one
 * schedules a rebuild a few ms later (twice the last build's time, so a flood of events cannot keep the
 * CPU busy rebuilding), and every change until then rides along.
 *
 * Before the first snapshot there is no set (`current` undefined): the server answers SERVFAIL for names
 * in its zones rather than NXDOMAIN that resolvers would cache.
 */
export class RecordStore {
  private set: RecordSet | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastBuildMs = 0;
  private serial = 0;
  private readonly listeners: SwapListener[] = [];
  private readonly hosts: HostCache;
  private addresses = localAddresses();
  builds = 0;

  /** `lookup` resolves host names the records need (the system resolver by default; tests pass their own). */
  constructor(
    private config: DnsConfig,
    private readonly view: ClusterView,
    private readonly log: Logger,
    lookup?: (host: string) => Promise<string[]>,
  ) {
    this.hosts = new HostCache(() => this.schedule(), log, lookup);
  }

  get current(): RecordSet | undefined {
    return this.set;
  }

  get dnsConfig(): DnsConfig {
    return this.config;
  }

  onSwap(fn: SwapListener): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** A change happened: rebuild soon (coalesced). No-op before the first snapshot. */
  schedule(): void {
    if (this.timer || !this.view.loaded) return;
    const delay = Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, Math.ceil(this.lastBuildMs * 2)));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.rebuildNow();
    }, delay);
  }

  /** A new config (SIGHUP): rebuild at once so no query sees the old names under the new config. */
  setConfig(config: DnsConfig): void {
    this.config = config;
    this.addresses = localAddresses();
    if (this.view.loaded) this.rebuildNow();
  }

  rebuildNow(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const state = this.view.toClusterState();
    if (!state) return;
    const t0 = performance.now();
    this.serial = Math.max(this.serial + 1, Math.floor(Date.now() / 1000)) >>> 0;
    let next: RecordSet;
    try {
      next = buildRecordSet(state, this.config, {
        serial: this.serial,
        localAddresses: this.addresses,
        resolveHost: (h) => this.hosts.get(h),
      });
    } catch (e) {
      // A bug in the builder must not take the server down: keep answering from the last good set.
      this.log.error({ err: e instanceof Error ? e.stack : String(e) }, 'record build failed; keeping the previous records');
      return;
    }
    this.lastBuildMs = performance.now() - t0;
    this.builds++;
    const prev = this.set;
    this.set = next;
    if (next.skipped.length > 0 && next.skipped.length !== prev?.skipped.length) {
      this.log.warn({ names: next.skipped.slice(0, 10), count: next.skipped.length }, 'names that are not valid DNS names were left out');
    }
    this.log.debug({ serial: next.serial, ms: Number(this.lastBuildMs.toFixed(2)), names: next.names.size }, 'records rebuilt');
    for (const fn of this.listeners) {
      try {
        fn(next, prev);
      } catch (e) {
        this.log.warn({ err: String(e) }, 'record swap listener failed');
      }
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
