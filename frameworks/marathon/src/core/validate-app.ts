import { AppJson } from './app-json-schema';
import type { AppDefinition, Constraint } from './app-definition';
import { isResident, networkMode, normalizeApp, portEntries } from './app-definition';
import { idErrors, isRootId } from './app-id';
import { zodIssuesToViolations } from './zod-details';
import { INVALID_JSON, OBJECT_NOT_VALID, Violations, type Validated } from './validation-error';

/**
 * Two-phase validation, as Marathon does it: first the JSON shape (→ "Invalid JSON"), then the rules
 * between fields on the normalized definition (→ "Object is not valid"). Both are answered with 422.
 */

export interface ParseAppOptions {
  /** ISO 8601 version timestamp for the new definition. */
  now: string;
  /** Id from the URL (PUT /v2/apps/{id}), used when the body has none. */
  id?: string;
  /** Enclosing group for relative ids. */
  base?: string;
}

export function checkAppShape(raw: unknown): Validated<AppJson> {
  const r = AppJson.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: zodIssuesToViolations(r.error.issues, raw).toFailure(INVALID_JSON) };
}

/** Shape check, normalisation and semantic validation in one go. */
export function parseApp(raw: unknown, opts: ParseAppOptions): Validated<AppDefinition> {
  const shape = checkAppShape(raw);
  if (!shape.ok) return shape;
  const json = shape.value;
  if ((json.id === undefined || json.id === null) && opts.id === undefined) {
    return { ok: false, error: { message: INVALID_JSON, details: [{ path: '/id', errors: ['error.path.missing'] }] } };
  }
  const app = normalizeApp(json, opts);
  const v = new Violations();
  validateRawFields(json, opts, v);
  validateApp(app, v);
  if (!v.empty) return { ok: false, error: v.toFailure(OBJECT_NOT_VALID) };
  return { ok: true, value: app };
}

/** Rules that need the body as written (before deprecated fields are folded into current ones). */
function validateRawFields(json: AppJson, opts: ParseAppOptions, v: Violations): void {
  const rawId = json.id ?? opts.id ?? '';
  for (const e of idErrors(rawId)) v.add('/id', e);
  if (json.ports && json.portDefinitions) {
    const same = json.ports.length === json.portDefinitions.length && json.ports.every((p, i) => json.portDefinitions?.[i]?.port === p);
    if (!same) v.add('/', 'cannot specify both ports and port definitions');
  }
  if (json.uris && json.uris.length > 0 && json.fetch && json.fetch.length > 0) v.add('/uris', 'may not be set in conjunction with fetch');
  (json.dependencies ?? []).forEach((d, i) => {
    for (const e of idErrors(d).filter((x) => !x.startsWith('must not end'))) v.add(`/dependencies(${i})`, e);
  });
  const mode = json.networks?.[0]?.mode ?? (json.container?.docker?.network === 'BRIDGE' ? 'container/bridge' : json.container?.docker?.network === 'USER' ? 'container' : 'host');
  if (mode !== 'host' && (json.portDefinitions?.length ?? 0) > 0) v.add('/', 'portDefinitions are only allowed with host-networking');
  const mappings = json.container?.portMappings ?? json.container?.docker?.portMappings;
  if (mode === 'host' && (mappings?.length ?? 0) > 0) v.add('/', 'portMappings are not allowed with host-networking');
  if (json.networks && json.container?.docker?.network) v.add('/', 'must not specify both container.docker.network and networks');
}

/** Semantic rules on a normalized definition; adds to `v` and returns it. */
export function validateApp(app: AppDefinition, v = new Violations()): Violations {
  if (isRootId(app.id)) v.add('/id', 'must not be root');
  const hasCmd = app.cmd !== undefined;
  const hasArgs = (app.args?.length ?? 0) > 0;
  const hasContainer = app.container !== undefined && (app.container.type === 'MESOS' || app.container.docker !== undefined);
  if (!((hasCmd !== hasArgs) || (!(hasCmd && hasArgs) && hasContainer))) {
    v.add('/', "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.");
  }
  app.constraints.forEach((c, i) => {
    for (const e of constraintErrors(c)) v.add(`/constraints(${i})`, e);
  });
  validatePorts(app, v);
  validateHealthChecks(app, v);
  validateReadiness(app, v);
  validateContainer(app, v);
  validateStrategy(app, v);
  validateEnv(app, v);
  if (app.acceptedResourceRoles !== undefined && app.acceptedResourceRoles.length === 0) v.add('/acceptedResourceRoles', 'must not be empty');
  if (app.networks.length > 1 && app.networks.some((n) => n.mode === 'host')) v.add('/networks', 'host networking may not be combined with other networks');
  if (app.resourceLimits) {
    for (const k of ['cpus', 'mem'] as const) {
      const limit = app.resourceLimits[k];
      if (typeof limit === 'number' && limit < app[k]) {
        v.add(`/resourceLimits/${k}`, `resource limit must be greater than or equal to requested resource (${app[k]})`);
      }
    }
  }
  return v;
}

const IS_VALUE = /^[a-zA-Z0-9_/.-]*$/;

/** Marathon's constraint rules, per constraint `[field, OP, value?]`. */
export function constraintErrors(c: Constraint): string[] {
  const [field, op, value] = c;
  if (field.length === 0) return ['missing field for constraint declaration'];
  switch (op) {
    case 'UNIQUE':
      return value === undefined ? [] : ['UNIQUE does not accept a value'];
    case 'CLUSTER':
      return [];
    case 'GROUP_BY':
      return value === undefined || isInt(value) ? [] : ['GROUP BY must define an integer value or else no value at all'];
    case 'MAX_PER':
      return value !== undefined && isInt(value) ? [] : ['MAX_PER requires an integer value'];
    case 'LIKE':
    case 'UNLIKE':
      if (value === undefined || value.length === 0) return ['LIKE and UNLIKE require a non-empty, regular expression value'];
      try {
        new RegExp(value);
        return [];
      } catch {
        return ['is not a valid regular expression'];
      }
    case 'IS':
      return IS_VALUE.test(value ?? '') ? [] : ['IS only supports Mesos text and float values (see http://mesos.apache.org/documentation/latest/attributes-resources/)'];
    default:
      return ['operator must be one of the following UNIQUE, CLUSTER, GROUP_BY, LIKE, MAX_PER, UNLIKE or IS'];
  }
}

function isInt(s: string): boolean {
  return /^-?\d+$/.test(s.trim()) && Math.abs(Number(s)) <= 2147483647;
}

function validatePorts(app: AppDefinition, v: Violations): void {
  const entries = portEntries(app);
  const names = entries.map((e) => e.name).filter((n): n is string => n !== undefined);
  const path = networkMode(app) === 'host' ? '/portDefinitions' : '/container/portMappings';
  if (new Set(names).size !== names.length) v.add(path, 'Port names must be unique.');
  if (networkMode(app) === 'host') {
    const fixed = app.portDefinitions.map((p) => p.port).filter((p) => p !== 0);
    if (new Set(fixed).size !== fixed.length) v.add(path, 'Ports must be unique.');
  } else {
    const hostPorts = (app.container?.portMappings ?? []).map((m) => m.hostPort).filter((p): p is number => p !== undefined && p !== 0);
    if (new Set(hostPorts).size !== hostPorts.length) v.add(path, 'Host ports must be unique.');
  }
}

function validateHealthChecks(app: AppDefinition, v: Violations): void {
  const portCount = portEntries(app).length;
  let mesosChecks = 0;
  app.healthChecks.forEach((h, i) => {
    const p = `/healthChecks(${i})`;
    const marathonLevel = h.protocol === 'HTTP' || h.protocol === 'HTTPS' || h.protocol === 'TCP';
    if (h.protocol === 'COMMAND') {
      if (!h.command || h.command.value.length === 0) v.add(p, 'command must be defined for a COMMAND health check');
    } else {
      if (h.command) v.add(p, `command is only allowed for COMMAND health checks, not ${h.protocol}`);
      if (h.port !== undefined && h.portIndex !== undefined) v.add(p, 'Health check must specify either port or portIndex, not both');
      if (h.port === undefined && (h.portIndex === undefined || h.portIndex >= portCount)) {
        v.add(p, 'Health check port indices must address an element of the ports array or container port mappings.');
      }
    }
    if (!marathonLevel) mesosChecks++;
    if (h.ipProtocol === 'IPv6' && !(app.container?.type === 'DOCKER' && ['MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP'].includes(h.protocol))) {
      v.add(p, 'IPv6 can only be used for container type DOCKER and Mesos http/https/tcp health checks');
    }
  });
  if (mesosChecks > 1) v.add('/', 'AppDefinition can contain at most one Mesos health check');
}

function validateReadiness(app: AppDefinition, v: Violations): void {
  if (app.readinessChecks.length > 1) v.add('/readinessChecks', 'Only one readiness check is supported');
  const names = new Set(portEntries(app).map((e) => e.name).filter((n): n is string => n !== undefined));
  app.readinessChecks.forEach((r, i) => {
    if (!names.has(r.portName)) v.add(`/readinessChecks(${i})/portName`, `No port definition reference for portName ${r.portName}`);
    if (r.timeoutSeconds >= r.intervalSeconds) v.add(`/readinessChecks(${i})/timeoutSeconds`, 'must be less than intervalSeconds');
  });
}

function validateContainer(app: AppDefinition, v: Violations): void {
  const c = app.container;
  if (!c) return;
  if (c.type === 'DOCKER' && !c.docker) v.add('/container/docker', 'must be defined for container type DOCKER');
  if (c.type === 'DOCKER' && c.docker?.pullConfig) v.add('/container/docker/pullConfig', 'pullConfig is not supported with Docker containerizer');
  if (c.type === 'MESOS' && c.docker?.privileged) v.add('/container/docker/privileged', 'privileged is only supported with the Docker containerizer');
  if (c.type === 'MESOS' && (c.docker?.parameters.length ?? 0) > 0) v.add('/container/docker/parameters', 'parameters are only supported with the Docker containerizer');
  if (app.gpus > 0 && c.type === 'DOCKER') v.add('/', 'GPU resources only work with the Mesos containerizer');
  c.volumes.forEach((vol, i) => {
    const p = `/container/volumes(${i})`;
    const kinds = [vol.hostPath, vol.persistent, vol.external, vol.secret].filter((x) => x !== undefined).length;
    if (kinds !== 1) v.add(p, 'must be exactly one of a host, persistent, external or secret volume');
    if (vol.persistent && vol.containerPath.includes('/')) v.add(`${p}/containerPath`, 'value must not contain "/"');
    if (vol.persistent?.maxSize !== undefined && vol.persistent.type !== 'mount') v.add(`${p}/persistent`, 'Only mount volumes can have maxSize');
    if (vol.persistent?.maxSize !== undefined && vol.persistent.maxSize <= vol.persistent.size) v.add(`${p}/persistent`, 'Max size must be larger than size');
    if (vol.secret !== undefined && !(vol.secret in app.secrets)) v.add(p, 'volume.secret must refer to an existing secret');
  });
}

function validateStrategy(app: AppDefinition, v: Violations): void {
  const s = app.upgradeStrategy;
  if (isResident(app) && s.maximumOverCapacity !== 0) v.add('/upgradeStrategy/maximumOverCapacity', 'must be 0 for apps with persistent volumes');
  if (s.rollbackOnDeadline !== undefined && s.progressDeadlineSeconds === undefined) {
    v.add('/upgradeStrategy/rollbackOnDeadline', 'only allowed together with progressDeadlineSeconds');
  }
  if (isResident(app) && app.unreachableStrategy !== 'disabled') v.add('/', 'unreachableStrategy must be disabled for resident tasks');
}

function validateEnv(app: AppDefinition, v: Violations): void {
  for (const [name, value] of Object.entries(app.env)) {
    if (typeof value !== 'string' && !(value.secret in app.secrets)) v.add(`/env/${name}`, `references an undefined secret named '${value.secret}'`);
  }
}
