import { httpUrlError, ipv4Error, logLevelError, natsUrlError, readFlags } from '@agora/service';

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
  const raw = readFlags(argv, FLAGS, USAGE);
  if (!(raw instanceof Map)) return raw;
  for (const required of ['nats', 'consul']) if (!raw.get(required)) return { error: `--${required} is required\n${USAGE}` };
  const nats = raw.get('nats') ?? '';
  const consul = raw.get('consul') ?? '';
  const natsError = natsUrlError(nats);
  if (natsError) return { error: natsError };
  const consulError = httpUrlError('consul', consul);
  if (consulError) return { error: consulError };
  const ip = raw.get('ip') ?? '127.0.0.1';
  const ipError = ipv4Error('ip', ip);
  if (ipError) return { error: ipError };
  const port = Number(raw.get('port') ?? 8080);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: `--port must be an integer in 1..65535, got "${raw.get('port') ?? ''}"` };
  const logLevel = raw.get('log-level') ?? process.env.AGORA_LOG_LEVEL ?? 'info';
  const levelError = logLevelError(logLevel);
  if (levelError) return { error: levelError };
  const masterUrl = raw.get('master-url');
  if (masterUrl !== undefined && !/^https?:\/\/\S+$/.test(masterUrl)) return { error: `--master-url must be an http(s):// URL, got "${masterUrl}"` };
  const maxVersions = Number(raw.get('max-versions') ?? 50);
  if (!Number.isInteger(maxVersions) || maxVersions < 1) return { error: `--max-versions must be a positive integer` };
  const frameworkName = raw.get('framework-name') ?? 'marathon';
  if (frameworkName.trim() === '') return { error: '--framework-name must not be empty' };
  return { nats, consul, ip, port, hostname: raw.get('hostname') || ip, logLevel, masterUrl, maxVersions, frameworkName };
}
