import type { Logger } from '@agora/logging';
import { answerPacket, errorResponse, isAtOrBelow, type AnswerDecision, type AnswerOptions } from '../answer';
import { buildRecordSet, type DnsConfig, type RecordSet } from '../records';
import { Rcode, nameKey, parseMessage, type DnsMessage, type Question } from '../wire';
import type { RecordStore } from '../state/record-store';
import { AnswerCache } from './answer-cache';
import type { Forwarder } from './forwarder';
import { parseUpstream, type Upstream } from './upstream-address';

export type Transport = 'udp' | 'tcp';
export type Reply = (bytes: Uint8Array) => void;

export interface QueryStats {
  udp: number;
  tcp: number;
  /** By rcode name, for answers we made ourselves. */
  rcodes: Record<string, number>;
  forwarded: number;
  forwardFailures: number;
  dropped: number;
  internalErrors: number;
  /** SERVFAIL because no snapshot had been loaded yet. */
  notReady: number;
}

const RCODE_NAMES: Record<number, string> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED', 16: 'BADVERS' };

interface Routes {
  config: DnsConfig;
  resolvers: Upstream[];
  /** Zone (lowercase FQDN) → its resolvers, longest zone first. */
  zones: { zone: string; upstreams: Upstream[] }[];
  /** The record set used before the first snapshot: only to tell our zones from the rest. */
  bootstrap: RecordSet;
}

/**
 * One DNS query in, at most one response out, whatever the bytes: the whole per-query path shared by the
 * UDP and TCP listeners. Answers come from the current record set (through the answer cache), names
 * outside our zones go to the upstream resolvers (ZoneResolvers first, by longest zone), and before the
 * first cluster snapshot names in our zones get SERVFAIL (never an NXDOMAIN a resolver would cache).
 */
export class QueryHandler {
  private routes: Routes | undefined;
  private readonly cache = new AnswerCache();
  readonly stats: QueryStats = { udp: 0, tcp: 0, rcodes: {}, forwarded: 0, forwardFailures: 0, dropped: 0, internalErrors: 0, notReady: 0 };

  constructor(
    private readonly store: RecordStore,
    private readonly forwarder: Forwarder,
    private readonly log: Logger,
    private readonly maxUdpSize?: number,
  ) {}

  get cacheStats(): { hits: number; misses: number; size: number } {
    return { hits: this.cache.hits, misses: this.cache.misses, size: this.cache.size };
  }

  private currentRoutes(): Routes {
    const config = this.store.dnsConfig;
    if (this.routes?.config === config) return this.routes;
    const parse = (list: readonly string[], where: string): Upstream[] =>
      list.flatMap((r) => {
        const u = parseUpstream(r);
        if (!u) this.log.warn({ resolver: r, where }, 'ignoring a resolver that is not IP or IP:PORT');
        return u ? [u] : [];
      });
    const zones = Object.entries(config.ZoneResolvers)
      .map(([zone, list]) => ({ zone: `${zone.toLowerCase().replace(/^\.+|\.+$/g, '')}.`, upstreams: parse(list, `ZoneResolvers.${zone}`) }))
      .sort((a, b) => b.zone.length - a.zone.length);
    this.routes = { config, resolvers: parse(config.Resolvers, 'Resolvers'), zones, bootstrap: buildRecordSet(undefined, config) };
    return this.routes;
  }

  private options(transport: Transport): AnswerOptions {
    const o: AnswerOptions = { transport, random: Math.random };
    if (this.maxUdpSize !== undefined) o.maxUdpSize = this.maxUdpSize;
    return o;
  }

  /** Answers (now or, when forwarding, later) through `reply`; returns false when the query is dropped unanswered. */
  handle(packet: Buffer, transport: Transport, reply: Reply): boolean {
    this.stats[transport]++;
    const records = this.store.current;
    if (records) {
      const hit = this.cache.lookup(records, transport, packet, Math.random);
      if (hit) {
        reply(hit);
        return true;
      }
    }
    const routes = this.currentRoutes();
    const opts = this.options(transport);
    let d: AnswerDecision = answerPacket(records ?? routes.bootstrap, packet, opts);
    if (!records && d.action === 'reply' && (d.rcode === Rcode.NOERROR || d.rcode === Rcode.NXDOMAIN)) {
      d = this.notReady(packet, opts, routes.config) ?? d;
    }
    switch (d.action) {
      case 'reply':
        this.count(d.rcode);
        if (d.internalError) {
          this.stats.internalErrors++;
          this.log.error({ err: d.internalError }, 'answering a query failed (SERVFAIL sent)');
        } else if (records && (d.rcode === Rcode.NOERROR || d.rcode === Rcode.NXDOMAIN)) {
          this.cache.store(records, transport, packet, d.bytes);
        }
        reply(d.bytes);
        return true;
      case 'forward':
        this.forward(d.query, d.question, packet, transport, reply, routes, opts);
        return true;
      case 'drop':
        this.stats.dropped++;
        this.log.trace({ reason: d.reason }, 'query dropped');
        return false;
    }
  }

  private notReady(packet: Buffer, opts: AnswerOptions, config: DnsConfig): AnswerDecision | undefined {
    const parsed = parseMessage(packet);
    const header = parsed.ok ? parsed.message.header : parsed.header;
    if (!header) return undefined;
    const question = parsed.ok ? parsed.message.questions[0] : parsed.question;
    this.stats.notReady++;
    const bytes = errorResponse({ header, ...(question ? { question } : {}), edns: parsed.ok ? parsed.message.edns : undefined }, Rcode.SERVFAIL, opts, config.RecurseOn);
    return { action: 'reply', bytes, rcode: Rcode.SERVFAIL, truncated: false };
  }

  private upstreamsFor(question: Question, routes: Routes): Upstream[] {
    const key = nameKey(question.name);
    for (const z of routes.zones) if (isAtOrBelow(key, z.zone)) return z.upstreams;
    return routes.resolvers;
  }

  private forward(query: DnsMessage, question: Question, packet: Buffer, transport: Transport, reply: Reply, routes: Routes, opts: AnswerOptions): void {
    this.stats.forwarded++;
    const upstreams = this.upstreamsFor(question, routes);
    const timeoutMs = Math.max(100, routes.config.Timeout * 1000);
    const fail = (): void => {
      this.stats.forwardFailures++;
      this.count(Rcode.SERVFAIL);
      reply(errorResponse({ header: query.header, question, edns: query.edns }, Rcode.SERVFAIL, opts, routes.config.RecurseOn));
    };
    if (upstreams.length === 0) {
      fail();
      return;
    }
    this.forwarder.forward(packet, upstreams, transport, timeoutMs).then(
      (bytes) => (bytes ? reply(bytes) : fail()),
      (e: unknown) => {
        this.log.warn({ err: String(e) }, 'forwarding failed');
        fail();
      },
    );
  }

  private count(rcode: number): void {
    const name = RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
    this.stats.rcodes[name] = (this.stats.rcodes[name] ?? 0) + 1;
  }
}
