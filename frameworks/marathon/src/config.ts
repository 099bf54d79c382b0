import { LOG_LEVELS } from '@agora/logging';

/** Marathon's command line, validated. */
export interface MarathonConfig {
  nats: string;
  consul: string;
  ip: string;
  port: number;
  /** Name this instance gives as its address (`/v2/leader`, `/v2/info`); defaults to the ip. */
  hostname: string;
  logLevel: string;
  /** The master's HTTP URL, shown in /v2/info (Marathon's `--master`); the scheduler itself uses NATS. */
  masterUrl?: string;
  /** Most stored versions per app (Marathon's `--max_versions`). */
  maxVersions: number;
  /** Framework name registered with the master. */
  frameworkName: string;
}

export const USAGE = `usage: marathon --nats URL --consul URL [--ip 127.0.0.1] [--port 8080] [--hostname H]
  [--master-url http://127.0.0.1:5050] [--max-versions 50] [--framework-name marathon] [--log-level info]`;

const FLAGS = ['nats', 'consul', 'ip', 'port', 'hostname', 'log-level', 'master-url', 'max-versions', 'framework-name'] as const;

/** Parses `--flag value` / `--flag=value`. Returns the config or a message for stderr (the caller exits 2). */
export function parseMarathonFlags(argv: readonly string[]): MarathonConfig | { error: string } {
  const raw = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { error: USAGE };
    if (!arg.startsWith('--')) return { error: `unexpected argument "${arg}"\n${USAGE}` };
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!(FLAGS as readonly string[]).includes(name)) return { error: `unknown flag --${name}\n${USAGE}` };
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) return { error: `--${name} needs a value` };
    raw.set(name, value);
  }
  for (const required of ['nats', 'consul']) if (!raw.get(required)) return { error: `--${required} is required\n${USAGE}` };
  const nats = raw.get('nats') ?? '';
  const consul = raw.get('consul') ?? '';
  if (!/^nats:\/\/\S+$/.test(nats) && !/^[^\s:/]+:\d+$/.test(nats)) return { error: `--nats must be a nats:// URL, got "${nats}"` };
  if (!/^https?:\/\/\S+$/.test(consul)) return { error: `--consul must be an http(s):// URL, got "${consul}"` };
  const ip = raw.get('ip') ?? '127.0.0.1';
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip) || ip.split('.').some((o) => Number(o) > 255)) return { error: `--ip must be an IPv4 address, got "${ip}"` };
  const port = Number(raw.get('port') ?? 8080);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: `--port must be an integer in 1..65535, got "${raw.get('port') ?? ''}"` };
  const logLevel = raw.get('log-level') ?? process.env.AGORA_LOG_LEVEL ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) return { error: `--log-level must be one of ${LOG_LEVELS.join(', ')}` };
  const masterUrl = raw.get('master-url');
  if (masterUrl !== undefined && !/^https?:\/\/\S+$/.test(masterUrl)) return { error: `--master-url must be an http(s):// URL, got "${masterUrl}"` };
  const maxVersions = Number(raw.get('max-versions') ?? 50);
  if (!Number.isInteger(maxVersions) || maxVersions < 1) return { error: `--max-versions must be a positive integer` };
  const frameworkName = raw.get('framework-name') ?? 'marathon';
  if (frameworkName.trim() === '') return { error: '--framework-name must not be empty' };
  return { nats, consul, ip, port, hostname: raw.get('hostname') || ip, logLevel, masterUrl, maxVersions, frameworkName };
}
