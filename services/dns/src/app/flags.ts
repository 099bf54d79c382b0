import { httpUrlError, logLevelError, natsUrlError, parsePort, readFlags } from '@agora/service';
import { isIp, parseUpstream } from '../server/upstream-address';

/** The DNS server's command line. Flags given override the config file's values. */
export interface DnsFlags {
  nats: string;
  consul?: string;
  /** A Mesos-DNS config.json, re-read on SIGHUP. */
  configFile?: string;
  /** → Listener and HTTPListener */
  ip?: string;
  /** → Port */
  port?: number;
  /** → HttpPort */
  httpPort?: number;
  /** → Domain */
  domain?: string;
  /** → Resolvers */
  resolvers?: string[];
  logLevel: string;
  /** Processes answering on the shared UDP/TCP/HTTP listeners (node:cluster); 1 = this process alone. */
  workers: number;
}

export const USAGE = `usage: dns --nats URL [--consul URL] [--config FILE] [--ip 127.0.0.1] [--port 8053]
  [--http-port 8123] [--domain mesos] [--resolvers IP[:PORT],…] [--log-level info] [--workers 1]
Flags override the same settings of the config file (Mesos-DNS config.json: Listener, Port, HttpPort,
Domain, Resolvers). --workers N runs N answering processes on the same sockets. SIGHUP re-reads the
config file; SIGTERM stops.`;

const FLAGS = ['nats', 'consul', 'config', 'ip', 'port', 'http-port', 'domain', 'resolvers', 'log-level', 'workers'] as const;

/** More workers than this only adds memory and NATS load: each keeps its own copy of the cluster. */
export const MAX_WORKERS = 16;

/** Parses `--flag value` / `--flag=value`. Returns the flags or a message for stderr (the caller exits 2). */
export function parseDnsFlags(argv: readonly string[]): DnsFlags | { error: string } {
  const raw = readFlags(argv, FLAGS, USAGE);
  if (!(raw instanceof Map)) return raw;
  const nats = raw.get('nats');
  if (!nats) return { error: `--nats is required\n${USAGE}` };
  const natsError = natsUrlError(nats);
  if (natsError) return { error: natsError };
  const flags: DnsFlags = { nats, logLevel: raw.get('log-level') ?? process.env.AGORA_LOG_LEVEL ?? 'info', workers: 1 };
  const levelError = logLevelError(flags.logLevel);
  if (levelError) return { error: levelError };

  const workers = raw.get('workers');
  if (workers !== undefined) {
    const n = Number(workers);
    if (!/^\d+$/.test(workers) || n < 1 || n > MAX_WORKERS) return { error: `--workers must be an integer in 1..${MAX_WORKERS}, got "${workers}"` };
    flags.workers = n;
  }
  const consul = raw.get('consul');
  if (consul !== undefined) {
    const consulError = httpUrlError('consul', consul);
    if (consulError) return { error: consulError };
    flags.consul = consul;
  }
  const config = raw.get('config');
  if (config !== undefined) flags.configFile = config;
  const ip = raw.get('ip');
  if (ip !== undefined) {
    if (!isIp(ip)) return { error: `--ip must be an IP address, got "${ip}"` };
    flags.ip = ip;
  }
  for (const [name, key] of [['port', 'port'], ['http-port', 'httpPort']] as const) {
    const v = raw.get(name);
    if (v === undefined) continue;
    const p = parsePort(name, v);
    if (typeof p === 'string') return { error: p };
    flags[key] = p;
  }
  const domain = raw.get('domain');
  if (domain !== undefined) flags.domain = domain;
  const resolvers = raw.get('resolvers');
  if (resolvers !== undefined) {
    const list: string[] = [];
    for (const r of resolvers.split(',').filter((x) => x.trim() !== '')) {
      const u = parseUpstream(r);
      if (u === undefined) return { error: `--resolvers: "${r}" is not IP, IP:PORT or [IPv6]:PORT` };
      list.push(u.text);
    }
    flags.resolvers = list;
  }
  return flags;
}
