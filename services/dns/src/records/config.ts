import { DEFAULT_PORTS } from '@agora/contracts';
import { isValidHostname } from './names';
import { parseCidr } from './ip';

/**
 * The DNS service's configuration. Mesos-DNS options keep their Go field names (as `GET /v1/config` prints
 * them and as Mesos-DNS config.json files spell them, matched case-insensitively on load), so an existing
 * config file and API client work unchanged. Agora's additions are camelCase.
 */
export interface DnsConfig {
  RefreshSeconds: number;
  Port: number;
  Timeout: number;
  StateTimeoutSeconds: number;
  ZkDetectionTimeout: number;
  HttpPort: number;
  TTL: number;
  SRVRecordDefaultWeight: number;
  SOASerial: number;
  SOARefresh: number;
  SOARetry: number;
  SOAExpire: number;
  SOAMinttl: number;
  /** Primary name server, FQDN with trailing dot after resolution (`ns1.mesos.`). */
  SOAMname: string;
  /** Responsible mailbox, `@` replaced by `.`, FQDN (`root.ns1.mesos.`). */
  SOARname: string;
  /** Static masters, `ip:port` / `[ip6]:port`; numbered `masterN` in this order. */
  Masters: string[];
  ZoneResolvers: Record<string, string[]>;
  Resolvers: string[];
  /** Task address sources in priority order: `netinfo`, `docker`, `mesos`, `host`. */
  IPSources: string[];
  Zk: string;
  /** Lowercase, no trailing dot (`mesos`). */
  Domain: string;
  File: string;
  Listener: string;
  HTTPListener: string;
  RecurseOn: boolean;
  DnsOn: boolean;
  HttpOn: boolean;
  ExternalOn: boolean;
  EnforceRFC952: boolean;
  SetTruncateBit: boolean;
  EnumerationOn: boolean;
  MesosHTTPSOn: boolean;
  CACertFile: string;
  CertFile: string;
  KeyFile: string;
  MesosCredentials: { principal: string; secret: string };
  IAMConfigFile: string;
  MesosAuthentication: string;

  /** Agora: a task with health results is answered only while healthy (Mesos-DNS answers all: set false). */
  healthAware: boolean;
  /**
   * Agora: never publish container addresses that do not route off their agent (Docker BRIDGE networks);
   * such a task falls through to the next IP source (normally `host`). False = Mesos-DNS behaviour.
   */
  routableAddressesOnly: boolean;
  /** Agora: PTR records for task and agent addresses (Mesos-DNS has none: set false). */
  ptrOn: boolean;
  /**
   * Agora: reverse zones (CIDRs, octet-aligned for IPv4, nibble-aligned for IPv6) this server is authoritative
   * for: misses inside get NXDOMAIN. Outside them a PTR hit is still answered and a miss is forwarded.
   */
  reverseZones: string[];
  /**
   * Mesos-DNS answer quirks (default on, as the spec says): SOA/NS answers go in the authority section for any
   * name in the domain, and an SRV miss is NOERROR without SOA. Off = RFC behaviour (SOA/NS at the apex in the
   * answer section, NXDOMAIN/NODATA + SOA for every other miss).
   */
  mesosDnsAnswerQuirks: boolean;
}

export const IP_SOURCES = ['netinfo', 'docker', 'mesos', 'host'] as const;
export type IpSource = (typeof IP_SOURCES)[number];

export function defaultDnsConfig(): DnsConfig {
  return {
    RefreshSeconds: 60,
    Port: DEFAULT_PORTS.dns,
    Timeout: 5,
    StateTimeoutSeconds: 300,
    ZkDetectionTimeout: 30,
    HttpPort: DEFAULT_PORTS.dnsHttp,
    TTL: 60,
    SRVRecordDefaultWeight: 1,
    SOASerial: 0,
    SOARefresh: 60,
    SOARetry: 600,
    SOAExpire: 86400,
    SOAMinttl: 60,
    SOAMname: 'ns1.mesos.',
    SOARname: 'root.ns1.mesos.',
    Masters: [],
    ZoneResolvers: {},
    // Agora sends no traffic anywhere by default; the server may fill these from the host's resolv.conf.
    Resolvers: [],
    IPSources: ['netinfo', 'mesos', 'host'],
    Zk: '',
    Domain: 'mesos',
    File: '',
    // Agora listens on loopback unless configured otherwise (DESIGN.md).
    Listener: '127.0.0.1',
    HTTPListener: '127.0.0.1',
    RecurseOn: true,
    DnsOn: true,
    HttpOn: true,
    ExternalOn: true,
    EnforceRFC952: false,
    SetTruncateBit: true,
    EnumerationOn: true,
    MesosHTTPSOn: false,
    CACertFile: '',
    CertFile: '',
    KeyFile: '',
    MesosCredentials: { principal: '', secret: '' },
    IAMConfigFile: '',
    MesosAuthentication: '',
    healthAware: true,
    routableAddressesOnly: true,
    ptrOn: true,
    reverseZones: [],
    mesosDnsAnswerQuirks: true,
  };
}

type FieldKind = 'number' | 'boolean' | 'string' | 'strings' | 'zones' | 'credentials';

function kindOf(value: unknown): FieldKind {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'strings';
  return (value as object) !== null && 'principal' in (value as object) ? 'credentials' : 'zones';
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function isZones(v: unknown): v is Record<string, string[]> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(isStringArray);
}

export interface ResolvedDnsConfig {
  config: DnsConfig;
  /** Problems found: rejected values keep their default; unknown IP sources stay listed and are ignored. */
  errors: string[];
  /** Keys that mean nothing here (Go's JSON decoder ignores them too). */
  unknownKeys: string[];
}

/**
 * Merges a config object (a parsed config.json, CLI overrides …) over the defaults. Keys match field names
 * case-insensitively, as Go's encoding/json does, then names are normalised the way Mesos-DNS does it.
 */
export function resolveDnsConfig(input: unknown): ResolvedDnsConfig {
  const config = defaultDnsConfig();
  const errors: string[] = [];
  const unknownKeys: string[] = [];
  const byLower = new Map<string, keyof DnsConfig>();
  for (const k of Object.keys(config) as (keyof DnsConfig)[]) byLower.set(k.toLowerCase(), k);
  const target = config as unknown as Record<string, unknown>;

  if (input !== undefined && input !== null) {
    if (typeof input !== 'object' || Array.isArray(input)) {
      errors.push('config must be a JSON object');
    } else {
      for (const [rawKey, value] of Object.entries(input as Record<string, unknown>)) {
        const key = byLower.get(rawKey.toLowerCase());
        if (key === undefined) {
          unknownKeys.push(rawKey);
          continue;
        }
        const kind = kindOf(config[key]);
        const ok =
          (kind === 'number' && typeof value === 'number' && Number.isFinite(value)) ||
          (kind === 'boolean' && typeof value === 'boolean') ||
          (kind === 'string' && typeof value === 'string') ||
          (kind === 'strings' && isStringArray(value)) ||
          (kind === 'zones' && isZones(value)) ||
          (kind === 'credentials' && typeof value === 'object' && value !== null);
        if (!ok) {
          errors.push(`${key}: expected ${kind}`);
          continue;
        }
        if (kind === 'credentials') {
          const c = value as Record<string, unknown>;
          config.MesosCredentials = {
            principal: typeof c['principal'] === 'string' ? c['principal'] : '',
            secret: typeof c['secret'] === 'string' ? c['secret'] : '',
          };
        } else {
          target[key] = Array.isArray(value) ? [...(value as string[])] : value;
        }
      }
    }
  }

  config.Domain = config.Domain.toLowerCase().replace(/\.+$/, '');
  if (!isValidHostname(config.Domain)) {
    errors.push(`Domain: "${config.Domain}" is not a valid domain name; using "mesos"`);
    config.Domain = 'mesos';
  }
  config.SOAMname = `${config.SOAMname.toLowerCase().replace(/\.+$/, '')}.`;
  config.SOARname = `${config.SOARname.toLowerCase().replace(/@/g, '.').replace(/\.+$/, '')}.`;
  for (const f of ['SOAMname', 'SOARname'] as const) {
    if (!isValidHostname(config[f].slice(0, -1))) {
      errors.push(`${f}: "${config[f]}" is not a valid domain name`);
      config[f] = defaultDnsConfig()[f];
    }
  }
  for (const f of ['TTL', 'SOARefresh', 'SOARetry', 'SOAExpire', 'SOAMinttl', 'SOASerial'] as const) {
    if (!Number.isInteger(config[f]) || config[f] < 0 || config[f] > 0xffffffff) {
      errors.push(`${f}: must be an integer in 0..2^32-1`);
      config[f] = defaultDnsConfig()[f];
    }
  }
  if (!Number.isInteger(config.SRVRecordDefaultWeight) || config.SRVRecordDefaultWeight < 0 || config.SRVRecordDefaultWeight > 0xffff) {
    errors.push('SRVRecordDefaultWeight: must be an integer in 0..65535');
    config.SRVRecordDefaultWeight = 1;
  }
  for (const s of config.IPSources) {
    if (!(IP_SOURCES as readonly string[]).includes(s)) errors.push(`IPSources: unknown source "${s}" is ignored`);
  }
  for (const z of config.reverseZones) {
    const r = parseCidr(z);
    if (typeof r === 'string') errors.push(`reverseZones: ${r}`);
  }
  return { config, errors, unknownKeys };
}
