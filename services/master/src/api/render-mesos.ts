import { isTerminal } from '@agora/model';
import type { Resources } from '@agora/model';
import type { AgentView, ClusterState, Container, FrameworkView, MasterInfo, Offer, TaskStatus, TaskView } from '@agora/contracts';

/**
 * ClusterState (contracts) → the JSON Mesos' master endpoints give, snake_case, so Mesos tooling
 * (Mesos-DNS-style readers, dashboards, scripts) reads Agora unchanged. Agora adds `sandbox` to tasks.
 * Pure functions; times are epoch seconds as in Mesos.
 */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export function renderResources(r: Resources): Obj {
  const out: Obj = { cpus: 0, mem: 0, disk: 0, gpus: 0 };
  for (const [k, v] of Object.entries(r.scalars)) out[k] = v;
  if (r.ports.length > 0) out.ports = `[${r.ports.map((p) => `${p.begin}-${p.end}`).join(', ')}]`;
  return out;
}

export function agentPid(a: { ip: string; port: number }): string {
  return `slave(1)@${a.ip}:${a.port}`;
}

export function masterPid(m: { ip: string; port: number }): string {
  return `master@${m.ip}:${m.port}`;
}

function labels(l: Record<string, string> | undefined): Obj[] {
  return Object.entries(l ?? {}).map(([key, value]) => ({ key, value }));
}

export function renderStatus(s: TaskStatus): Obj {
  const out: Obj = { state: s.state, timestamp: s.timestamp };
  if (s.healthy !== undefined) out.healthy = s.healthy;
  if (s.reason !== undefined) out.reason = s.reason;
  if (s.message !== undefined) out.message = s.message;
  if (s.source !== undefined) out.source = s.source;
  const cs: Obj = {};
  if (s.containerId !== undefined) cs.container_id = { value: s.containerId };
  if (s.ipAddresses !== undefined) cs.network_infos = [{ ip_addresses: s.ipAddresses.map((ip) => ({ ip_address: ip })) }];
  if (Object.keys(cs).length > 0) out.container_status = cs;
  return out;
}

export function renderContainer(c: Container): Obj {
  const out: Obj = {
    type: c.type,
    volumes: c.volumes.map((v) => {
      const vol: Obj = { container_path: v.containerPath, mode: v.mode };
      if (v.hostPath !== undefined) vol.host_path = v.hostPath;
      return vol;
    }),
  };
  if (c.docker) {
    out.docker = {
      image: c.docker.image,
      network: c.docker.network,
      privileged: c.docker.privileged,
      force_pull_image: c.docker.forcePullImage,
      parameters: c.docker.parameters.map((p) => ({ key: p.key, value: p.value })),
      port_mappings: c.docker.portMappings.map((m) => ({ host_port: m.hostPort, container_port: m.containerPort, protocol: m.protocol })),
    };
  }
  return out;
}

export function renderTask(t: TaskView): Obj {
  const out: Obj = {
    id: t.taskId,
    name: t.name,
    framework_id: t.frameworkId,
    executor_id: '',
    slave_id: t.agentId,
    state: t.state,
    resources: renderResources(t.resources),
    statuses: t.statuses.map(renderStatus),
    labels: labels(t.labels),
  };
  if (t.discovery) {
    const d = t.discovery;
    const disc: Obj = {
      visibility: d.visibility,
      ports: {
        ports: d.ports.map((p) => {
          const port: Obj = { number: p.number, protocol: p.protocol };
          if (p.name !== undefined) port.name = p.name;
          if (p.labels) port.labels = { labels: labels(p.labels) };
          return port;
        }),
      },
    };
    if (d.name !== undefined) disc.name = d.name;
    if (d.labels) disc.labels = { labels: labels(d.labels) };
    out.discovery = disc;
  }
  if (t.container) out.container = renderContainer(t.container);
  if (t.sandbox !== undefined) out.sandbox = t.sandbox;
  if (t.healthy !== undefined) out.healthy = t.healthy;
  return out;
}

export function renderOffer(o: Offer): Obj {
  return {
    id: o.id,
    framework_id: o.frameworkId,
    slave_id: o.agentId,
    hostname: o.hostname,
    resources: renderResources(o.resources),
    allocation_info: { role: o.allocationRole },
  };
}

export function renderAgent(a: AgentView): Obj {
  const unreserved = renderResources(a.resources);
  const out: Obj = {
    id: a.id,
    pid: agentPid(a),
    hostname: a.hostname,
    port: a.port,
    attributes: { ...a.attributes },
    resources: renderResources(a.resources),
    used_resources: renderResources(a.usedResources),
    offered_resources: renderResources(a.offeredResources),
    unreserved_resources: unreserved,
    reserved_resources: {},
    active: a.active,
    status: a.status,
    registered_time: a.registeredTime,
    version: a.version ?? '',
  };
  if (a.reregisteredTime !== undefined) out.reregistered_time = a.reregisteredTime;
  if (a.workDir !== undefined) out.work_dir = a.workDir;
  return out;
}

export function renderFramework(f: FrameworkView): Obj {
  const live = f.tasks.filter((t) => t.state !== 'TASK_UNREACHABLE');
  const unreachable = f.tasks.filter((t) => t.state === 'TASK_UNREACHABLE');
  const allocated = sumR(f.usedResources, f.offeredResources);
  const out: Obj = {
    id: f.id,
    name: f.info.name,
    user: f.info.user,
    role: f.info.role,
    roles: [f.info.role],
    principal: f.info.principal ?? '',
    hostname: f.info.hostname ?? '',
    webui_url: f.info.webuiUrl ?? '',
    active: f.active,
    connected: f.connected,
    recovered: false,
    registered_time: f.registeredTime,
    unregistered_time: f.unregisteredTime ?? 0,
    failover_timeout: f.info.failoverTimeoutSeconds,
    checkpoint: f.info.checkpoint,
    capabilities: [...f.info.capabilities],
    labels: labels(f.info.labels),
    resources: renderResources(allocated),
    used_resources: renderResources(f.usedResources),
    offered_resources: renderResources(f.offeredResources),
    tasks: live.map(renderTask),
    unreachable_tasks: unreachable.map(renderTask),
    completed_tasks: f.completedTasks.map(renderTask),
    offers: f.offers.map(renderOffer),
    executors: [],
    completed_executors: [],
  };
  if (f.reregisteredTime !== undefined) out.reregistered_time = f.reregisteredTime;
  return out;
}

function sumR(a: Resources, b: Resources): Resources {
  const scalars: Record<string, number> = { ...a.scalars };
  for (const [k, v] of Object.entries(b.scalars)) scalars[k] = Math.round(((scalars[k] ?? 0) + v) * 1000) / 1000;
  return { scalars, ports: [...a.ports, ...b.ports].sort((x, y) => x.begin - y.begin) };
}

function leaderInfo(m: MasterInfo): Obj {
  return {
    id: m.id,
    pid: masterPid(m),
    port: m.port,
    hostname: m.hostname,
    version: m.version,
    address: { hostname: m.hostname, ip: m.ip, port: m.port },
  };
}

/** GET /master/state */
export function renderState(cs: ClusterState): Obj {
  const m = cs.master;
  const out: Obj = {
    version: m.version,
    id: m.id,
    pid: masterPid(m),
    hostname: m.hostname,
    start_time: cs.startTime,
    activated_slaves: cs.agents.filter((a) => a.active).length,
    deactivated_slaves: cs.agents.filter((a) => !a.active && a.status === 'REGISTERED').length,
    unreachable_slaves: cs.agents.filter((a) => a.status === 'UNREACHABLE').length,
    flags: { ...cs.flags },
    slaves: cs.agents.map(renderAgent),
    frameworks: cs.frameworks.map(renderFramework),
    completed_frameworks: cs.completedFrameworks.map(renderFramework),
    orphan_tasks: [],
    unregistered_frameworks: [],
    epoch: m.epoch ?? 0,
    event_sequence: cs.eventSequence,
  };
  if (cs.electedTime !== undefined) out.elected_time = cs.electedTime;
  if (cs.leader) {
    out.leader = masterPid(cs.leader);
    out.leader_info = leaderInfo(cs.leader);
  }
  return out;
}

const COUNTED_STATES = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_KILLED',
  'TASK_FAILED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_UNREACHABLE',
] as const;

function countStates(tasks: readonly TaskView[]): Obj {
  const out: Obj = {};
  for (const s of COUNTED_STATES) out[s] = 0;
  for (const t of tasks) if (t.state in out) out[t.state] = (out[t.state] as number) + 1;
  return out;
}

/** GET /master/state-summary: no task lists, per-state counts instead. */
export function renderStateSummary(cs: ClusterState): Obj {
  const byAgent = new Map<string, TaskView[]>();
  for (const f of cs.frameworks) {
    for (const t of [...f.tasks, ...f.completedTasks]) {
      const list = byAgent.get(t.agentId) ?? [];
      list.push(t);
      byAgent.set(t.agentId, list);
    }
  }
  return {
    hostname: cs.master.hostname,
    cluster: cs.flags.cluster ?? '',
    slaves: cs.agents.map((a) => {
      const onAgent = byAgent.get(a.id) ?? [];
      return {
        ...renderAgent(a),
        ...countStates(onAgent),
        framework_ids: [...new Set(onAgent.filter((t) => !isTerminal(t.state)).map((t) => t.frameworkId))],
      };
    }),
    frameworks: cs.frameworks.map((f) => ({
      id: f.id,
      name: f.info.name,
      used_resources: renderResources(f.usedResources),
      offered_resources: renderResources(f.offeredResources),
      capabilities: [...f.info.capabilities],
      hostname: f.info.hostname ?? '',
      webui_url: f.info.webuiUrl ?? '',
      active: f.active,
      connected: f.connected,
      ...countStates([...f.tasks, ...f.completedTasks]),
      slave_ids: [...new Set(f.tasks.map((t) => t.agentId))],
    })),
  };
}
