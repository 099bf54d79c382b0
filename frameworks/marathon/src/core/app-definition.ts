import type { AppJson, ContainerJson, HealthCheckJson, PortMappingJson } from './app-json-schema';
import { canonicalId, parentId } from './app-id';

/**
 * The normalized app definition: every default filled in, ids canonical, deprecated spellings
 * (`ports`, `uris`, `container.docker.network`/`portMappings`) folded into their current fields. This is
 * what Agora stores, plans with and launches from; `appToJson` turns it back into Marathon's GET shape.
 */

export type Labels = Record<string, string>;
export type HealthCheckProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'COMMAND' | 'MESOS_HTTP' | 'MESOS_HTTPS' | 'MESOS_TCP';
export type ConstraintOperator = 'UNIQUE' | 'CLUSTER' | 'GROUP_BY' | 'LIKE' | 'UNLIKE' | 'MAX_PER' | 'IS';
export type Constraint = [field: string, operator: ConstraintOperator, value?: string];
export type KillSelection = 'YOUNGEST_FIRST' | 'OLDEST_FIRST';
export type NetworkMode = 'host' | 'container' | 'container/bridge';
export type EnvValue = string | { secret: string };

export interface PortDefinition {
  /** With requirePorts=false a service port (0 = assign one); with requirePorts=true also the host port. */
  port: number;
  protocol: string;
  name?: string;
  labels?: Labels;
}

export interface PortMapping {
  containerPort: number;
  /** Absent in `container` mode when the port is not published on the host; 0 = dynamic host port. */
  hostPort?: number;
  servicePort: number;
  protocol: string;
  name?: string;
  labels?: Labels;
  networkNames?: string[];
}

export interface DockerSpec {
  image: string;
  forcePullImage: boolean;
  privileged: boolean;
  parameters: { key: string; value: string }[];
  credential?: { principal: string; secret?: string };
  pullConfig?: { secret: string };
}

export interface VolumeSpec {
  containerPath: string;
  mode: 'RO' | 'RW';
  hostPath?: string;
  persistent?: { type: 'root' | 'path' | 'mount'; size: number; maxSize?: number; profileName?: string; constraints?: string[][] };
  external?: Record<string, unknown>;
  secret?: string;
}

export interface ContainerSpec {
  type: 'DOCKER' | 'MESOS';
  docker?: DockerSpec;
  volumes: VolumeSpec[];
  /** Present for container / bridge networking only. */
  portMappings?: PortMapping[];
  linuxInfo?: Record<string, unknown>;
}

export interface NetworkSpec {
  mode: NetworkMode;
  name?: string;
  labels?: Labels;
}

export interface HealthCheck {
  protocol: HealthCheckProtocol;
  path?: string;
  portIndex?: number;
  port?: number;
  command?: { value: string };
  gracePeriodSeconds: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  maxConsecutiveFailures: number;
  delaySeconds: number;
  ignoreHttp1xx: boolean;
  ipProtocol: 'IPv4' | 'IPv6';
}

export interface ReadinessCheck {
  name: string;
  protocol: 'HTTP' | 'HTTPS';
  path: string;
  portName: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  httpStatusCodesForReady: number[];
  preserveLastResponse: boolean;
}

export interface UpgradeStrategy {
  minimumHealthCapacity: number;
  maximumOverCapacity: number;
  /** Agora extension: fail the deployment when it makes no progress for this long (absent = never). */
  progressDeadlineSeconds?: number;
  /** Agora extension: on a missed deadline roll back to the previous version (true) or just stop (false). */
  rollbackOnDeadline?: boolean;
}

export type UnreachableStrategy = 'disabled' | { inactiveAfterSeconds: number; expungeAfterSeconds: number };

export interface FetchUri {
  uri: string;
  extract: boolean;
  executable: boolean;
  cache: boolean;
  destPath?: string;
}

export interface VersionInfo {
  lastScalingAt: string;
  lastConfigChangeAt: string;
}

export interface AppDefinition {
  id: string;
  cmd?: string;
  args?: string[];
  user?: string;
  env: Record<string, EnvValue>;
  instances: number;
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
  executor: string;
  constraints: Constraint[];
  acceptedResourceRoles?: string[];
  role?: string;
  container?: ContainerSpec;
  networks: NetworkSpec[];
  portDefinitions: PortDefinition[];
  requirePorts: boolean;
  fetch: FetchUri[];
  healthChecks: HealthCheck[];
  readinessChecks: ReadinessCheck[];
  dependencies: string[];
  upgradeStrategy: UpgradeStrategy;
  backoffSeconds: number;
  backoffFactor: number;
  maxLaunchDelaySeconds: number;
  taskKillGracePeriodSeconds?: number;
  killSelection: KillSelection;
  unreachableStrategy: UnreachableStrategy;
  labels: Labels;
  secrets: Record<string, { source: string }>;
  resourceLimits?: { cpus?: number | 'unlimited'; mem?: number | 'unlimited' };
  tty?: boolean;
  /** ISO 8601 timestamp of this version (Marathon's version id). */
  version: string;
  versionInfo: VersionInfo;
}

/** Marathon's defaults (RAML of the 1.10 line). maxLaunchDelaySeconds is the RAML's 300, not the 3600 of 0.x. */
export const APP_DEFAULTS = {
  instances: 1,
  cpus: 1,
  mem: 128,
  disk: 0,
  gpus: 0,
  executor: '',
  requirePorts: false,
  backoffSeconds: 1,
  backoffFactor: 1.15,
  maxLaunchDelaySeconds: 300,
  killSelection: 'YOUNGEST_FIRST' as KillSelection,
  upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
  /** Resident apps (persistent volumes) must not over-provision, so they default to {0.5, 0}. */
  residentUpgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
  unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 },
};

export const HEALTH_CHECK_DEFAULTS = {
  protocol: 'HTTP' as HealthCheckProtocol,
  path: '/',
  gracePeriodSeconds: 300,
  intervalSeconds: 60,
  timeoutSeconds: 20,
  maxConsecutiveFailures: 3,
  delaySeconds: 15,
  ignoreHttp1xx: false,
  ipProtocol: 'IPv4' as const,
};

export const READINESS_CHECK_DEFAULTS: ReadinessCheck = {
  name: 'readinessCheck',
  protocol: 'HTTP',
  path: '/',
  portName: 'http-api',
  intervalSeconds: 30,
  timeoutSeconds: 10,
  httpStatusCodesForReady: [200],
  preserveLastResponse: false,
};

export function isResident(app: Pick<AppDefinition, 'container'>): boolean {
  return (app.container?.volumes ?? []).some((v) => v.persistent !== undefined);
}

/** The network mode the app's tasks use (host when no network is given). */
export function networkMode(app: Pick<AppDefinition, 'networks'>): NetworkMode {
  return app.networks[0]?.mode ?? 'host';
}

/** Host-port requests of a task, in port-index order (0 = any free port of the offer). */
export function requestedHostPorts(app: AppDefinition): number[] {
  if (networkMode(app) === 'host') return app.portDefinitions.map((p) => (app.requirePorts ? p.port : 0));
  return (app.container?.portMappings ?? []).filter((m) => m.hostPort !== undefined).map((m) => m.hostPort ?? 0);
}

/** The ports an app exposes, by index, with their names (portDefinitions or portMappings). */
export function portEntries(app: AppDefinition): { name?: string; protocol: string; labels?: Labels }[] {
  if (networkMode(app) === 'host') return app.portDefinitions;
  return app.container?.portMappings ?? [];
}

function clean<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function opt<T>(v: T | null | undefined): T | undefined {
  return v === null ? undefined : v;
}

function normalizeHealthCheck(h: HealthCheckJson, portCount: number): HealthCheck {
  const protocol = opt(h.protocol) ?? (h.command ? 'COMMAND' : HEALTH_CHECK_DEFAULTS.protocol);
  const httpLike = protocol === 'HTTP' || protocol === 'HTTPS' || protocol === 'MESOS_HTTP' || protocol === 'MESOS_HTTPS';
  const needsPort = protocol !== 'COMMAND';
  let portIndex = opt(h.portIndex);
  const port = opt(h.port);
  // A check without port or portIndex on an app with ports addresses the first port (Marathon does the same).
  if (needsPort && portIndex === undefined && port === undefined && portCount > 0) portIndex = 0;
  return clean({
    protocol,
    path: httpLike ? (opt(h.path) ?? HEALTH_CHECK_DEFAULTS.path) : undefined,
    portIndex: needsPort ? portIndex : undefined,
    port: needsPort ? port : undefined,
    command: opt(h.command) ?? undefined,
    gracePeriodSeconds: opt(h.gracePeriodSeconds) ?? HEALTH_CHECK_DEFAULTS.gracePeriodSeconds,
    intervalSeconds: opt(h.intervalSeconds) ?? HEALTH_CHECK_DEFAULTS.intervalSeconds,
    timeoutSeconds: opt(h.timeoutSeconds) ?? HEALTH_CHECK_DEFAULTS.timeoutSeconds,
    maxConsecutiveFailures: opt(h.maxConsecutiveFailures) ?? HEALTH_CHECK_DEFAULTS.maxConsecutiveFailures,
    delaySeconds: opt(h.delaySeconds) ?? HEALTH_CHECK_DEFAULTS.delaySeconds,
    ignoreHttp1xx: opt(h.ignoreHttp1xx) ?? HEALTH_CHECK_DEFAULTS.ignoreHttp1xx,
    ipProtocol: opt(h.ipProtocol) ?? HEALTH_CHECK_DEFAULTS.ipProtocol,
  });
}

function normalizePortMapping(m: PortMappingJson, mode: NetworkMode): PortMapping {
  // In bridge mode every mapping is published on the host (0 = dynamic); in container mode only when asked.
  const hostPort = opt(m.hostPort) ?? (mode === 'container/bridge' ? 0 : undefined);
  return clean({
    containerPort: opt(m.containerPort) ?? 0,
    hostPort,
    servicePort: opt(m.servicePort) ?? 0,
    protocol: opt(m.protocol) ?? 'tcp',
    name: opt(m.name),
    labels: opt(m.labels),
    networkNames: opt(m.networkNames),
  });
}

function normalizeNetworks(j: AppJson): NetworkSpec[] {
  const given = opt(j.networks);
  if (given && given.length > 0) {
    return given.map((n) => clean({ mode: opt(n.mode) ?? 'container', name: opt(n.name), labels: opt(n.labels) }));
  }
  // Legacy Docker networking (`container.docker.network`) maps onto the networks list.
  switch (opt(j.container?.docker?.network)) {
    case 'BRIDGE':
      return [{ mode: 'container/bridge' }];
    case 'USER':
      return [{ mode: 'container' }];
    default:
      return [{ mode: 'host' }];
  }
}

function normalizeContainer(c: ContainerJson | null | undefined, mode: NetworkMode): ContainerSpec | undefined {
  if (!c) return undefined;
  const d = opt(c.docker);
  const legacyMappings = opt(d?.portMappings);
  const mappings = opt(c.portMappings) ?? legacyMappings;
  let portMappings: PortMapping[] | undefined;
  if (mode !== 'host') {
    portMappings = mappings
      ? mappings.map((m) => normalizePortMapping(m, mode))
      : // Container networking without mappings gets one default mapping, as in Marathon.
        [normalizePortMapping({ containerPort: 0, name: 'default' }, mode)];
  }
  return clean({
    type: opt(c.type) ?? 'DOCKER',
    docker: d
      ? clean({
          image: d.image,
          forcePullImage: opt(d.forcePullImage) ?? false,
          privileged: opt(d.privileged) ?? false,
          parameters: opt(d.parameters) ?? [],
          credential: d.credential ? clean({ principal: d.credential.principal, secret: opt(d.credential.secret) }) : undefined,
          pullConfig: opt(d.pullConfig),
        })
      : undefined,
    volumes: (opt(c.volumes) ?? []).map((v) =>
      clean({
        containerPath: v.containerPath,
        mode: opt(v.mode) ?? 'RW',
        hostPath: opt(v.hostPath),
        persistent: v.persistent
          ? clean({
              type: opt(v.persistent.type) ?? 'root',
              size: v.persistent.size,
              maxSize: opt(v.persistent.maxSize),
              profileName: opt(v.persistent.profileName),
              constraints: opt(v.persistent.constraints),
            })
          : undefined,
        external: opt(v.external),
        secret: opt(v.secret),
      }),
    ),
    portMappings,
    linuxInfo: opt(c.linuxInfo),
  });
}

export interface NormalizeOptions {
  /** The id to use when the body has none (PUT /v2/apps/{id}), and to resolve a relative body id against. */
  id?: string;
  /** Group the app sits in, for relative ids (`/` for the apps API). */
  base?: string;
  /** ISO 8601 timestamp for version and versionInfo. */
  now: string;
}

/** Fills Marathon's defaults into a shape-valid app JSON. Run the semantic validation on the result. */
export function normalizeApp(j: AppJson, opts: NormalizeOptions): AppDefinition {
  const base = opts.base ?? '/';
  const id = canonicalId(opt(j.id) ?? opts.id ?? '', base);
  const networks = normalizeNetworks(j);
  const mode = networks[0]?.mode ?? 'host';
  const container = normalizeContainer(j.container, mode);
  const ports = opt(j.ports);
  const defs = opt(j.portDefinitions);
  let portDefinitions: PortDefinition[];
  if (mode !== 'host') portDefinitions = [];
  else if (defs) portDefinitions = defs.map((p) => clean({ port: p.port, protocol: opt(p.protocol) ?? 'tcp', name: opt(p.name), labels: opt(p.labels) }));
  else if (ports) portDefinitions = ports.map((port) => ({ port, protocol: 'tcp' }));
  // Host networking with no port fields at all: one dynamic port, Marathon's default.
  else portDefinitions = [{ port: 0, protocol: 'tcp' }];
  const portCount = mode === 'host' ? portDefinitions.length : (container?.portMappings?.length ?? 0);
  const fetch: FetchUri[] = (opt(j.fetch) ?? []).map((f) =>
    clean({ uri: f.uri, extract: opt(f.extract) ?? true, executable: opt(f.executable) ?? false, cache: opt(f.cache) ?? false, destPath: opt(f.destPath) }),
  );
  for (const uri of opt(j.uris) ?? []) fetch.push({ uri, extract: true, executable: false, cache: false });
  const resident = (container?.volumes ?? []).some((v) => v.persistent !== undefined);
  const strategyDefaults = resident ? APP_DEFAULTS.residentUpgradeStrategy : APP_DEFAULTS.upgradeStrategy;
  const us = opt(j.upgradeStrategy);
  const unreachable = opt(j.unreachableStrategy);
  // A body's `version` is never taken as the new version: versions are stamped by the scheduler
  // (a body holding only `version` is a rollback, handled before normalisation).
  const version = opts.now;
  const parent = parentId(id);
  const resourceLimits = opt(j.resourceLimits);
  return clean({
    id,
    cmd: opt(j.cmd),
    args: opt(j.args),
    user: opt(j.user),
    env: opt(j.env) ?? {},
    instances: opt(j.instances) ?? APP_DEFAULTS.instances,
    cpus: opt(j.cpus) ?? APP_DEFAULTS.cpus,
    mem: opt(j.mem) ?? APP_DEFAULTS.mem,
    disk: opt(j.disk) ?? APP_DEFAULTS.disk,
    gpus: opt(j.gpus) ?? APP_DEFAULTS.gpus,
    executor: opt(j.executor) ?? APP_DEFAULTS.executor,
    constraints: (opt(j.constraints) ?? []).map(normalizeConstraint),
    acceptedResourceRoles: opt(j.acceptedResourceRoles),
    role: opt(j.role),
    container,
    networks,
    portDefinitions,
    requirePorts: opt(j.requirePorts) ?? APP_DEFAULTS.requirePorts,
    fetch,
    healthChecks: (opt(j.healthChecks) ?? []).map((h) => normalizeHealthCheck(h, portCount)),
    readinessChecks: (opt(j.readinessChecks) ?? []).map((r) => ({
      name: opt(r.name) ?? READINESS_CHECK_DEFAULTS.name,
      protocol: opt(r.protocol) ?? READINESS_CHECK_DEFAULTS.protocol,
      path: opt(r.path) ?? READINESS_CHECK_DEFAULTS.path,
      portName: opt(r.portName) ?? READINESS_CHECK_DEFAULTS.portName,
      intervalSeconds: opt(r.intervalSeconds) ?? READINESS_CHECK_DEFAULTS.intervalSeconds,
      timeoutSeconds: opt(r.timeoutSeconds) ?? READINESS_CHECK_DEFAULTS.timeoutSeconds,
      httpStatusCodesForReady: opt(r.httpStatusCodesForReady) ?? [...READINESS_CHECK_DEFAULTS.httpStatusCodesForReady],
      preserveLastResponse: opt(r.preserveLastResponse) ?? READINESS_CHECK_DEFAULTS.preserveLastResponse,
    })),
    // Dependencies may be relative to the app's group.
    dependencies: [...new Set((opt(j.dependencies) ?? []).map((d) => canonicalId(d, parent)))],
    upgradeStrategy: clean({
      minimumHealthCapacity: opt(us?.minimumHealthCapacity) ?? strategyDefaults.minimumHealthCapacity,
      maximumOverCapacity: opt(us?.maximumOverCapacity) ?? strategyDefaults.maximumOverCapacity,
      progressDeadlineSeconds: opt(us?.progressDeadlineSeconds),
      rollbackOnDeadline: opt(us?.progressDeadlineSeconds) !== undefined ? (opt(us?.rollbackOnDeadline) ?? true) : opt(us?.rollbackOnDeadline),
    }),
    backoffSeconds: opt(j.backoffSeconds) ?? APP_DEFAULTS.backoffSeconds,
    backoffFactor: opt(j.backoffFactor) ?? APP_DEFAULTS.backoffFactor,
    maxLaunchDelaySeconds: opt(j.maxLaunchDelaySeconds) ?? APP_DEFAULTS.maxLaunchDelaySeconds,
    taskKillGracePeriodSeconds: opt(j.taskKillGracePeriodSeconds),
    killSelection: opt(j.killSelection) ?? APP_DEFAULTS.killSelection,
    unreachableStrategy:
      unreachable === 'disabled'
        ? ('disabled' as const)
        : unreachable
          ? {
              inactiveAfterSeconds: opt(unreachable.inactiveAfterSeconds) ?? APP_DEFAULTS.unreachableStrategy.inactiveAfterSeconds,
              expungeAfterSeconds: opt(unreachable.expungeAfterSeconds) ?? APP_DEFAULTS.unreachableStrategy.expungeAfterSeconds,
            }
          : resident
            ? ('disabled' as const)
            : { ...APP_DEFAULTS.unreachableStrategy },
    labels: opt(j.labels) ?? {},
    secrets: opt(j.secrets) ?? {},
    resourceLimits: resourceLimits ? clean({ cpus: opt(resourceLimits.cpus), mem: opt(resourceLimits.mem) }) : undefined,
    tty: opt(j.tty),
    version,
    versionInfo: { lastScalingAt: version, lastConfigChangeAt: version },
  });
}

/** Operators are accepted in any case (Marathon upper-cases them); the semantic phase rejects unknown ones. */
function normalizeConstraint(c: string[]): Constraint {
  const [field = '', op = '', value] = c;
  const out: Constraint = [field, op.toUpperCase() as ConstraintOperator];
  if (value !== undefined) out.push(value);
  return out;
}

/**
 * Stamps a new version: a change of `instances` alone (or no change) is a scaling and keeps
 * lastConfigChangeAt, anything else is a config change.
 */
export function stampVersion(next: AppDefinition, previous: AppDefinition | undefined, now: string): AppDefinition {
  const scaleOnly = previous !== undefined && sameConfig(previous, next);
  return {
    ...next,
    version: now,
    versionInfo: { lastScalingAt: now, lastConfigChangeAt: scaleOnly && previous ? previous.versionInfo.lastConfigChangeAt : now },
  };
}

/** POST /v2/apps/{id}/restart: the same definition as a new config version, so every task is replaced. */
export function restartVersion(app: AppDefinition, now: string): AppDefinition {
  return { ...app, version: now, versionInfo: { lastScalingAt: now, lastConfigChangeAt: now } };
}

/** The definition without version stamps and instance count: what running tasks depend on. */
export function configOf(app: AppDefinition): Omit<AppDefinition, 'version' | 'versionInfo' | 'instances'> {
  const { version: _v, versionInfo: _vi, instances: _i, ...rest } = app;
  // An absent role and the default role are the same thing (GET answers show `*`, clients echo it back).
  return { ...rest, role: app.role ?? '*' };
}

export function sameConfig(a: AppDefinition, b: AppDefinition): boolean {
  return stableJson(configOf(a)) === stableJson(configOf(b));
}

/**
 * For deployment planning: do tasks of `a` fit `b` apart from their number? A restart bumps
 * lastConfigChangeAt, which therefore counts as a change here.
 */
export function isOnlyScaleChange(a: AppDefinition, b: AppDefinition): boolean {
  return sameConfig(a, b) && a.versionInfo.lastConfigChangeAt === b.versionInfo.lastConfigChangeAt;
}

/** JSON with sorted object keys, so equal definitions compare equal whatever their key order. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) => {
    if (val && typeof val === 'object' && !Array.isArray(val)) {
      const o = val as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
    }
    return val;
  });
}

/**
 * Marathon's GET shape of an app definition. Status fields (tasksRunning …) are added by the service,
 * which knows the tasks.
 */
export function appToJson(app: AppDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: app.id,
    backoffFactor: app.backoffFactor,
    backoffSeconds: app.backoffSeconds,
  };
  if (app.cmd !== undefined) out['cmd'] = app.cmd;
  if (app.args !== undefined) out['args'] = app.args;
  Object.assign(out, {
    constraints: app.constraints,
    container: app.container ?? null,
    cpus: app.cpus,
    dependencies: app.dependencies,
    disk: app.disk,
    env: app.env,
    executor: app.executor,
    fetch: app.fetch,
    gpus: app.gpus,
    healthChecks: app.healthChecks,
    instances: app.instances,
    labels: app.labels,
    maxLaunchDelaySeconds: app.maxLaunchDelaySeconds,
    mem: app.mem,
    networks: app.networks,
    portDefinitions: app.portDefinitions,
    readinessChecks: app.readinessChecks,
    requirePorts: app.requirePorts,
    secrets: app.secrets,
    upgradeStrategy: app.upgradeStrategy,
    killSelection: app.killSelection,
    unreachableStrategy: app.unreachableStrategy,
    version: app.version,
    versionInfo: app.versionInfo,
  });
  if (app.user !== undefined) out['user'] = app.user;
  if (app.acceptedResourceRoles !== undefined) out['acceptedResourceRoles'] = app.acceptedResourceRoles;
  out['role'] = app.role ?? '*';
  if (app.taskKillGracePeriodSeconds !== undefined) out['taskKillGracePeriodSeconds'] = app.taskKillGracePeriodSeconds;
  if (app.resourceLimits !== undefined) out['resourceLimits'] = app.resourceLimits;
  if (app.tty !== undefined) out['tty'] = app.tty;
  return out;
}
