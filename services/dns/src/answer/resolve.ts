import type { RecordSet } from '../records';
import { RRClass, RRType, Rcode } from '../wire/constants';
import type { Question, ResourceRecord } from '../wire/types';
import type { ZoneMatch } from './zones';

export interface Resolution {
  rcode: number;
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
}

/**
 * The answer sections for a question in a zone we serve (spec "DNS answer behaviour"):
 * - A/AAAA/SRV/PTR hits → NOERROR with the records; SRV adds the first A and AAAA of each distinct target.
 * - a name that exists under other types only (or is an empty non-terminal) → NODATA: NOERROR + SOA.
 * - a missing name → NXDOMAIN + SOA.
 * - Mesos-DNS quirks (config.mesosDnsAnswerQuirks, default): SOA and NS go to the authority section for any
 *   name; an SRV, SOA or NS question with no answer is a bare NOERROR. Without quirks SOA/NS are answered
 *   at the apex only and every miss gets NXDOMAIN/NODATA + SOA.
 * - ANY → the union. Answer owner names echo the question's spelling.
 */
export function resolveInZone(records: RecordSet, zone: Exclude<ZoneMatch, { kind: 'outside' }>, key: string, q: Question): Resolution {
  const config = records.config;
  const ttl = config.TTL;
  const quirks = config.mesosDnsAnswerQuirks;
  const apex = zone.kind === 'ptr' ? key : zone.apex;
  const isApex = key === apex;
  const owner = q.name;
  const res: Resolution = { rcode: Rcode.NOERROR, answers: [], authorities: [], additionals: [] };
  const qt = q.type;
  const any = qt === RRType.ANY;

  // In the answer section the owner echoes the question's spelling; in the authority section it is the apex.
  const soa = (name = apex): ResourceRecord => ({
    name,
    type: RRType.SOA,
    class: RRClass.IN,
    ttl,
    data: {
      kind: 'SOA',
      mname: config.SOAMname,
      rname: config.SOARname,
      serial: records.serial >>> 0,
      refresh: config.SOARefresh,
      retry: config.SOARetry,
      expire: config.SOAExpire,
      minimum: config.SOAMinttl,
    },
  });
  const ns = (name = apex): ResourceRecord => ({ name, type: RRType.NS, class: RRClass.IN, ttl, data: { kind: 'NAME', target: config.SOAMname } });
  const addressesOf = (name: string, owner_: string, family: 4 | 6, firstOnly: boolean): ResourceRecord[] => {
    const list = (family === 4 ? records.a : records.aaaa).get(name) ?? [];
    return (firstOnly ? list.slice(0, 1) : list).map((r) => ({
      name: owner_,
      type: family === 4 ? RRType.A : RRType.AAAA,
      class: RRClass.IN,
      ttl,
      data: family === 4 ? { kind: 'A' as const, address: r.bytes } : { kind: 'AAAA' as const, address: r.bytes },
    }));
  };
  const glue = (target: string, seen: Set<string>): void => {
    if (seen.has(target)) return;
    seen.add(target);
    res.additionals.push(...addressesOf(target, target, 4, true), ...addressesOf(target, target, 6, true));
  };

  const glueSeen = new Set<string>();
  if (zone.kind === 'domain') {
    if (qt === RRType.A || any) res.answers.push(...addressesOf(key, owner, 4, false));
    if (qt === RRType.AAAA || any) res.answers.push(...addressesOf(key, owner, 6, false));
    if (qt === RRType.SRV || any) {
      for (const s of records.srv.get(key) ?? []) {
        res.answers.push({
          name: owner,
          type: RRType.SRV,
          class: RRClass.IN,
          ttl,
          data: { kind: 'SRV', priority: s.priority, weight: s.weight, port: s.port, target: s.target },
        });
        glue(s.target, glueSeen);
      }
    }
  }
  if ((qt === RRType.PTR || any) && zone.kind !== 'domain') {
    for (const target of records.ptr.get(key) ?? []) {
      res.answers.push({ name: owner, type: RRType.PTR, class: RRClass.IN, ttl, data: { kind: 'NAME', target } });
    }
  }
  if (zone.kind !== 'ptr') {
    if (qt === RRType.SOA || any) {
      if (quirks) res.authorities.push(soa());
      else if (isApex) res.answers.push(soa(owner));
    }
    if (qt === RRType.NS || any) {
      if (quirks) res.authorities.push(ns());
      else if (isApex) res.answers.push(ns(owner));
      glue(config.SOAMname, glueSeen);
    }
  }

  if (res.answers.length > 0) return res;
  if (quirks && (qt === RRType.SOA || qt === RRType.NS || qt === RRType.SRV)) return res;
  res.rcode = records.names.has(key) || isApex ? Rcode.NOERROR : Rcode.NXDOMAIN;
  if (!res.authorities.some((r) => r.type === RRType.SOA)) res.authorities.push(soa());
  // Glue for an NS that ended up not being answered is noise.
  if (!res.authorities.some((r) => r.type === RRType.NS)) res.additionals = [];
  return res;
}
