import { portsToRanges, rangesSize, subtract, subtractRanges, type PortRange, type Resources } from '@agora/model';
import { HEALTH_CHECKED_LABEL, type Offer, type TaskInfo } from '@agora/contracts';
import type { AppDefinition } from './app-definition';
import { networkMode } from './app-definition';
import { makeTaskId, mesosTaskName } from './app-id';
import type { ConstraintContext, Placement } from './constraints';
import { fitProblems, taskNeeds, type Rejection } from './offer-fit';
import { taskEnv } from './task-env';
import { agentCheckIndex } from './health-policy';

/**
 * Turns one offer into launches of an app's waiting instances: as many as fit (resources, ports, role,
 * constraints — each launch counts as placed for the next one's constraints), each as a Mesos-shaped
 * TaskInfo carrying Marathon's task environment. Dynamic host ports are drawn at random from the offer's
 * free ranges (`random` passed in), fixed ones (requirePorts, Docker hostPort) taken literally.
 */

export interface MatchInput {
  app: AppDefinition;
  offer: Offer;
  /** Where the app's active tasks run now (all agents). */
  placed: readonly Placement[];
  /** Instances still to launch. */
  count: number;
  /** A fresh uuid per call (the service passes crypto.randomUUID). */
  nextUuid: () => string;
  /** Uniform in [0, 1). */
  random: () => number;
  /** The offer's agent as a placement; default: hostname and attributes of the offer. */
  candidate?: Placement;
  ctx?: ConstraintContext;
}

export interface Launch {
  task: TaskInfo;
  /** Ports by port index, as given to the task in PORT0… */
  ports: number[];
  /** Host ports taken from the offer. */
  hostPorts: number[];
  placement: Placement;
}

export interface MatchResult {
  launches: Launch[];
  /** Offer resources left after the launches. */
  remaining: Resources;
  /** Why no further task fit (empty when all `count` were launched). */
  rejections: Rejection[];
}

export function offerPlacement(offer: Offer): Placement {
  return { hostname: offer.hostname, attributes: offer.attributes };
}

export function matchOffer(input: MatchInput): MatchResult {
  const { app, offer } = input;
  const candidate = input.candidate ?? offerPlacement(offer);
  const placed = [...input.placed];
  const launches: Launch[] = [];
  let available: Resources = offer.resources;
  let rejections: Rejection[] = [];
  while (launches.length < input.count) {
    rejections = fitProblems({ app, available, role: offer.allocationRole, candidate, placed, ctx: input.ctx });
    if (rejections.length > 0) break;
    const ports = choosePorts(app, available.ports, input.random);
    const taskId = makeTaskId(app.id, input.nextUuid());
    const used: Resources = { scalars: positive(taskNeeds(app).scalars), ports: portsToRanges(ports.hostPorts) };
    launches.push({ task: buildTaskInfo(app, offer, taskId, used, ports.byIndex, ports.mappingHostPorts), ports: ports.byIndex, hostPorts: ports.hostPorts, placement: candidate });
    available = subtract(available, used);
    placed.push(candidate);
  }
  return { launches, remaining: available, rejections: launches.length < input.count ? rejections : [] };
}

function positive(s: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(s)) if (v > 0) out[k] = v;
  return out;
}

interface ChosenPorts {
  /** Env ports by index. */
  byIndex: number[];
  /** Host ports consumed. */
  hostPorts: number[];
  /** For container networking: each mapping's host port (undefined when not published). */
  mappingHostPorts: (number | undefined)[];
}

/** Picks host ports; the caller has checked that enough are free. */
export function choosePorts(app: AppDefinition, free: readonly PortRange[], random: () => number): ChosenPorts {
  const host = networkMode(app) === 'host';
  const requests: (number | undefined)[] = host
    ? app.portDefinitions.map((d) => (app.requirePorts ? d.port : 0))
    : (app.container?.portMappings ?? []).map((m) => m.hostPort);
  const fixed = requests.filter((p): p is number => p !== undefined && p !== 0);
  let pool = subtractRanges(free, portsToRanges(fixed));
  const hostPorts: number[] = [];
  const mappingHostPorts: (number | undefined)[] = [];
  const byIndex: number[] = [];
  requests.forEach((req, i) => {
    let port: number | undefined = req;
    if (req === 0) {
      port = randomPort(pool, random);
      pool = subtractRanges(pool, [{ begin: port, end: port }]);
    }
    if (port !== undefined) hostPorts.push(port);
    mappingHostPorts.push(port);
    const mapping = host ? undefined : app.container?.portMappings?.[i];
    byIndex.push(port ?? mapping?.containerPort ?? 0);
  });
  return { byIndex, hostPorts, mappingHostPorts };
}

function randomPort(pool: readonly PortRange[], random: () => number): number {
  const size = rangesSize(pool);
  let k = Math.min(size - 1, Math.floor(random() * size));
  for (const r of pool) {
    const n = r.end - r.begin + 1;
    if (k < n) return r.begin + k;
    k -= n;
  }
  throw new Error('no free port left (the fit check should have caught this)');
}

function buildTaskInfo(app: AppDefinition, offer: Offer, taskId: string, resources: Resources, ports: number[], mappingHostPorts: (number | undefined)[]): TaskInfo {
  const docker = app.container?.docker;
  const environment = taskEnv({ app, taskId, hostname: offer.hostname, ports });
  const uris = app.fetch.map((f) => ({ value: f.uri, executable: f.executable, extract: f.extract, cache: f.cache, ...(f.destPath ? { outputFile: f.destPath } : {}) }));
  const command: NonNullable<TaskInfo['command']> =
    app.cmd !== undefined
      ? { value: app.cmd, shell: true, environment, uris }
      : {
          // Exec form: with Docker the image's entrypoint stays in effect, so no executable is set.
          ...(docker === undefined && app.args?.[0] !== undefined ? { value: app.args[0] } : {}),
          shell: false,
          arguments: app.args ?? [],
          environment,
          uris,
        };
  if (app.user !== undefined) command.user = app.user;
  const task: TaskInfo = {
    taskId,
    name: mesosTaskName(app.id),
    agentId: offer.agentId,
    resources,
    command,
    // The marker tells health-aware readers (DNS) that this task has checks, so it is not "healthy" until
    // the scheduler reports a passing result for it.
    labels: app.healthChecks.length > 0 ? { ...app.labels, [HEALTH_CHECKED_LABEL]: 'true' } : { ...app.labels },
    discovery: {
      name: mesosTaskName(app.id),
      visibility: 'FRAMEWORK',
      ports: discoveryPorts(app, ports),
    },
  };
  if (app.taskKillGracePeriodSeconds !== undefined) task.killPolicy = { gracePeriodSeconds: app.taskKillGracePeriodSeconds };
  const agentCheck = app.healthChecks[agentCheckIndex(app)];
  if (agentCheck?.command) {
    task.healthCheck = {
      command: { value: agentCheck.command.value },
      delaySeconds: agentCheck.delaySeconds,
      intervalSeconds: Math.max(1, agentCheck.intervalSeconds),
      timeoutSeconds: Math.max(1, agentCheck.timeoutSeconds),
      gracePeriodSeconds: agentCheck.gracePeriodSeconds,
      consecutiveFailures: 0,
    };
  }
  if (app.container) {
    const mode = networkMode(app);
    task.container = {
      type: app.container.type,
      volumes: app.container.volumes
        .filter((v) => v.hostPath !== undefined)
        .map((v) => ({ containerPath: v.containerPath, hostPath: v.hostPath, mode: v.mode })),
      ...(docker
        ? {
            docker: {
              image: docker.image,
              network: mode === 'host' ? ('HOST' as const) : mode === 'container/bridge' ? ('BRIDGE' as const) : ('USER' as const),
              forcePullImage: docker.forcePullImage,
              privileged: docker.privileged,
              parameters: docker.parameters,
              portMappings: (app.container.portMappings ?? []).flatMap((m, i) => {
                const hostPort = mappingHostPorts[i];
                if (hostPort === undefined) return [];
                // containerPort 0 means "the same as the host port".
                return [{ containerPort: m.containerPort === 0 ? hostPort : m.containerPort, hostPort, protocol: m.protocol }];
              }),
            },
          }
        : {}),
    };
  }
  return task;
}

function discoveryPorts(app: AppDefinition, ports: number[]): NonNullable<TaskInfo['discovery']>['ports'] {
  const entries = networkMode(app) === 'host' ? app.portDefinitions : (app.container?.portMappings ?? []);
  return entries.flatMap((e, i) => {
    const number = ports[i];
    if (number === undefined) return [];
    // A "udp,tcp" port is announced once per protocol, as Mesos-DNS expects one protocol per entry.
    return e.protocol.split(',').map((protocol) => ({
      number,
      protocol,
      ...(e.name !== undefined ? { name: e.name } : {}),
      ...(e.labels !== undefined ? { labels: e.labels } : {}),
    }));
  });
}
