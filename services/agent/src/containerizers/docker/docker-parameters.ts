import type { CreateSpec } from './create-spec';

/**
 * `container.docker.parameters`: raw `docker run` options ({key: "cap-add", value: "NET_ADMIN"}), which
 * Mesos hands to the docker CLI verbatim. The agent talks to the Engine API instead, so each supported
 * option is translated to its API field here; anything else is refused with the list of what is known,
 * rather than silently dropped. Options are applied in order and, as on the CLI, a later single-valued
 * one wins (also over what the agent derived from the task, e.g. `memory`).
 */
type Apply = (spec: CreateSpec, value: string) => string | undefined;

const ALIASES: Record<string, string> = { e: 'env', l: 'label', u: 'user', w: 'workdir', h: 'hostname', v: 'volume', m: 'memory' };

const OPTIONS: Record<string, Apply> = {
  env: (s, v) => (/^[^=]+=/.test(v) ? void s.Env.push(v) : `env needs NAME=VALUE, got "${v}"`),
  label: (s, v) => {
    const i = v.indexOf('=');
    if (i === 0) return `label needs KEY=VALUE, got "${v}"`;
    if (i < 0) s.Labels[v] = '';
    else s.Labels[v.slice(0, i)] = v.slice(i + 1);
    return undefined;
  },
  user: (s, v) => void (s.User = v),
  workdir: (s, v) => (v.startsWith('/') ? void (s.WorkingDir = v) : `workdir must be an absolute path, got "${v}"`),
  hostname: (s, v) => void (s.Hostname = v),
  entrypoint: (s, v) => void (s.Entrypoint = [v]),
  'stop-signal': (s, v) => void (s.StopSignal = v),
  'add-host': (s, v) => list(s, 'ExtraHosts', v),
  'cap-add': (s, v) => list(s, 'CapAdd', v),
  'cap-drop': (s, v) => list(s, 'CapDrop', v),
  dns: (s, v) => list(s, 'Dns', v),
  'dns-search': (s, v) => list(s, 'DnsSearch', v),
  'dns-option': (s, v) => list(s, 'DnsOptions', v),
  'group-add': (s, v) => list(s, 'GroupAdd', v),
  'security-opt': (s, v) => list(s, 'SecurityOpt', v),
  volume: (s, v) => (/^[^:]+:\/[^:]*(:(ro|rw|z|Z|[a-z,]+))?$/.test(v) ? void s.HostConfig.Binds.push(v) : `volume needs HOST:CONTAINER[:ro|rw], got "${v}"`),
  tmpfs: (s, v) => {
    const i = v.indexOf(':');
    const dir = i < 0 ? v : v.slice(0, i);
    if (!dir.startsWith('/')) return `tmpfs needs an absolute path, got "${v}"`;
    (s.HostConfig.Tmpfs ??= {})[dir] = i < 0 ? '' : v.slice(i + 1);
    return undefined;
  },
  sysctl: (s, v) => {
    const i = v.indexOf('=');
    if (i <= 0) return `sysctl needs NAME=VALUE, got "${v}"`;
    (s.HostConfig.Sysctls ??= {})[v.slice(0, i)] = v.slice(i + 1);
    return undefined;
  },
  ulimit: (s, v) => {
    const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(v);
    if (!m?.[1] || m[2] === undefined) return `ulimit needs NAME=SOFT[:HARD], got "${v}"`;
    const soft = Number(m[2]);
    (s.HostConfig.Ulimits ??= []).push({ Name: m[1], Soft: soft, Hard: m[3] === undefined ? soft : Number(m[3]) });
    return undefined;
  },
  device: (s, v) => {
    const [host, inContainer, perms] = v.split(':');
    if (!host?.startsWith('/')) return `device needs HOST[:CONTAINER[:PERMISSIONS]], got "${v}"`;
    (s.HostConfig.Devices ??= []).push({ PathOnHost: host, PathInContainer: inContainer || host, CgroupPermissions: perms || 'rwm' });
    return undefined;
  },
  'log-driver': (s, v) => void (s.HostConfig.LogConfig = { Type: v, Config: s.HostConfig.LogConfig?.Config ?? {} }),
  'log-opt': (s, v) => {
    const i = v.indexOf('=');
    if (i <= 0) return `log-opt needs KEY=VALUE, got "${v}"`;
    s.HostConfig.LogConfig ??= { Type: 'json-file', Config: {} };
    s.HostConfig.LogConfig.Config[v.slice(0, i)] = v.slice(i + 1);
    return undefined;
  },
  memory: (s, v) => bytes(v, 'memory', (n) => (s.HostConfig.Memory = n)),
  'memory-swap': (s, v) => (v === '-1' ? void (s.HostConfig.MemorySwap = -1) : bytes(v, 'memory-swap', (n) => (s.HostConfig.MemorySwap = n))),
  'memory-reservation': (s, v) => bytes(v, 'memory-reservation', (n) => (s.HostConfig.MemoryReservation = n)),
  'shm-size': (s, v) => bytes(v, 'shm-size', (n) => (s.HostConfig.ShmSize = n)),
  'memory-swappiness': (s, v) => int(v, 'memory-swappiness', 0, 100, (n) => (s.HostConfig.MemorySwappiness = n)),
  'cpu-shares': (s, v) => int(v, 'cpu-shares', 2, 262144, (n) => (s.HostConfig.CpuShares = n)),
  'cpu-period': (s, v) => int(v, 'cpu-period', 1000, 1_000_000, (n) => (s.HostConfig.CpuPeriod = n)),
  'cpu-quota': (s, v) => int(v, 'cpu-quota', -1, Number.MAX_SAFE_INTEGER, (n) => (s.HostConfig.CpuQuota = n)),
  cpus: (s, v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) return `cpus must be a positive number, got "${v}"`;
    // the API refuses NanoCpus together with a CFS quota/period
    delete s.HostConfig.CpuQuota;
    delete s.HostConfig.CpuPeriod;
    s.HostConfig.NanoCpus = Math.round(n * 1e9);
    return undefined;
  },
  'cpuset-cpus': (s, v) => void (s.HostConfig.CpusetCpus = v),
  'cpuset-mems': (s, v) => void (s.HostConfig.CpusetMems = v),
  'blkio-weight': (s, v) => int(v, 'blkio-weight', 10, 1000, (n) => (s.HostConfig.BlkioWeight = n)),
  'pids-limit': (s, v) => int(v, 'pids-limit', -1, Number.MAX_SAFE_INTEGER, (n) => (s.HostConfig.PidsLimit = n)),
  'oom-score-adj': (s, v) => int(v, 'oom-score-adj', -1000, 1000, (n) => (s.HostConfig.OomScoreAdj = n)),
  'oom-kill-disable': (s, v) => bool(v, 'oom-kill-disable', (b) => (s.HostConfig.OomKillDisable = b)),
  init: (s, v) => bool(v, 'init', (b) => (s.HostConfig.Init = b)),
  'read-only': (s, v) => bool(v, 'read-only', (b) => (s.HostConfig.ReadonlyRootfs = b)),
  ipc: (s, v) => void (s.HostConfig.IpcMode = v),
  pid: (s, v) => void (s.HostConfig.PidMode = v),
  uts: (s, v) => void (s.HostConfig.UTSMode = v),
};

/** Options that exist on the CLI but that the agent owns or that make no sense for a task. */
const REFUSED: Record<string, string> = {
  name: 'the agent names containers',
  network: 'use container.docker.network',
  net: 'use container.docker.network',
  publish: 'use container.docker.portMappings',
  p: 'use container.docker.portMappings',
  rm: 'the agent removes containers',
  detach: 'the agent manages the container',
  d: 'the agent manages the container',
  tty: 'the task output is streamed from a non-TTY container',
  t: 'the task output is streamed from a non-TTY container',
  interactive: 'tasks have no stdin',
  i: 'tasks have no stdin',
  restart: 'frameworks restart tasks, not the daemon',
  privileged: 'use container.docker.privileged',
};

export const SUPPORTED_PARAMETERS: readonly string[] = Object.keys(OPTIONS).sort();

/** Applies the parameters to the spec in order; returns the first problem, if any. */
export function applyParameters(spec: CreateSpec, params: readonly { key: string; value: string }[]): string | undefined {
  for (const { key, value } of params) {
    const bare = key.replace(/^-{1,2}/, '');
    const name = ALIASES[bare] ?? bare;
    const refused = REFUSED[bare];
    if (refused) return `docker parameter "${key}" is not supported: ${refused}`;
    const apply = OPTIONS[name];
    if (!apply) return `docker parameter "${key}" is not supported (supported: ${SUPPORTED_PARAMETERS.join(', ')})`;
    const problem = apply(spec, value);
    if (problem) return `docker parameter ${problem}`;
  }
  return undefined;
}

type ListField = 'ExtraHosts' | 'CapAdd' | 'CapDrop' | 'Dns' | 'DnsSearch' | 'DnsOptions' | 'GroupAdd' | 'SecurityOpt';

function list(s: CreateSpec, field: ListField, v: string): undefined {
  (s.HostConfig[field] ??= []).push(v);
  return undefined;
}

function int(v: string, what: string, min: number, max: number, set: (n: number) => void): string | undefined {
  const n = Number(v);
  if (!/^-?\d+$/.test(v.trim()) || n < min || n > max) return `${what} must be an integer ${min}..${max}, got "${v}"`;
  set(n);
  return undefined;
}

function bool(v: string, what: string, set: (b: boolean) => void): string | undefined {
  const t = v.trim().toLowerCase();
  if (t !== '' && t !== 'true' && t !== 'false') return `${what} must be true or false, got "${v}"`;
  set(t !== 'false');
  return undefined;
}

function bytes(v: string, what: string, set: (n: number) => void): string | undefined {
  const n = parseBytes(v);
  if (n === undefined) return `${what} must be a size like 512m or 1g, got "${v}"`;
  set(n);
  return undefined;
}

const UNIT: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Docker's size syntax: a number with an optional binary unit (k, m, g …, optionally followed by b). */
export function parseBytes(v: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)i?b?$/i.exec(v.trim());
  if (!m?.[1]) return undefined;
  const unit = UNIT[(m[2] ?? '').toLowerCase()];
  if (unit === undefined) return undefined;
  return Math.floor(Number(m[1]) * unit);
}
