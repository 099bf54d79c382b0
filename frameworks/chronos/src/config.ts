import { httpUrlError, ipv4Error, logLevelError, natsUrlError, readFlags } from '@agora/service';
import { DEFAULT_PORTS } from '@agora/contracts';

export interface ChronosConfig {
  nats: string;
  consul: string;
  ip: string;
  port: number;
  hostname: string;
  logLevel: string;
  /** The longest the scheduler sleeps between two ticks even when nothing is due (a safety net). */
  tickMs: number;
  /** Offers are asked for (revive) this long before the next due time, so they are at hand when it comes. */
  reviveAheadMs: number;
  /**
   * Launch ahead: a scheduled run whose start is certain is launched up to this long before its due
   * time, its command held by the agent until then (TaskInfo.startAt); 0 disables it.
   */
  launchAheadMs: number;
  /** Seconds the master keeps the framework and its tasks while no Chronos is connected (one week). */
  failoverTimeoutSeconds: number;
  frameworkName: string;
}

export const USAGE = `usage: chronos --nats nats://HOST:PORT --consul http://HOST:PORT [--ip 127.0.0.1] [--port ${DEFAULT_PORTS.chronos}]
  [--hostname NAME] [--log-level info] [--tick-ms 30000] [--revive-ahead-ms 5000]
  [--launch-ahead-seconds 5] [--failover-timeout SECS=604800] [--framework-name chronos] [--access-control-allow-origin ORIGIN[,ORIGIN…]]`;

const FLAGS = ['nats', 'consul', 'ip', 'port', 'hostname', 'log-level', 'tick-ms', 'revive-ahead-ms', 'launch-ahead-seconds', 'failover-timeout', 'framework-name'] as const;

/** Parses `--flag value` / `--flag=value`. Returns the config or a message for stderr (the caller exits 2). */
export function parseChronosFlags(argv: readonly string[], defaultHostname: string): ChronosConfig | { error: string } {
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
  const port = Number(raw.get('port') ?? DEFAULT_PORTS.chronos);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: `--port must be an integer in 1..65535, got "${raw.get('port') ?? ''}"` };
  const logLevel = raw.get('log-level') ?? process.env.AGORA_LOG_LEVEL ?? 'info';
  const levelError = logLevelError(logLevel);
  if (levelError) return { error: levelError };

  const positive = (flag: string, def: number, max: number): number | { error: string } => {
    const text = raw.get(flag);
    const n = text === undefined ? def : Number(text);
    if (!Number.isFinite(n) || n <= 0 || n > max) return { error: `--${flag} must be a positive number up to ${max}, got "${text ?? ''}"` };
    return n;
  };
  const tickMs = positive('tick-ms', 30_000, 3_600_000);
  if (typeof tickMs !== 'number') return tickMs;
  const reviveAheadMs = positive('revive-ahead-ms', 5_000, 25_000);
  if (typeof reviveAheadMs !== 'number') return reviveAheadMs;
  const aheadText = raw.get('launch-ahead-seconds');
  const launchAhead = aheadText === undefined ? 5 : Number(aheadText);
  if (!Number.isFinite(launchAhead) || launchAhead < 0 || launchAhead > 60) return { error: `--launch-ahead-seconds must be a number from 0 to 60, got "${aheadText ?? ''}"` };
  const failover = positive('failover-timeout', 7 * 24 * 3600, 365 * 24 * 3600);
  if (typeof failover !== 'number') return failover;
  const frameworkName = raw.get('framework-name') ?? 'chronos';
  if (!frameworkName.trim()) return { error: '--framework-name must not be empty' };
  return {
    nats,
    consul,
    ip,
    port,
    hostname: raw.get('hostname') || defaultHostname,
    logLevel,
    tickMs,
    reviveAheadMs,
    launchAheadMs: Math.round(launchAhead * 1000),
    failoverTimeoutSeconds: failover,
    frameworkName,
  };
}
