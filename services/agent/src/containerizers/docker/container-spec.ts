import * as path from 'node:path';
import type { TaskInfo } from '@agora/contracts';
import { containerLabels } from './container-labels';
import { CONTAINER_SANDBOX, containerEnv, envList } from './container-env';
import type { CreateSpec, PortBinding } from './create-spec';
import { applyParameters } from './docker-parameters';

/** Docker refuses smaller memory limits. */
export const MIN_MEMORY_BYTES = 6 * 1024 * 1024;
/** The kernel's smallest cpu share. */
const MIN_CPU_SHARES = 2;
const CFS_PERIOD_US = 100_000;
const MIN_CFS_QUOTA_US = 1000;
/** What the agent streams into the sandbox is read back from Docker's own log, so it must be readable. */
const LOG_CONFIG = { Type: 'json-file', Config: { 'max-size': '64m', 'max-file': '2' } };

export interface SpecInput {
  task: TaskInfo;
  frameworkId: string;
  agentId: string;
  /** realpath of the agent's work dir (a label: which agent's container this is). */
  agentDir: string;
  hostname: string;
  /** The agent's address: published BRIDGE ports bind to it, as the agent's own listeners do. */
  agentIp: string;
  sandbox: string;
  name: string;
  graceMs: number;
  allowPrivileged: boolean;
  allowParameters: boolean;
  /** Also cap cpu time at `cpus` (CFS quota), beyond the relative share. */
  cpuQuota: boolean;
}

export type SpecResult = { ok: true; spec: CreateSpec; /** host dirs to create first */ hostDirs: string[] } | { ok: false; error: string };

/**
 * Translates a task into the container to create, with the semantics of Mesos' docker containerizer:
 *  - command: `shell` with a value runs `/bin/sh -c <value>` in place of the image's entrypoint; otherwise
 *    value and arguments become the CMD and the image's ENTRYPOINT stays (Marathon's `args`); no command
 *    at all runs the image as it is.
 *  - the sandbox is bind-mounted at /mnt/mesos/sandbox, which is also the working directory.
 *  - cpus → cpu shares (and a CFS quota when asked), mem → a memory limit with swap equal to it (no swap).
 *  - volumes: an absolute hostPath is bound as is, a relative one is a directory in the sandbox; a relative
 *    containerPath is under the sandbox mount; no hostPath is an anonymous Docker volume.
 *  - privileged and raw parameters only where the agent allows them.
 */
export function buildCreateSpec(i: SpecInput): SpecResult {
  const docker = i.task.container?.docker;
  if (!docker?.image.trim()) return { ok: false, error: 'a DOCKER container needs docker.image' };
  if (docker.privileged && !i.allowPrivileged)
    return { ok: false, error: 'privileged containers are not allowed on this agent (it runs without --docker-allow-privileged)' };
  if (docker.parameters.length > 0 && !i.allowParameters)
    return { ok: false, error: 'docker parameters are not allowed on this agent (it runs without --docker-allow-parameters)' };

  const spec: CreateSpec = {
    name: i.name,
    Image: docker.image.trim(),
    Env: envList(containerEnv({ task: i.task, frameworkId: i.frameworkId, agentId: i.agentId, hostname: i.hostname, containerName: i.name })),
    Labels: containerLabels({ agentId: i.agentId, agentDir: i.agentDir, frameworkId: i.frameworkId, taskId: i.task.taskId }, i.task.labels ?? {}),
    WorkingDir: CONTAINER_SANDBOX,
    StopTimeout: Math.ceil(i.graceMs / 1000),
    HostConfig: { NetworkMode: 'host', Binds: [`${i.sandbox}:${CONTAINER_SANDBOX}:rw`], LogConfig: structuredClone(LOG_CONFIG) },
  };
  const cmd = i.task.command;
  if (cmd?.user) spec.User = cmd.user;
  const value = cmd?.value?.trim() ? cmd.value : undefined;
  if (cmd?.shell && value !== undefined) {
    spec.Entrypoint = ['/bin/sh', '-c'];
    spec.Cmd = [value];
  } else if (cmd && (value !== undefined || (cmd.arguments?.length ?? 0) > 0)) {
    spec.Cmd = [...(value !== undefined ? [value] : []), ...(cmd.arguments ?? [])];
  }

  const { cpus, mem } = i.task.resources.scalars;
  if (cpus !== undefined && cpus > 0) {
    spec.HostConfig.CpuShares = Math.max(MIN_CPU_SHARES, Math.round(cpus * 1024));
    if (i.cpuQuota) {
      spec.HostConfig.CpuPeriod = CFS_PERIOD_US;
      spec.HostConfig.CpuQuota = Math.max(MIN_CFS_QUOTA_US, Math.round(cpus * CFS_PERIOD_US));
    }
  }
  if (mem !== undefined && mem > 0) {
    spec.HostConfig.Memory = Math.max(MIN_MEMORY_BYTES, Math.round(mem * 1024 * 1024));
    spec.HostConfig.MemorySwap = spec.HostConfig.Memory;
  }

  const net = network(i, spec);
  if (net) return { ok: false, error: net };
  const hostDirs: string[] = [];
  const vol = volumes(i, spec, hostDirs);
  if (vol) return { ok: false, error: vol };
  const param = applyParameters(spec, docker.parameters);
  if (param) return { ok: false, error: param };
  return { ok: true, spec, hostDirs };
}

function network(i: SpecInput, spec: CreateSpec): string | undefined {
  const docker = i.task.container?.docker;
  const mode = docker?.network ?? 'HOST';
  if (mode === 'HOST') return undefined;
  if (mode === 'NONE') {
    spec.HostConfig.NetworkMode = 'none';
    return undefined;
  }
  if (mode === 'USER') return 'USER networks are not supported by the Docker containerizer (use HOST, BRIDGE or NONE)';
  spec.HostConfig.NetworkMode = 'bridge';
  const bindings: Record<string, PortBinding[]> = {};
  for (const m of docker?.portMappings ?? []) {
    if (!inRanges(m.hostPort, i.task.resources.ports)) return `port mapping ${m.hostPort}->${m.containerPort}: host port ${m.hostPort} is not among the task's port resources`;
    const containerPort = m.containerPort === 0 ? m.hostPort : m.containerPort;
    if (!(containerPort > 0 && containerPort <= 65535)) return `port mapping ${m.hostPort}->${m.containerPort}: bad container port`;
    for (const proto of (m.protocol || 'tcp').split(',').map((p) => p.trim().toLowerCase())) {
      if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') return `port mapping ${m.hostPort}->${m.containerPort}: unknown protocol "${proto}"`;
      (bindings[`${containerPort}/${proto}`] ??= []).push({ HostIp: i.agentIp, HostPort: String(m.hostPort) });
    }
  }
  if (Object.keys(bindings).length > 0) {
    spec.HostConfig.PortBindings = bindings;
    spec.ExposedPorts = Object.fromEntries(Object.keys(bindings).map((k) => [k, {}]));
  }
  return undefined;
}

function volumes(i: SpecInput, spec: CreateSpec, hostDirs: string[]): string | undefined {
  for (const v of i.task.container?.volumes ?? []) {
    if (!v.containerPath.trim()) return 'a volume needs a containerPath';
    const inContainer = path.posix.normalize(v.containerPath.startsWith('/') ? v.containerPath : `${CONTAINER_SANDBOX}/${v.containerPath}`);
    if (/[:,]/.test(inContainer)) return `volume containerPath "${v.containerPath}" must not contain ':' or ','`;
    if (v.hostPath === undefined || v.hostPath === '') {
      (spec.Volumes ??= {})[inContainer] = {};
      continue;
    }
    let onHost: string;
    if (v.hostPath.startsWith('/')) {
      onHost = path.normalize(v.hostPath);
    } else {
      onHost = path.resolve(i.sandbox, v.hostPath);
      if (!onHost.startsWith(`${i.sandbox}/`)) return `volume hostPath "${v.hostPath}" leaves the sandbox`;
      hostDirs.push(onHost);
    }
    if (/[:,]/.test(onHost)) return `volume hostPath "${v.hostPath}" must not contain ':' or ','`;
    spec.HostConfig.Binds.push(`${onHost}:${inContainer}:${v.mode === 'RO' ? 'ro' : 'rw'}`);
  }
  return undefined;
}

function inRanges(port: number, ranges: readonly { begin: number; end: number }[]): boolean {
  return ranges.some((r) => port >= r.begin && port <= r.end);
}
