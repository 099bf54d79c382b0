import { isValidRole } from '@agora/model';
import { LOG_LEVELS } from '@agora/logging';

/** The master's command line, validated. Durations are kept in milliseconds internally. */
export interface MasterConfig {
  nats: string;
  consul: string;
  ip: string;
  port: number;
  hostname: string;
  workDir?: string;
  agentPingTimeoutMs: number;
  agentReregisterTimeoutMs: number;
  frameworkPingTimeoutMs: number;
  offerTimeoutMs: number;
  allocationIntervalMs: number;
  weights: Record<string, number>;
  logLevel: string;
}

export const USAGE = `usage: master --nats URL --consul URL --ip IP --port PORT [--hostname H] [--work-dir DIR]
  [--agent-ping-timeout SECS=15] [--agent-reregister-timeout SECS=15] [--framework-ping-timeout SECS=5]
  [--offer-timeout SECS=30] [--allocation-interval SECS=1] [--weights role=w,role=w] [--log-level info]`;

const SECONDS_FLAGS = {
  'agent-ping-timeout': ['agentPingTimeoutMs', 15],
  'agent-reregister-timeout': ['agentReregisterTimeoutMs', 15],
  'framework-ping-timeout': ['frameworkPingTimeoutMs', 5],
  'offer-timeout': ['offerTimeoutMs', 30],
  'allocation-interval': ['allocationIntervalMs', 1],
} as const;

const STRING_FLAGS = ['nats', 'consul', 'ip', 'port', 'hostname', 'work-dir', 'weights', 'log-level'] as const;

/** Parses `--flag value` / `--flag=value`. Returns the config or a message for stderr (the caller exits 2). */
export function parseMasterFlags(argv: readonly string[], defaultHostname: string): MasterConfig | { error: string } {
  const raw = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { error: USAGE };
    if (!arg.startsWith('--')) return { error: `unexpected argument "${arg}"\n${USAGE}` };
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const known = (STRING_FLAGS as readonly string[]).includes(name) || name in SECONDS_FLAGS;
    if (!known) return { error: `unknown flag --${name}\n${USAGE}` };
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) return { error: `--${name} needs a value` };
    raw.set(name, value);
  }

  for (const required of ['nats', 'consul', 'ip', 'port']) {
    if (!raw.get(required)) return { error: `--${required} is required\n${USAGE}` };
  }
  const nats = raw.get('nats') ?? '';
  const consul = raw.get('consul') ?? '';
  if (!/^nats:\/\/[^\s]+$/.test(nats) && !/^[^\s:/]+:\d+$/.test(nats)) return { error: `--nats must be a nats:// URL, got "${nats}"` };
  if (!/^https?:\/\/[^\s]+$/.test(consul)) return { error: `--consul must be an http(s):// URL, got "${consul}"` };
  const ip = raw.get('ip') ?? '';
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip) || ip.split('.').some((o) => Number(o) > 255)) return { error: `--ip must be an IPv4 address, got "${ip}"` };
  const port = Number(raw.get('port'));
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: `--port must be an integer in 1..65535, got "${raw.get('port') ?? ''}"` };

  const logLevel = raw.get('log-level') ?? process.env.AGORA_LOG_LEVEL ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) return { error: `--log-level must be one of ${LOG_LEVELS.join(', ')}` };

  const weights = parseWeights(raw.get('weights') ?? '');
  if (typeof weights === 'string') return { error: weights };

  const cfg: MasterConfig = {
    nats,
    consul,
    ip,
    port,
    hostname: raw.get('hostname') || defaultHostname,
    workDir: raw.get('work-dir') || undefined,
    agentPingTimeoutMs: 15_000,
    agentReregisterTimeoutMs: 15_000,
    frameworkPingTimeoutMs: 5_000,
    offerTimeoutMs: 30_000,
    allocationIntervalMs: 1_000,
    weights,
    logLevel,
  };
  for (const [flag, [key, def]] of Object.entries(SECONDS_FLAGS)) {
    const text = raw.get(flag);
    const secs = text === undefined ? def : Number(text);
    if (!Number.isFinite(secs) || secs <= 0 || secs > 365 * 24 * 3600) return { error: `--${flag} must be a positive number of seconds, got "${text ?? ''}"` };
    cfg[key] = Math.round(secs * 1000);
  }
  return cfg;
}

/** `role1=2,role2=0.5` → {role1: 2, role2: 0.5}; an error string when malformed. */
export function parseWeights(text: string): Record<string, number> | string {
  const out: Record<string, number> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const role = eq > 0 ? part.slice(0, eq).trim() : '';
    const w = Number(eq > 0 ? part.slice(eq + 1) : NaN);
    if (!role || !isValidRole(role)) return `--weights: "${part}" does not name a valid role`;
    if (!Number.isFinite(w) || w <= 0) return `--weights: weight of "${role}" must be a positive number`;
    out[role] = w;
  }
  return out;
}

/** The flags as /master/state shows them (strings, Mesos style; `nats` and `consul` are how the CLI finds the bus). */
export function flagsView(cfg: MasterConfig): Record<string, string> {
  const secs = (ms: number) => `${ms / 1000}secs`;
  const flags: Record<string, string> = {
    nats: cfg.nats,
    consul: cfg.consul,
    ip: cfg.ip,
    port: String(cfg.port),
    hostname: cfg.hostname,
    agent_ping_timeout: secs(cfg.agentPingTimeoutMs),
    agent_reregister_timeout: secs(cfg.agentReregisterTimeoutMs),
    framework_ping_timeout: secs(cfg.frameworkPingTimeoutMs),
    offer_timeout: secs(cfg.offerTimeoutMs),
    allocation_interval: secs(cfg.allocationIntervalMs),
    min_allocatable_resources: 'cpus:0.01|mem:32',
    max_completed_tasks_per_framework: '1000',
    weights: Object.entries(cfg.weights)
      .map(([r, w]) => `${r}=${w}`)
      .join(','),
    log_level: cfg.logLevel,
  };
  if (cfg.workDir) flags.work_dir = cfg.workDir;
  return flags;
}
