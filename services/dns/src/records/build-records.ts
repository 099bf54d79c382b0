import type { ClusterState, FrameworkView, MasterInfo, TaskView } from '@agora/contracts';
import type { DnsConfig } from './config';
import { splitHostPort, urlHostPort } from './host-port';
import { isLoopback, isUnspecified, parseCidr, parseIp, reverseName, type IpAddress } from './ip';
import { isValidHostname } from './names';
import { RecordSetBuilder, type EnumerableFramework, type EnumerableTask, type RecordSet } from './record-set';
import { domainFrag, labelFunc, type LabelFunc } from './sanitize';
import { isHealthyOrUnchecked, taskIps } from './task-ips';
import { agentIdTail, taskHash } from './task-hash';

export interface BuildContext {
  /** SOA serial of this generation (e.g. unix seconds or the state's event sequence); defaults to config.SOASerial. */
  serial?: number;
  /** This host's interface addresses, for the SOA mname's A/AAAA when Listener is a wildcard (0.0.0.0 / ::). */
  localAddresses?: readonly string[];
  /**
   * Addresses of a host name the caller resolved beforehand (the core does no I/O). Used for agents, masters,
   * frameworks and the listener when they are given by name. Unknown → undefined.
   */
  resolveHost?: (host: string) => readonly string[] | undefined;
}

interface Ctx {
  config: DnsConfig;
  label: LabelFunc;
  /** `.mesos.` */
  tail: string;
  b: RecordSetBuilder;
  hostIps: (host: string) => IpAddress[];
}

/**
 * Builds every record Mesos-DNS would serve for this cluster state (spec "Record generation"), plus Agora's
 * `agent.D` aliases and PTR records. Pure: the same state, config and context give the same set.
 */
export function buildRecordSet(state: ClusterState | undefined, config: DnsConfig, context: BuildContext = {}): RecordSet {
  const b = new RecordSetBuilder();
  const hostIps = (host: string): IpAddress[] => {
    const ip = parseIp(host);
    if (ip) return [ip];
    const resolved = context.resolveHost?.(host) ?? [];
    return resolved.map(parseIp).filter((x): x is IpAddress => x !== undefined);
  };
  const ctx: Ctx = { config, label: labelFunc(config.EnforceRFC952), tail: `.${config.Domain}.`, b, hostIps };
  const enumeration: { frameworks: EnumerableFramework[] } = { frameworks: [] };

  const agentIps = new Map<string, IpAddress[]>();
  const agentPtrTargets = new Map<string, { ip: IpAddress; target: string }>();
  if (state) {
    frameworkRecords(ctx, state.frameworks);
    agentRecords(ctx, state, agentIps, agentPtrTargets);
  }
  listenerRecord(ctx, context.localAddresses ?? []);
  if (state) {
    masterRecords(ctx, state.leader ?? state.master);
    const taskPtrs = taskRecords(ctx, state.frameworks, agentIps, enumeration);
    if (config.ptrOn) {
      for (const { ip, target } of agentPtrTargets.values()) b.addPtr(reverseName(ip), target);
      for (const { ip, target } of taskPtrs) if (!agentPtrTargets.has(ip.text)) b.addPtr(reverseName(ip), target);
    }
  }

  const zones = config.reverseZones
    .map(parseCidr)
    .filter((z): z is Exclude<ReturnType<typeof parseCidr>, string> => typeof z !== 'string')
    .map((z) => z.zone)
    .sort((x, y) => y.length - x.length);
  return b.build(config, context.serial ?? config.SOASerial, [...new Set(zones)], enumeration);
}

/**
 * `fname.D` → the scheduler's address and `_framework._tcp.fname.D` → `fname.D:port`. Agora frameworks have no
 * libprocess pid; their web UI URL (the framework's API endpoint) plays its part, with `hostname` (no port, so
 * no SRV) as the fallback, as Mesos-DNS falls back for pid-less frameworks.
 */
function frameworkRecords(ctx: Ctx, frameworks: readonly FrameworkView[]): void {
  for (const f of frameworks) {
    const candidates: { host: string; port: number | undefined }[] = [];
    const web = f.info.webuiUrl !== undefined ? urlHostPort(f.info.webuiUrl) : undefined;
    if (web) candidates.push(web);
    if (f.info.hostname !== undefined && f.info.hostname !== '') candidates.push({ host: f.info.hostname, port: undefined });
    for (const c of candidates) {
      const ips = ctx.hostIps(c.host);
      if (ips.length === 0) continue;
      const a = `${domainFrag(f.info.name, ctx.label)}${ctx.tail}`;
      for (const ip of ips) ctx.b.addAddress(a, ip);
      if (c.port !== undefined) ctx.b.addSrv(`_framework._tcp.${a}`, a, c.port, ctx.config.SRVRecordDefaultWeight);
      break;
    }
  }
}

/** `slave.D` (and Agora's `agent.D`) → every agent address; `_slave._tcp.D` / `_agent._tcp.D` → port. */
function agentRecords(
  ctx: Ctx,
  state: ClusterState,
  agentIps: Map<string, IpAddress[]>,
  ptrTargets: Map<string, { ip: IpAddress; target: string }>,
): void {
  const slave = `slave${ctx.tail}`;
  const agent = `agent${ctx.tail}`;
  for (const ag of state.agents) {
    // Mesos state lists registered agents only; unreachable and gone ones have no live tasks to serve.
    if (ag.status !== 'REGISTERED') continue;
    let ips = ctx.hostIps(ag.ip);
    if (ips.length === 0) ips = ctx.hostIps(ag.hostname);
    // Mesos-DNS would publish the sanitized host name as an "IP" here (mesos-dns#509); Agora publishes nothing.
    agentIps.set(ag.id, ips);
    for (const ip of ips) {
      ctx.b.addAddress(slave, ip);
      ctx.b.addAddress(agent, ip);
      // A PTR should name the host itself; a bare single label is no FQDN, so such agents point at slave.D.
      const named = ag.hostname.includes('.') && parseIp(ag.hostname) === undefined && isValidHostname(ag.hostname.replace(/\.$/, ''));
      if (!ptrTargets.has(ip.text)) ptrTargets.set(ip.text, { ip, target: named ? `${ag.hostname.replace(/\.$/, '')}.` : slave });
    }
    if (ips.length > 0) {
      ctx.b.addSrv(`_slave._tcp${ctx.tail}`, slave, ag.port, ctx.config.SRVRecordDefaultWeight);
      ctx.b.addSrv(`_agent._tcp${ctx.tail}`, agent, ag.port, ctx.config.SRVRecordDefaultWeight);
    }
  }
}

/**
 * `leader.D`, `master.D`, `masterN.D`, `_leader._tcp|_udp.D`. masterN follows the configured masters order;
 * duplicates are skipped and the leader gets the next index when it is not listed (as Mesos-DNS does).
 */
function masterRecords(ctx: Ctx, leader: MasterInfo): void {
  const ips = ctx.hostIps(leader.ip).length > 0 ? ctx.hostIps(leader.ip) : ctx.hostIps(leader.hostname);
  const ip = ips[0];
  if (ip === undefined || !Number.isInteger(leader.port) || leader.port < 0 || leader.port > 65535) return;
  const leaderName = `leader${ctx.tail}`;
  const masterName = `master${ctx.tail}`;
  const w = ctx.config.SRVRecordDefaultWeight;
  ctx.b.addAddress(leaderName, ip);
  ctx.b.addAddress(masterName, ip);
  ctx.b.addSrv(`_leader._tcp${ctx.tail}`, leaderName, leader.port, w);
  ctx.b.addSrv(`_leader._udp${ctx.tail}`, leaderName, leader.port, w);

  let idx = 0;
  let leaderNumbered = false;
  for (const m of ctx.config.Masters) {
    const hp = splitHostPort(m);
    const mip = hp ? ctx.hostIps(hp.host)[0] : undefined;
    if (!hp || !mip) continue;
    const isLeader = mip.text === ip.text && hp.port === leader.port;
    if (!isLeader && !ctx.b.addAddress(masterName, mip)) continue; // a duplicate master
    if (isLeader && leaderNumbered) continue; // the leader listed twice
    ctx.b.addAddress(`master${idx}${ctx.tail}`, mip);
    idx++;
    if (isLeader) leaderNumbered = true;
  }
  if (!leaderNumbered) ctx.b.addAddress(`master${idx}${ctx.tail}`, ip);
}

/** The SOA mname (`ns1.mesos.`) → the listener address, or this host's non-loopback addresses for a wildcard. */
function listenerRecord(ctx: Ctx, localAddresses: readonly string[]): void {
  const listener = ctx.config.Listener;
  const wildcard = listener === '' || parseIp(listener)?.bytes.every((x) => x === 0) === true;
  const ips = wildcard
    ? localAddresses.map(parseIp).filter((ip): ip is IpAddress => ip !== undefined && !isLoopback(ip) && !isUnspecified(ip))
    : ctx.hostIps(listener);
  for (const ip of ips) ctx.b.addAddress(ctx.config.SOAMname, ip);
}

function expandPorts(task: TaskView): number[] {
  const out: number[] = [];
  for (const r of task.resources.ports) {
    for (let p = r.begin; p <= r.end && p <= 65535; p++) out.push(p);
  }
  return out;
}

function taskRecords(
  ctx: Ctx,
  frameworks: readonly FrameworkView[],
  agentIps: ReadonlyMap<string, IpAddress[]>,
  enumeration: { frameworks: EnumerableFramework[] },
): { ip: IpAddress; target: string }[] {
  const ptrs: { ip: IpAddress; target: string }[] = [];
  for (const f of frameworks) {
    const ef: EnumerableFramework = { name: f.info.name, tasks: [] };
    enumeration.frameworks.push(ef);
    const fname = domainFrag(f.info.name, ctx.label);
    for (const task of f.tasks) {
      const slaveIps = agentIps.get(task.agentId);
      // Only running tasks on a known agent are discoverable (Mesos-DNS); Agora also hides unhealthy ones.
      if (slaveIps === undefined || task.state !== 'TASK_RUNNING') continue;
      if (ctx.config.healthAware && !isHealthyOrUnchecked(task)) continue;
      const et: EnumerableTask = { name: task.name, id: task.taskId, records: [] };
      ef.tasks.push(et);
      const { ips, source } = taskIps(task, slaveIps, ctx.config.IPSources, ctx.config.routableAddressesOnly);
      const hash = taskHash(task.taskId);
      const tail = agentIdTail(task.agentId);
      const diName = task.discovery?.name;
      const names = diName !== undefined && diName !== '' ? [diName, ctx.label(diName)] : [ctx.label(task.name)];
      for (const name of names) {
        taskContextRecords(ctx, task, fname, name, hash, tail, ips, slaveIps, et);
      }
      const sanitized = names[names.length - 1] as string;
      if (source !== undefined && source !== 'host') {
        const target = `${sanitized}-${hash}-${tail}.${fname}${ctx.tail}`;
        for (const ip of ips) ptrs.push({ ip, target });
      }
    }
  }
  return ptrs;
}

/** Mesos-DNS `taskContextRecord`: the records of one task under one task name. */
function taskContextRecords(
  ctx: Ctx,
  task: TaskView,
  fname: string,
  taskName: string,
  hash: string,
  agentTail: string,
  taskIpList: readonly IpAddress[],
  slaveIps: readonly IpAddress[],
  et: EnumerableTask,
): void {
  const tail = ctx.tail;
  const w = ctx.config.SRVRecordDefaultWeight;
  const canonical = `${taskName}-${hash}-${agentTail}.${fname}`;
  const arec = `${taskName}.${fname}`;
  const addA = (name: string, ip: IpAddress): void => {
    if (ctx.b.addAddress(name, ip)) et.records.push({ name: name.toLowerCase(), host: ip.text, rtype: ip.family === 4 ? 'A' : 'AAAA' });
  };
  const addSrv = (name: string, target: string, port: number): void => {
    if (ctx.b.addSrv(name, target, port, w)) et.records.push({ name: name.toLowerCase(), host: `${target.toLowerCase()}:${port}`, rtype: 'SRV' });
  };

  for (const ip of taskIpList) {
    addA(`${arec}${tail}`, ip);
    addA(`${canonical}${tail}`, ip);
  }
  for (const ip of slaveIps) {
    addA(`${arec}.slave${tail}`, ip);
    addA(`${canonical}.slave${tail}`, ip);
  }

  const hasDi = task.discovery?.name !== undefined && task.discovery.name !== '';
  const slaveHost = `${canonical}.slave${tail}`;
  for (const port of expandPorts(task)) {
    for (const proto of ['tcp', 'udp']) {
      addSrv(`_${taskName}._${proto}.${fname}.slave${tail}`, slaveHost, port);
      // With DiscoveryInfo the plain names belong to the DI ports below.
      if (!hasDi) addSrv(`_${taskName}._${proto}.${fname}${tail}`, slaveHost, port);
    }
  }
  if (!hasDi || !task.discovery) return;

  const target = `${canonical}${tail}`;
  for (const p of task.discovery.ports) {
    const proto = ctx.label(p.protocol);
    const protos = proto === '' ? ['tcp', 'udp'] : [proto];
    const portName = ctx.label(p.name ?? '');
    for (const pr of protos) {
      const base = `_${taskName}._${pr}.${fname}`;
      addSrv(`${base}${tail}`, target, p.number);
      if (portName !== '') addSrv(`_${portName}.${base}${tail}`, target, p.number);
    }
  }
}
