import { z } from 'zod';
import { TASK_STATES, TASK_REASONS, TASK_ID_PATTERN } from '@agora/model';

/**
 * Shared building blocks of the wire protocol. Field names follow Mesos' v1 JSON where one exists
 * (camelCased), so that a Mesos user recognises them; resources use Agora's compact form.
 */
export const PortRangeSchema = z.object({ begin: z.number().int().min(0).max(65535), end: z.number().int().min(0).max(65535) });

export const ResourcesSchema = z.object({
  scalars: z.record(z.string(), z.number().nonnegative()).default({}),
  ports: z.array(PortRangeSchema).default([]),
});

export const LabelsSchema = z.record(z.string(), z.string());

export const TaskIdSchema = z.string().regex(TASK_ID_PATTERN, 'task id must be 1-200 of [A-Za-z0-9_.-:]');

export const CommandSchema = z.object({
  /** The command line; with shell=true it runs under /bin/sh -c. */
  value: z.string().optional(),
  shell: z.boolean().default(true),
  arguments: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.string()).default({}),
  user: z.string().optional(),
  uris: z
    .array(
      z.object({
        value: z.string(),
        executable: z.boolean().optional(),
        extract: z.boolean().optional(),
        cache: z.boolean().optional(),
        outputFile: z.string().optional(),
      }),
    )
    .default([]),
});

export const VolumeSchema = z.object({
  containerPath: z.string(),
  hostPath: z.string().optional(),
  mode: z.enum(['RO', 'RW']).default('RW'),
});

export const ContainerSchema = z.object({
  type: z.enum(['MESOS', 'DOCKER']).default('MESOS'),
  docker: z
    .object({
      image: z.string(),
      network: z.enum(['HOST', 'BRIDGE', 'NONE', 'USER']).default('HOST'),
      forcePullImage: z.boolean().default(false),
      privileged: z.boolean().default(false),
      parameters: z.array(z.object({ key: z.string(), value: z.string() })).default([]),
      portMappings: z
        .array(
          z.object({
            containerPort: z.number().int(),
            hostPort: z.number().int(),
            protocol: z.string().default('tcp'),
          }),
        )
        .default([]),
    })
    .optional(),
  volumes: z.array(VolumeSchema).default([]),
});

export const DiscoverySchema = z.object({
  name: z.string().optional(),
  visibility: z.enum(['FRAMEWORK', 'CLUSTER', 'EXTERNAL']).default('FRAMEWORK'),
  ports: z
    .array(
      z.object({
        number: z.number().int(),
        name: z.string().optional(),
        protocol: z.string().default('tcp'),
        labels: LabelsSchema.optional(),
      }),
    )
    .default([]),
  labels: LabelsSchema.optional(),
});

/** Mesos `TaskInfo` as a framework sends it in a LAUNCH operation. */
export const TaskInfoSchema = z.object({
  taskId: TaskIdSchema,
  name: z.string().min(1),
  agentId: z.string().min(1),
  resources: ResourcesSchema,
  command: CommandSchema.optional(),
  container: ContainerSchema.optional(),
  labels: LabelsSchema.default({}),
  discovery: DiscoverySchema.optional(),
  killPolicy: z.object({ gracePeriodSeconds: z.number().nonnegative() }).optional(),
  /** Mesos `max_completion_time`: the agent kills the task after this many seconds. */
  maxCompletionTimeSeconds: z.number().positive().optional(),
  /**
   * Agora extension, "launch ahead" (epoch ms): the agent prepares the task at once (sandbox, cgroups,
   * process created and waiting), reports TASK_STARTING, and starts the command at this instant,
   * reporting TASK_RUNNING then. Absent or past: the command starts at once, as without it.
   */
  startAt: z.number().int().nonnegative().optional(),
  /**
   * Mesos `TaskInfo.health_check` (type COMMAND): the agent runs the command in the task's sandbox, with
   * its environment and in its cgroups, every `intervalSeconds` from `delaySeconds` after TASK_RUNNING
   * (exit status 0 passes, `timeoutSeconds` fails it). A pass after anything else, and every counted
   * failure, is a TASK_RUNNING update with `healthy` (reason REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
   * failures before the first success within `gracePeriodSeconds` of the start do not count; after
   * `consecutiveFailures` counted failures in a row the agent kills the task (0: never — the framework
   * counts the failure updates and decides, as Marathon does).
   */
  healthCheck: z
    .object({
      command: z.object({ value: z.string().min(1).max(16_384) }),
      delaySeconds: z.number().nonnegative().default(15),
      intervalSeconds: z.number().positive().default(10),
      timeoutSeconds: z.number().positive().default(20),
      gracePeriodSeconds: z.number().nonnegative().default(10),
      consecutiveFailures: z.number().int().nonnegative().default(3),
    })
    .optional(),
});

export const TaskStateSchema = z.enum(TASK_STATES);
export const TaskReasonSchema = z.enum(TASK_REASONS);

export const TaskStatusSchema = z.object({
  taskId: z.string(),
  frameworkId: z.string(),
  agentId: z.string().optional(),
  state: TaskStateSchema,
  reason: TaskReasonSchema.optional(),
  source: z.enum(['SOURCE_MASTER', 'SOURCE_AGENT', 'SOURCE_EXECUTOR']),
  message: z.string().optional(),
  healthy: z.boolean().optional(),
  /** Present when the update must be acknowledged; absent for reconciliation answers. */
  uuid: z.string().optional(),
  /** Seconds since the epoch, as Mesos gives it. */
  timestamp: z.number(),
  exitCode: z.number().int().optional(),
  /** The addresses the task is reachable at (Mesos `container_status.network_infos`). */
  ipAddresses: z.array(z.string()).optional(),
  containerId: z.string().optional(),
  /**
   * Mesos `TaskStatus.labels`. Containerizers may report the container's address here under
   * `Docker.NetworkSettings.IPAddress` / `MesosContainerizer.NetworkSettings.IPAddress` (Mesos-DNS IP sources).
   */
  labels: LabelsSchema.optional(),
});

export const FrameworkInfoSchema = z.object({
  name: z.string().min(1),
  user: z.string().default('root'),
  role: z.string().default('*'),
  principal: z.string().optional(),
  hostname: z.string().optional(),
  webuiUrl: z.string().optional(),
  /** Seconds the master keeps the framework's tasks after it disconnects (Mesos default 0). */
  failoverTimeoutSeconds: z.number().nonnegative().default(0),
  checkpoint: z.boolean().default(true),
  capabilities: z.array(z.string()).default([]),
  labels: LabelsSchema.default({}),
});

export const MasterInfoSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  ip: z.string(),
  port: z.number().int(),
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:5050 */
  url: z.string(),
  version: z.string(),
  /** Increments with every leadership change; used to spot stale messages and event gaps. */
  epoch: z.number().int().optional(),
  electedTime: z.number().optional(),
});

export const AgentInfoSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  ip: z.string(),
  port: z.number().int(),
  resources: ResourcesSchema,
  attributes: z.record(z.string(), z.string()).default({}),
  /** Where its work dir / sandboxes live, for the files API. */
  workDir: z.string().optional(),
  version: z.string().optional(),
});

/** A task as the master (and every state snapshot) sees it. */
export const TaskViewSchema = z.object({
  taskId: z.string(),
  name: z.string(),
  frameworkId: z.string(),
  agentId: z.string(),
  state: TaskStateSchema,
  resources: ResourcesSchema,
  labels: LabelsSchema.default({}),
  discovery: DiscoverySchema.optional(),
  container: ContainerSchema.optional(),
  statuses: z.array(TaskStatusSchema).default([]),
  /** Absolute sandbox path on the agent (served through the agent's files API). */
  sandbox: z.string().optional(),
  healthy: z.boolean().optional(),
});

export const OfferSchema = z.object({
  id: z.string(),
  frameworkId: z.string(),
  agentId: z.string(),
  hostname: z.string(),
  agentIp: z.string(),
  resources: ResourcesSchema,
  attributes: z.record(z.string(), z.string()).default({}),
  allocationRole: z.string().default('*'),
});

export const FrameworkViewSchema = z.object({
  id: z.string(),
  info: FrameworkInfoSchema,
  active: z.boolean(),
  connected: z.boolean(),
  registeredTime: z.number(),
  reregisteredTime: z.number().optional(),
  unregisteredTime: z.number().optional(),
  tasks: z.array(TaskViewSchema),
  completedTasks: z.array(TaskViewSchema),
  offeredResources: ResourcesSchema,
  usedResources: ResourcesSchema,
  offers: z.array(OfferSchema),
});

export const AgentViewSchema = AgentInfoSchema.extend({
  active: z.boolean(),
  /** REGISTERED, UNREACHABLE (silent past its timeout), GONE (removed). */
  status: z.enum(['REGISTERED', 'UNREACHABLE', 'GONE']),
  registeredTime: z.number(),
  reregisteredTime: z.number().optional(),
  usedResources: ResourcesSchema,
  offeredResources: ResourcesSchema,
});

/** The whole cluster as the leading master sees it: served on `agora.master.state` and shaped for HTTP. */
export const ClusterStateSchema = z.object({
  master: MasterInfoSchema,
  leader: MasterInfoSchema.optional(),
  startTime: z.number(),
  electedTime: z.number().optional(),
  /** Sequence of the last cluster event published; a snapshot taken at N covers every event ≤ N. */
  eventSequence: z.number().int(),
  agents: z.array(AgentViewSchema),
  frameworks: z.array(FrameworkViewSchema),
  completedFrameworks: z.array(FrameworkViewSchema).default([]),
  flags: z.record(z.string(), z.string()).default({}),
});

export type TaskInfo = z.output<typeof TaskInfoSchema>;
export type TaskInfoInput = z.input<typeof TaskInfoSchema>;
export type TaskStatus = z.output<typeof TaskStatusSchema>;
export type FrameworkInfo = z.output<typeof FrameworkInfoSchema>;
export type FrameworkInfoInput = z.input<typeof FrameworkInfoSchema>;
export type MasterInfo = z.output<typeof MasterInfoSchema>;
export type AgentInfo = z.output<typeof AgentInfoSchema>;
export type TaskView = z.output<typeof TaskViewSchema>;
export type Offer = z.output<typeof OfferSchema>;
export type FrameworkView = z.output<typeof FrameworkViewSchema>;
export type AgentView = z.output<typeof AgentViewSchema>;
export type ClusterState = z.output<typeof ClusterStateSchema>;
export type Container = z.output<typeof ContainerSchema>;
export type Command = z.output<typeof CommandSchema>;
