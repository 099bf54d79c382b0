import { z } from 'zod';

/**
 * The shape of Marathon's app JSON as clients send it (RAML types of Marathon's v2 API). This is the
 * first validation phase: types, ranges, enums and unknown fields. Optional fields accept `null`
 * because Marathon's own GET output and several clients send nulls for absent values. Read-only fields
 * that a client may echo back from a GET (task counts, deployments …) are accepted and ignored.
 */

const Labels = z.record(z.string(), z.string());
const AnyPort = z.number().int().min(0).max(65535);
const LegacyName = z.string().min(1).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
const Protocol = z.enum(['tcp', 'udp', 'udp,tcp', 'tcp,udp']);
const NonNegInt = z.number().int().min(0);

export const PortDefinitionJson = z
  .object({
    port: AnyPort,
    protocol: Protocol.nullish(),
    name: LegacyName.nullish(),
    labels: Labels.nullish(),
  })
  .strict();

export const PortMappingJson = z
  .object({
    containerPort: AnyPort.nullish(),
    hostPort: AnyPort.nullish(),
    servicePort: AnyPort.nullish(),
    protocol: Protocol.nullish(),
    name: LegacyName.nullish(),
    labels: Labels.nullish(),
    networkNames: z.array(z.string()).nullish(),
  })
  .strict();

export const DockerJson = z
  .object({
    image: z.string().min(1),
    network: z.enum(['BRIDGE', 'HOST', 'NONE', 'USER']).nullish(),
    portMappings: z.array(PortMappingJson).nullish(),
    privileged: z.boolean().nullish(),
    parameters: z.array(z.object({ key: z.string().min(1), value: z.string() }).strict()).nullish(),
    forcePullImage: z.boolean().nullish(),
    credential: z.object({ principal: z.string(), secret: z.string().nullish() }).strict().nullish(),
    pullConfig: z.object({ secret: z.string().min(1) }).strict().nullish(),
  })
  .strict();

export const VolumeJson = z
  .object({
    containerPath: z.string().min(1),
    hostPath: z.string().nullish(),
    mode: z.enum(['RO', 'RW']).nullish(),
    persistent: z
      .object({
        type: z.enum(['root', 'path', 'mount']).nullish(),
        size: z.number().int().min(1),
        maxSize: z.number().int().nullish(),
        profileName: z.string().nullish(),
        constraints: z.array(z.array(z.string())).nullish(),
      })
      .strict()
      .nullish(),
    external: z.record(z.string(), z.unknown()).nullish(),
    secret: z.string().nullish(),
  })
  .strict();

export const ContainerJson = z
  .object({
    type: z.enum(['DOCKER', 'MESOS']).nullish(),
    docker: DockerJson.nullish(),
    volumes: z.array(VolumeJson).nullish(),
    portMappings: z.array(PortMappingJson).nullish(),
    linuxInfo: z.record(z.string(), z.unknown()).nullish(),
  })
  .strict();

export const HealthCheckJson = z
  .object({
    protocol: z.enum(['HTTP', 'HTTPS', 'TCP', 'COMMAND', 'MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP']).nullish(),
    path: z.string().nullish(),
    portIndex: AnyPort.nullish(),
    port: AnyPort.nullish(),
    command: z.object({ value: z.string() }).strict().nullish(),
    gracePeriodSeconds: NonNegInt.nullish(),
    intervalSeconds: NonNegInt.nullish(),
    timeoutSeconds: NonNegInt.nullish(),
    maxConsecutiveFailures: NonNegInt.nullish(),
    delaySeconds: NonNegInt.nullish(),
    ignoreHttp1xx: z.boolean().nullish(),
    ipProtocol: z.enum(['IPv4', 'IPv6']).nullish(),
  })
  .strict();

export const ReadinessCheckJson = z
  .object({
    name: z.string().min(1).nullish(),
    protocol: z.enum(['HTTP', 'HTTPS']).nullish(),
    path: z.string().min(1).nullish(),
    portName: LegacyName.nullish(),
    intervalSeconds: NonNegInt.nullish(),
    timeoutSeconds: z.number().int().min(1).nullish(),
    httpStatusCodesForReady: z.array(z.number().int().min(100).max(999)).min(1).nullish(),
    preserveLastResponse: z.boolean().nullish(),
  })
  .strict();

export const UpgradeStrategyJson = z
  .object({
    minimumHealthCapacity: z.number().min(0).max(1).nullish(),
    maximumOverCapacity: z.number().min(0).max(1).nullish(),
    // Agora extension (Marathon has no deployment timeout, marathon#517): see README.
    progressDeadlineSeconds: z.number().int().min(1).nullish(),
    rollbackOnDeadline: z.boolean().nullish(),
  })
  .strict();

export const FetchJson = z
  .object({
    uri: z.string().min(1).max(1024),
    extract: z.boolean().nullish(),
    executable: z.boolean().nullish(),
    cache: z.boolean().nullish(),
    destPath: z.string().min(1).max(1024).nullish(),
  })
  .strict();

export const NetworkJson = z
  .object({
    mode: z.enum(['container', 'container/bridge', 'host']).nullish(),
    name: z.string().regex(/^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$/).max(63).nullish(),
    labels: Labels.nullish(),
  })
  .strict();

export const EnvValueJson = z.union([z.string(), z.object({ secret: z.string().min(1) }).strict()]);

export const UnreachableStrategyJson = z.union([
  z.literal('disabled'),
  z
    .object({
      inactiveAfterSeconds: z.number().int().min(0).nullish(),
      expungeAfterSeconds: z.number().int().min(0).nullish(),
    })
    .strict(),
]);

/** `[field, operator, value?]`; the operator is checked in the semantic phase (case-insensitive there). */
export const ConstraintJson = z.array(z.string()).min(2).max(3);

const ResourceLimitJson = z.union([z.number(), z.literal('unlimited')]);

/** Every field of the App type; `id` is optional here because PUT /v2/apps/{id} takes it from the URL. */
export const AppJsonShape = {
  id: z.string().min(1).nullish(),
  cmd: z.string().min(1).nullish(),
  args: z.array(z.string()).nullish(),
  user: z.string().nullish(),
  env: z.record(z.string(), EnvValueJson).nullish(),
  instances: z.number().int().min(0).nullish(),
  cpus: z.number().min(0.001).nullish(),
  mem: z.number().min(0).nullish(),
  disk: z.number().min(0).nullish(),
  gpus: z.number().int().min(0).nullish(),
  executor: z.string().regex(/^(\/\/cmd)|(\/?[^/]+(\/[^/]+)*)|$/).nullish(),
  constraints: z.array(ConstraintJson).nullish(),
  acceptedResourceRoles: z.array(z.string()).nullish(),
  role: z.string().min(1).nullish(),
  container: ContainerJson.nullish(),
  networks: z.array(NetworkJson).nullish(),
  portDefinitions: z.array(PortDefinitionJson).nullish(),
  ports: z.array(AnyPort).nullish(),
  requirePorts: z.boolean().nullish(),
  fetch: z.array(FetchJson).nullish(),
  uris: z.array(z.string().min(1).max(1024)).nullish(),
  healthChecks: z.array(HealthCheckJson).nullish(),
  readinessChecks: z.array(ReadinessCheckJson).nullish(),
  dependencies: z.array(z.string().min(1)).nullish(),
  upgradeStrategy: UpgradeStrategyJson.nullish(),
  backoffSeconds: z.number().int().min(0).nullish(),
  backoffFactor: z.number().min(1).nullish(),
  maxLaunchDelaySeconds: z.number().int().min(0).nullish(),
  taskKillGracePeriodSeconds: z.number().int().min(0).nullish(),
  killSelection: z.enum(['YOUNGEST_FIRST', 'OLDEST_FIRST']).nullish(),
  unreachableStrategy: UnreachableStrategyJson.nullish(),
  labels: Labels.nullish(),
  secrets: z.record(z.string(), z.object({ source: z.string().min(1) }).strict()).nullish(),
  resourceLimits: z.object({ cpus: ResourceLimitJson.nullish(), mem: ResourceLimitJson.nullish() }).strict().nullish(),
  tty: z.boolean().nullish(),
  version: z.string().nullish(),
  // Accepted for compatibility, no effect (deprecated in Marathon).
  residency: z.record(z.string(), z.unknown()).nullish(),
  ipAddress: z.record(z.string(), z.unknown()).nullish(),
  executorResources: z.record(z.string(), z.unknown()).nullish(),
  check: z.record(z.string(), z.unknown()).nullish(),
  // Read-only fields of a GET answer, ignored when echoed back.
  versionInfo: z.unknown().optional(),
  tasksStaged: z.unknown().optional(),
  tasksRunning: z.unknown().optional(),
  tasksHealthy: z.unknown().optional(),
  tasksUnhealthy: z.unknown().optional(),
  deployments: z.unknown().optional(),
  tasks: z.unknown().optional(),
  lastTaskFailure: z.unknown().optional(),
  readinessCheckResults: z.unknown().optional(),
  tasksStats: z.unknown().optional(),
  taskStats: z.unknown().optional(),
};

export const AppJson = z.object(AppJsonShape).strict();
export type AppJson = z.output<typeof AppJson>;
export type PortMappingJson = z.output<typeof PortMappingJson>;
export type HealthCheckJson = z.output<typeof HealthCheckJson>;
export type ContainerJson = z.output<typeof ContainerJson>;

/** Field names a PATCH may carry (all of the app's). */
export const APP_FIELDS: readonly string[] = Object.keys(AppJsonShape);
