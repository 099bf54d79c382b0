import type { DnsConfig } from './config';
import { ancestorsOf, asciiLower, isPlainFqdn } from './names';
import type { IpAddress } from './ip';

/** One address value of an A or AAAA RRset. */
export interface AddressRecord {
  text: string;
  /** 4 bytes (A) or 16 bytes (AAAA). */
  bytes: Uint8Array;
}

export interface SrvRecord {
  /** Plain FQDN with trailing dot. */
  target: string;
  port: number;
  priority: number;
  weight: number;
}

/** Mesos-DNS `/v1/enumerate` shapes: every record a task produced, `host` is `target:port` for SRV. */
export interface EnumerableRecord {
  name: string;
  host: string;
  rtype: 'A' | 'AAAA' | 'SRV';
}
export interface EnumerableTask {
  name: string;
  id: string;
  records: EnumerableRecord[];
}
export interface EnumerableFramework {
  name: string;
  tasks: EnumerableTask[];
}

/**
 * Everything the DNS server answers from. Keys are plain FQDNs (lowercase, trailing dot); values keep
 * insertion order and hold no duplicates. Immutable once built: a new state builds a new set.
 */
export interface RecordSet {
  readonly config: DnsConfig;
  /** `mesos.` */
  readonly domain: string;
  readonly serial: number;
  readonly a: ReadonlyMap<string, readonly AddressRecord[]>;
  readonly aaaa: ReadonlyMap<string, readonly AddressRecord[]>;
  readonly srv: ReadonlyMap<string, readonly SrvRecord[]>;
  readonly ptr: ReadonlyMap<string, readonly string[]>;
  /** Every owner name and every empty non-terminal above one, inside the domain and the reverse zones. */
  readonly names: ReadonlySet<string>;
  /** Configured reverse zone apexes (`0.10.in-addr.arpa.`), longest first. */
  readonly reverseZones: readonly string[];
  readonly enumeration: { frameworks: EnumerableFramework[] };
  /** Names that could not be served (not a valid DNS name) and were left out, for logging. */
  readonly skipped: readonly string[];
}

const MAX_SKIPPED_KEPT = 100;

/** Accumulates records with Mesos-DNS's set semantics: a (name, value) pair is stored once. */
export class RecordSetBuilder {
  readonly a = new Map<string, AddressRecord[]>();
  readonly aaaa = new Map<string, AddressRecord[]>();
  readonly srv = new Map<string, SrvRecord[]>();
  readonly ptr = new Map<string, string[]>();
  readonly skipped: string[] = [];
  private readonly seen = new Set<string>();
  /** Names repeat a lot (one SRV name per port, one target per port); validate each once. */
  private readonly accepted = new Map<string, string | undefined>();

  private accept(name: string): string | undefined {
    if (this.accepted.has(name)) return this.accepted.get(name);
    const n = asciiLower(name);
    const ok = isPlainFqdn(n) ? n : undefined;
    this.accepted.set(name, ok);
    if (ok === undefined && this.skipped.length < MAX_SKIPPED_KEPT) this.skipped.push(name);
    return ok;
  }

  /** Adds an A or AAAA (by the address family); returns false for a duplicate or an unservable name. */
  addAddress(name: string, ip: IpAddress): boolean {
    const n = this.accept(name);
    if (n === undefined) return false;
    const key = `${ip.family}|${n}|${ip.text}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    const map = ip.family === 4 ? this.a : this.aaaa;
    const list = map.get(n);
    const rec = { text: ip.text, bytes: ip.bytes };
    if (list) list.push(rec);
    else map.set(n, [rec]);
    return true;
  }

  addSrv(name: string, target: string, port: number, weight: number): boolean {
    const n = this.accept(name);
    const t = this.accept(target);
    if (n === undefined || t === undefined) return false;
    if (!Number.isInteger(port) || port < 0 || port > 65535) return false;
    const key = `srv|${n}|${t}:${port}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    const rec = { target: t, port, priority: 0, weight };
    const list = this.srv.get(n);
    if (list) list.push(rec);
    else this.srv.set(n, [rec]);
    return true;
  }

  addPtr(name: string, target: string): boolean {
    const n = this.accept(name);
    const t = this.accept(target);
    if (n === undefined || t === undefined) return false;
    const key = `ptr|${n}|${t}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    const list = this.ptr.get(n);
    if (list) list.push(t);
    else this.ptr.set(n, [t]);
    return true;
  }

  build(
    config: DnsConfig,
    serial: number,
    reverseZones: readonly string[],
    enumeration: { frameworks: EnumerableFramework[] },
  ): RecordSet {
    const domain = `${config.Domain}.`;
    const names = new Set<string>([domain, ...reverseZones]);
    const suffix = `.${domain}`;
    const addWithAncestors = (owner: string, stopAt: (n: string) => boolean): void => {
      for (const n of ancestorsOf(owner)) {
        if (names.has(n)) break;
        names.add(n);
        if (stopAt(n)) break;
      }
    };
    const inDomain = (n: string): boolean => n === domain || n.endsWith(suffix);
    for (const map of [this.a, this.aaaa, this.srv]) {
      for (const owner of map.keys()) {
        // The SOA mname may sit outside the domain; we are not authoritative there, so it gets no ENTs.
        if (inDomain(owner)) addWithAncestors(owner, (n) => n === domain);
        else names.add(owner);
      }
    }
    for (const owner of this.ptr.keys()) {
      const zone = reverseZones.find((z) => owner === z || owner.endsWith(`.${z}`));
      if (zone !== undefined) addWithAncestors(owner, (n) => n === zone);
      else names.add(owner);
    }
    return {
      config,
      domain,
      serial,
      a: this.a,
      aaaa: this.aaaa,
      srv: this.srv,
      ptr: this.ptr,
      names,
      reverseZones,
      enumeration,
      skipped: this.skipped,
    };
  }
}
