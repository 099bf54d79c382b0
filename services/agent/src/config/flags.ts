import { Command, CommanderError } from 'commander';
import { DEFAULT_PORTS } from '@agora/contracts';
import { parseAttributes, parseResourceFlag, Resources, type Attributes } from '@agora/model';
import { LOG_LEVELS } from '@agora/logging';

export type IsolationMode = 'auto' | 'cgroups' | 'none';
export const CONTAINERIZERS = ['process', 'docker'] as const;
export type ContainerizerName = (typeof CONTAINERIZERS)[number];

export interface AgentConfig {
  nats: string[];
  workDir: string;
  consul?: string;
  ip: string;
  hostname: string;
  port: number;
  resources: Resources;
  attributes: Attributes;
  /** The containerizers asked for; with `containerizersAuto` main.ts decides (docker only when a daemon answers). */
  containerizers: ContainerizerName[];
  /** No --containerizers given: docker,process when a Docker daemon answers, else process. */
  containerizersAuto: boolean;
  /** --docker-socket: a unix socket path, unix://…, tcp://host:port; undefined: DOCKER_HOST, else /var/run/docker.sock. */
  dockerSocket?: string;
  dockerAllowPrivileged: boolean;
  dockerAllowParameters: boolean;
  /** Cap a container's cpu time at its cpus (CFS quota) on top of the cpu share. */
  dockerCpuQuota: boolean;
  isolation: IsolationMode;
  heartbeatIntervalMs: number;
  statusRetryIntervalMs: number;
  defaultGraceMs: number;
  killTasksOnExit: boolean;
  logLevel: string;
  /** The flags as given (after defaults), for /state and /flags. */
  flags: Record<string, string>;
}

/** What the machine has, for resources the operator did not give (filled by detect-resources.ts). */
export interface DetectedResources {
  cpus: number;
  memMb: number;
  diskMb: number;
}

export type FlagsResult = { ok: true; config: AgentConfig } | { ok: false; exitCode: number; message: string };

const DEFAULT_PORT_RANGE = { begin: 31000, end: 32000 };

/**
 * Parses and validates the agent's command line. Pure apart from `detect`, which is only called for
 * resources the operator left out, so tests can pass a fixed machine.
 */
export function parseAgentFlags(argv: readonly string[], detect: (workDir: string) => DetectedResources): FlagsResult {
  const program = new Command('agora-agent')
    .description('Agora agent: runs tasks the master sends, reports their status, serves their sandboxes')
    .requiredOption('--nats <urls>', 'NATS server URL(s), comma separated')
    .requiredOption('--work-dir <dir>', 'where sandboxes and checkpoints live')
    .option('--consul <url>', 'Consul HTTP address; when given the agent registers in the service catalog')
    .option('--ip <ip>', 'address to bind and advertise', '127.0.0.1')
    .option('--hostname <name>', 'hostname to advertise (default: the ip)')
    .option('--port <port>', 'HTTP port (0: any free port)', String(DEFAULT_PORTS.agent))
    .option('--resources <spec>', 'e.g. "cpus:2;mem:1024;disk:2048;ports:[31000-32000]"; missing ones are detected')
    .option('--attributes <spec>', 'e.g. "rack:a;zone:z1"')
    .option('--containerizers <list>', 'comma separated: docker,process (default: both when a Docker daemon answers, else process)')
    .option('--docker-socket <path|url>', 'Docker daemon: a unix socket path, unix://… or tcp://host:port (default: DOCKER_HOST, else /var/run/docker.sock)')
    .option('--docker-allow-privileged', 'let tasks ask for privileged containers')
    .option('--docker-allow-parameters', 'let tasks pass raw docker run parameters (container.docker.parameters)')
    .option('--no-docker-cpu-quota', 'only a relative cpu share for containers, no hard cap at their cpus')
    .option('--isolation <mode>', 'auto | cgroups | none', 'auto')
    .option('--heartbeat-interval <seconds>', 'seconds between heartbeats to the master', '1')
    .option('--status-retry-interval <seconds>', 'seconds before an unacknowledged status update is resent', '2')
    .option('--default-grace-period <seconds>', 'seconds between SIGTERM and SIGKILL when killing a task', '3')
    .option('--no-kill-tasks-on-exit', 'leave tasks running when the agent stops (a restart recovers them)')
    .option('--log-level <level>', LOG_LEVELS.join(' | '), 'info')
    .exitOverride()
    .helpOption('-h, --help');

  let help = '';
  program.configureOutput({ writeOut: (s) => (help += s), writeErr: (s) => (help += s) });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help') return { ok: false, exitCode: 0, message: help };
      return { ok: false, exitCode: 2, message: `agora-agent: ${e.message.replace(/^error: /, '')}` };
    }
    throw e;
  }
  const o = program.opts<Record<string, string | boolean | undefined>>();
  const fail = (message: string): FlagsResult => ({ ok: false, exitCode: 2, message: `agora-agent: ${message}` });
  const str = (k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);

  const nats = (str('nats') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (nats.length === 0 || !nats.every((u) => /^(nats|tls|ws|wss):\/\/[^\s]+$/.test(u) || /^[\w.-]+:\d+$/.test(u)))
    return fail(`--nats must be nats://host:port (comma separated), got "${str('nats')}"`);
  const workDir = str('workDir') ?? '';
  if (!workDir.trim()) return fail('--work-dir must not be empty');

  const consul = str('consul');
  if (consul !== undefined && !/^https?:\/\/[^\s]+$/.test(consul)) return fail(`--consul must be an http(s) URL, got "${consul}"`);

  const ip = str('ip') ?? '127.0.0.1';
  if (!isIPv4(ip)) return fail(`--ip must be an IPv4 address, got "${ip}"`);
  const hostname = str('hostname') ?? ip;
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(hostname)) return fail(`--hostname "${hostname}" is not a valid host name`);

  const port = Number(str('port'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail(`--port must be an integer 0-65535, got "${str('port')}"`);

  let given: Resources = { scalars: {}, ports: [] };
  let portsGiven = false;
  const resText = str('resources');
  if (resText !== undefined) {
    const parsed = parseResourceFlag(resText);
    if (typeof parsed === 'string') return fail(`--resources: ${parsed}`);
    given = parsed;
    portsGiven = /(^|;)\s*ports\s*:/.test(resText);
  }
  const needDetect = ['cpus', 'mem', 'disk'].some((k) => given.scalars[k] === undefined);
  const machine = needDetect ? detect(workDir) : undefined;
  const scalars: Record<string, number> = { ...given.scalars };
  if (scalars.cpus === undefined) scalars.cpus = machine?.cpus ?? 1;
  if (scalars.mem === undefined) scalars.mem = machine?.memMb ?? 256;
  if (scalars.disk === undefined) scalars.disk = machine?.diskMb ?? 0;
  const resources: Resources = { scalars, ports: portsGiven ? given.ports : [DEFAULT_PORT_RANGE] };

  let attributes: Attributes = {};
  const attrText = str('attributes');
  if (attrText !== undefined) {
    const parsed = parseAttributes(attrText);
    if (typeof parsed === 'string') return fail(`--attributes: ${parsed}`);
    attributes = parsed;
  }

  const containerizersAuto = str('containerizers') === undefined;
  const containerizers = [...new Set((str('containerizers') ?? 'docker,process').split(',').map((s) => s.trim()).filter(Boolean))];
  const unknown = containerizers.filter((c) => !(CONTAINERIZERS as readonly string[]).includes(c));
  if (containerizers.length === 0 || unknown.length) return fail(`--containerizers: unknown "${unknown.join(',')}" (known: ${CONTAINERIZERS.join(', ')})`);
  const dockerSocket = str('dockerSocket');
  if (dockerSocket !== undefined && !/^(\/\S+|unix:\/\/\/\S+|(tcp|http|https):\/\/[^\s/]+:\d+\/?)$/.test(dockerSocket))
    return fail(`--docker-socket must be a socket path, unix:///path or tcp://host:port, got "${dockerSocket}"`);

  const isolation = str('isolation') ?? 'auto';
  if (isolation !== 'auto' && isolation !== 'cgroups' && isolation !== 'none') return fail(`--isolation must be auto, cgroups or none, got "${isolation}"`);

  const seconds = (flag: string, key: string, allowZero: boolean): number | string => {
    const v = Number(str(key));
    if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) return `--${flag} must be a ${allowZero ? 'non-negative' : 'positive'} number of seconds, got "${str(key)}"`;
    return v;
  };
  const hb = seconds('heartbeat-interval', 'heartbeatInterval', false);
  if (typeof hb === 'string') return fail(hb);
  const retry = seconds('status-retry-interval', 'statusRetryInterval', false);
  if (typeof retry === 'string') return fail(retry);
  const grace = seconds('default-grace-period', 'defaultGracePeriod', true);
  if (typeof grace === 'string') return fail(grace);

  const logLevel = str('logLevel') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) return fail(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  const killTasksOnExit = o.killTasksOnExit !== false;
  const config: AgentConfig = {
    nats,
    workDir,
    consul,
    ip,
    hostname,
    port,
    resources,
    attributes,
    containerizers: containerizers as ContainerizerName[],
    containerizersAuto,
    ...(dockerSocket !== undefined ? { dockerSocket } : {}),
    dockerAllowPrivileged: o.dockerAllowPrivileged === true,
    dockerAllowParameters: o.dockerAllowParameters === true,
    dockerCpuQuota: o.dockerCpuQuota !== false,
    isolation,
    heartbeatIntervalMs: Math.round(hb * 1000),
    statusRetryIntervalMs: Math.round(retry * 1000),
    defaultGraceMs: Math.round(grace * 1000),
    killTasksOnExit,
    logLevel,
    flags: {
      nats: nats.join(','),
      work_dir: workDir,
      ...(consul ? { consul } : {}),
      ip,
      hostname,
      port: String(port),
      resources: resText ?? '',
      attributes: attrText ?? '',
      containerizers: containerizersAuto ? 'auto' : containerizers.join(','),
      ...(dockerSocket !== undefined ? { docker_socket: dockerSocket } : {}),
      docker_allow_privileged: String(o.dockerAllowPrivileged === true),
      docker_allow_parameters: String(o.dockerAllowParameters === true),
      docker_cpu_quota: String(o.dockerCpuQuota !== false),
      isolation,
      heartbeat_interval: `${hb}secs`,
      status_retry_interval: `${retry}secs`,
      default_grace_period: `${grace}secs`,
      kill_tasks_on_exit: String(killTasksOnExit),
      log_level: logLevel,
    },
  };
  return { ok: true, config };
}

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}
