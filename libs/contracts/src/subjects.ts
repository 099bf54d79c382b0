import { z } from 'zod';
import { event, request } from './define';
import { envelope } from './errors';
import {
  AgentInfoSchema,
  ClusterStateSchema,
  FrameworkInfoSchema,
  FrameworkViewSchema,
  MasterInfoSchema,
  OfferSchema,
  ResourcesSchema,
  TaskInfoSchema,
  TaskStatusSchema,
  TaskViewSchema,
  AgentViewSchema,
} from './schemas';

/**
 * Every NATS subject Agora uses. Prefix `agora.`:
 *  - `agora.master.<verb>`           requests served by the leading master only
 *  - `agora.agent.<agentId>.<verb>`  commands to one agent
 *  - `agora.framework.<id>.event`    offers, rescinds and status updates to one framework
 *  - `agora.events.<kind>`           cluster-wide fan-out (DNS, UI, CLI)
 */
export const PREFIX = 'agora';

const Ok = envelope(z.object({}));
const FilterSchema = z.object({ refuseSeconds: z.number().nonnegative().max(365 * 24 * 3600).default(5) });

// ---------------------------------------------------------------- agent → master
/** A task an agent reports when (re-)registering: what it runs and the latest state it knows. */
export const AgentTaskReportSchema = z.object({
  frameworkId: z.string(),
  task: TaskInfoSchema,
  state: TaskStatusSchema.shape.state,
  latestStatus: TaskStatusSchema.optional(),
  sandbox: z.string().optional(),
});

export const RegisterAgent = request(
  'master.agent.register',
  () => `${PREFIX}.master.agent.register`,
  z.object({
    /** Set when the agent has registered before (from its checkpoint): a re-registration. */
    agentId: z.string().optional(),
    info: AgentInfoSchema.omit({ id: true }),
    tasks: z.array(AgentTaskReportSchema).default([]),
    /** Names of frameworks whose tasks it runs, so a new master can show them before they re-subscribe. */
    frameworks: z.array(z.object({ id: z.string(), info: FrameworkInfoSchema })).default([]),
  }),
  envelope(z.object({ agentId: z.string(), master: MasterInfoSchema, heartbeatIntervalSeconds: z.number() })),
);

export const AgentHeartbeat = request(
  'master.agent.heartbeat',
  () => `${PREFIX}.master.agent.heartbeat`,
  z.object({ agentId: z.string() }),
  Ok,
);

/** Status updates, batched per agent. Published (no reply): the ack comes back on AgentAck. */
export const StatusUpdates = event(
  'master.status.update',
  () => `${PREFIX}.master.status.update`,
  `${PREFIX}.master.status.update`,
  z.object({
    agentId: z.string(),
    updates: z.array(z.object({ frameworkId: z.string(), status: TaskStatusSchema.required({ uuid: true }) })),
  }),
);

// ---------------------------------------------------------------- framework → master
export const Subscribe = request(
  'master.framework.subscribe',
  () => `${PREFIX}.master.framework.subscribe`,
  z.object({ frameworkId: z.string().optional(), info: FrameworkInfoSchema }),
  envelope(z.object({ frameworkId: z.string(), heartbeatIntervalSeconds: z.number(), master: MasterInfoSchema })),
);

export const FrameworkHeartbeat = request(
  'master.framework.heartbeat',
  () => `${PREFIX}.master.framework.heartbeat`,
  z.object({ frameworkId: z.string() }),
  Ok,
);

export const Teardown = request(
  'master.framework.teardown',
  () => `${PREFIX}.master.framework.teardown`,
  z.object({ frameworkId: z.string() }),
  Ok,
);

export const LaunchOperationSchema = z.object({ type: z.literal('LAUNCH'), tasks: z.array(TaskInfoSchema).min(1) });
export const OperationSchema = z.discriminatedUnion('type', [LaunchOperationSchema]);

export const Accept = request(
  'master.accept',
  () => `${PREFIX}.master.accept`,
  z.object({
    frameworkId: z.string(),
    offerIds: z.array(z.string()).min(1),
    operations: z.array(OperationSchema).default([]),
    filters: FilterSchema.optional(),
  }),
  envelope(z.object({ launched: z.array(z.string()) })),
);

export const Decline = request(
  'master.decline',
  () => `${PREFIX}.master.decline`,
  z.object({ frameworkId: z.string(), offerIds: z.array(z.string()).min(1), filters: FilterSchema.optional() }),
  Ok,
);

export const Revive = request(
  'master.revive',
  () => `${PREFIX}.master.revive`,
  z.object({ frameworkId: z.string() }),
  Ok,
);

export const Suppress = request(
  'master.suppress',
  () => `${PREFIX}.master.suppress`,
  z.object({ frameworkId: z.string() }),
  Ok,
);

export const Kill = request(
  'master.kill',
  () => `${PREFIX}.master.kill`,
  z.object({
    frameworkId: z.string(),
    taskId: z.string(),
    agentId: z.string().optional(),
    gracePeriodSeconds: z.number().nonnegative().optional(),
  }),
  Ok,
);

/** Acks, batched. Published (no reply); the master forwards each to its agent. */
export const Acknowledge = event(
  'master.acknowledge',
  () => `${PREFIX}.master.acknowledge`,
  `${PREFIX}.master.acknowledge`,
  z.object({
    frameworkId: z.string(),
    acks: z.array(z.object({ agentId: z.string(), taskId: z.string(), uuid: z.string() })),
  }),
);

/** Explicit (tasks listed) or implicit (empty list) reconciliation; answers arrive as UPDATE events. */
export const Reconcile = request(
  'master.reconcile',
  () => `${PREFIX}.master.reconcile`,
  z.object({
    frameworkId: z.string(),
    tasks: z.array(z.object({ taskId: z.string(), agentId: z.string().optional() })).default([]),
  }),
  Ok,
);

/**
 * Health results of tasks whose checks the framework runs itself (Marathon's HTTP/TCP/COMMAND checks),
 * batched. Published (no reply). A report is a state, not an event: sending the same one again changes
 * nothing, so frameworks re-send freely (after a re-subscription, periodically). The leader applies a
 * report to an active TASK_RUNNING task of that framework and ignores the rest.
 */
export const TaskHealth = event(
  'master.task.health',
  () => `${PREFIX}.master.task.health`,
  `${PREFIX}.master.task.health`,
  z.object({
    frameworkId: z.string(),
    updates: z
      .array(z.object({ taskId: z.string().min(1).max(200), healthy: z.boolean(), message: z.string().max(1024).optional() }))
      .max(1000),
  }),
);

/**
 * TaskInfo label a framework sets on a task that has health checks (Marathon: an app with `healthChecks`).
 * Such a task counts as not (yet) healthy until a health result says otherwise, so a health-aware reader
 * (DNS) does not publish it while it starts up or before its framework reported on it.
 */
export const HEALTH_CHECKED_LABEL = 'agora.health-checked';

/** The whole cluster state (DNS snapshots, CLI, UI). */
export const GetState = request('master.state', () => `${PREFIX}.master.state`, z.object({}), envelope(ClusterStateSchema));

// ---------------------------------------------------------------- master → agent
export const LaunchTasks = request(
  'agent.launch',
  (agentId: string) => `${PREFIX}.agent.${agentId}.launch`,
  z.object({
    frameworkId: z.string(),
    framework: FrameworkInfoSchema,
    tasks: z.array(TaskInfoSchema).min(1),
  }),
  Ok,
);

export const KillTask = request(
  'agent.kill',
  (agentId: string) => `${PREFIX}.agent.${agentId}.kill`,
  z.object({ frameworkId: z.string(), taskId: z.string(), gracePeriodSeconds: z.number().nonnegative().optional() }),
  Ok,
);

/** The master tears a framework down: the agent kills all its tasks. */
export const ShutdownFramework = request(
  'agent.shutdown-framework',
  (agentId: string) => `${PREFIX}.agent.${agentId}.shutdown-framework`,
  z.object({ frameworkId: z.string() }),
  Ok,
);

export const AgentAck = event(
  'agent.ack',
  (agentId: string) => `${PREFIX}.agent.${agentId}.ack`,
  `${PREFIX}.agent.*.ack`,
  z.object({ acks: z.array(z.object({ frameworkId: z.string(), taskId: z.string(), uuid: z.string() })) }),
);

// ---------------------------------------------------------------- master → framework
export const FrameworkEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('OFFERS'), offers: z.array(OfferSchema) }),
  z.object({ type: z.literal('RESCIND'), offerId: z.string() }),
  z.object({ type: z.literal('UPDATE'), status: TaskStatusSchema }),
  /** An agent was lost (Mesos `FAILURE`). */
  z.object({ type: z.literal('FAILURE'), agentId: z.string() }),
  /** The master gave up on the framework (torn down, failover timeout): it must stop. */
  z.object({ type: z.literal('ERROR'), message: z.string() }),
]);
export type FrameworkEvent = z.output<typeof FrameworkEventSchema>;

export const FrameworkEvents = event(
  'framework.event',
  (frameworkId: string) => `${PREFIX}.framework.${frameworkId}.event`,
  `${PREFIX}.framework.*.event`,
  z.object({ events: z.array(FrameworkEventSchema).min(1) }),
);

// ---------------------------------------------------------------- cluster-wide fan-out
/**
 * Every cluster event carries the master's epoch and a sequence number that increases by one per event
 * within that epoch, so a consumer sees a gap (or a new epoch) and re-reads the full state.
 */
const Sequenced = z.object({ epoch: z.number().int(), sequence: z.number().int() });

export const TaskEvent = event(
  'events.task',
  () => `${PREFIX}.events.task`,
  `${PREFIX}.events.task`,
  Sequenced.extend({ task: TaskViewSchema, status: TaskStatusSchema, agent: AgentInfoSchema.optional() }),
);

export const AgentEvent = event(
  'events.agent',
  () => `${PREFIX}.events.agent`,
  `${PREFIX}.events.agent`,
  Sequenced.extend({ type: z.enum(['ADDED', 'REREGISTERED', 'UNREACHABLE', 'REMOVED']), agent: AgentViewSchema }),
);

export const FrameworkLifecycleEvent = event(
  'events.framework',
  () => `${PREFIX}.events.framework`,
  `${PREFIX}.events.framework`,
  Sequenced.extend({
    type: z.enum(['ADDED', 'UPDATED', 'DISCONNECTED', 'REMOVED']),
    framework: FrameworkViewSchema.omit({ tasks: true, completedTasks: true, offers: true }),
  }),
);

/** Published by a master when it becomes leader (epoch is new); consumers re-register / re-snapshot. */
export const LeaderEvent = event(
  'events.leader',
  () => `${PREFIX}.events.leader`,
  `${PREFIX}.events.leader`,
  z.object({ leader: MasterInfoSchema, epoch: z.number().int() }),
);

/** All cluster events, for consumers that want the lot in order. */
export const ALL_CLUSTER_EVENTS = `${PREFIX}.events.>`;

export { ResourcesSchema };
