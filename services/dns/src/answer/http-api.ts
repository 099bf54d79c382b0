import { asciiLower, type RecordSet } from '../records';
import { cleanWild } from './zones';

/** Mesos-DNS HTTP API bodies (spec "HTTP API behaviour"), computed from a record set. */
export interface HostEntry {
  host: string;
  ip: string;
}
export interface ServiceEntry {
  service: string;
  host: string;
  ip: string;
  port: string;
}

function fqdnKey(name: string): string {
  const n = asciiLower(cleanWild(name));
  return n.endsWith('.') ? n : `${n}.`;
}

/** `GET /v1/hosts/{host}`: A then AAAA values; a miss is one empty entry (HTTP 200), never `[]`. */
export function lookupHosts(records: RecordSet, host: string): HostEntry[] {
  const dom = fqdnKey(host);
  const out = [...(records.a.get(dom) ?? []), ...(records.aaaa.get(dom) ?? [])].map((r) => ({ host: dom, ip: r.text }));
  return out.length > 0 ? out : [{ host: '', ip: '' }];
}

/**
 * `GET /v1/services/{service}`: one entry per SRV target address (its first A, then its first AAAA); targets
 * without an address are left out. `service` echoes the path parameter exactly. A miss is one empty entry.
 */
export function lookupServices(records: RecordSet, service: string): ServiceEntry[] {
  const out: ServiceEntry[] = [];
  for (const s of records.srv.get(fqdnKey(service)) ?? []) {
    const a = records.a.get(s.target)?.[0];
    const aaaa = records.aaaa.get(s.target)?.[0];
    if (a) out.push({ service, host: s.target, ip: a.text, port: String(s.port) });
    if (aaaa) out.push({ service, host: s.target, ip: aaaa.text, port: String(s.port) });
  }
  return out.length > 0 ? out : [{ service: '', host: '', ip: '', port: '' }];
}

/** `GET /v1/axfr` (EnumerationOn): the zone's A, AAAA and SRV data with the SOA parameters. */
export function axfr(records: RecordSet): {
  TTL: number;
  Serial: number;
  RefreshSeconds: number;
  Mname: string;
  Rname: string;
  Domain: string;
  Records: { As: Record<string, string[]>; AAAAs: Record<string, string[]>; SRVs: Record<string, string[]> };
} {
  const addrs = (m: RecordSet['a']): Record<string, string[]> =>
    Object.fromEntries([...m].map(([k, v]) => [k, v.map((r) => r.text)]));
  return {
    TTL: records.config.TTL,
    Serial: records.serial,
    RefreshSeconds: records.config.RefreshSeconds,
    Mname: records.config.SOAMname,
    Rname: records.config.SOARname,
    Domain: records.config.Domain,
    Records: {
      As: addrs(records.a),
      AAAAs: addrs(records.aaaa),
      SRVs: Object.fromEntries([...records.srv].map(([k, v]) => [k, v.map((s) => `${s.target}:${s.port}`)])),
    },
  };
}

/** `GET /v1/enumerate` (EnumerationOn): frameworks → tasks → the records each task produced. */
export function enumerate(records: RecordSet): RecordSet['enumeration'] {
  return records.enumeration;
}
