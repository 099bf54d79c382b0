import type { ManagedProcess } from './managed-process';

export interface HostPort {
  ip: string;
  port: number;
}

/** Frameworks and services that later issues add on top of the core; their ports are planned already. */
export type ServiceName = 'marathon' | 'chronos' | 'dns' | 'dnsHttp';

export interface PortPlan {
  nats: HostPort;
  natsMonitor: HostPort;
  consul: { ip: string; http: number; serfLan: number; serfWan: number; server: number };
  masters: HostPort[];
  agents: HostPort[];
  services: Record<ServiceName, HostPort>;
}

export interface ProgressEvent {
  phase: 'starting' | 'ready' | 'skipped' | 'failed' | 'stopping' | 'stopped';
  kind: string;
  /** How many instances this step covers (agents start together). */
  count: number;
  /** Milliseconds the step took (ready, failed, stopped). */
  ms?: number;
  /** Why a component was skipped, or the failure message. */
  detail?: string;
}

export interface ClusterOptions {
  /** Everything goes under here: logs/, consul/, master-N/, agent-N/. Created when missing. */
  workDir: string;
  masters?: number;
  agents?: number;
  /** 'fixed' (default): DESIGN.md's ports plus portOffset. 'free': distinct free ports (tests). */
  ports?: 'fixed' | 'free';
  portOffset?: number;
  /** --log-level for every component (default: AGORA_LOG_LEVEL, else info). */
  logLevel?: string;
  /**
   * 'persistent' (default, `agora up`): a one-server Consul with its data in <workDir>/consul, so app and
   * job definitions survive a restart of the cluster. 'dev': in-memory `consul agent -dev` (tests).
   */
  consul?: 'persistent' | 'dev';
  /** --resources for every agent, or one entry per agent (undefined entries use the agent's default). */
  agentResources?: string | Array<string | undefined>;
  /** --attributes, one entry per agent. */
  agentAttributes?: Array<string | undefined>;
  /** Extra flags appended to every master's / agent's command line. */
  masterFlags?: string[];
  agentFlags?: string[];
  /** A requested Node component whose main.js is not built: 'skip' it (default) or 'fail'. */
  missing?: 'skip' | 'fail';
  /** How long one component may take to become ready (default 60 000 ms). */
  readyTimeoutMs?: number;
  /** Extra environment for every component. */
  env?: Record<string, string>;
  /**
   * The Docker daemon for the agents' docker containerizer. 'auto' (default): use one that answers
   * (DOCKER_HOST, /var/run/docker.sock), else start Agora's own with its data in `dockerDir`, and stop it
   * with the cluster; when neither works the agents run the process containerizer only. 'off': leave
   * Docker alone (agents still use a daemon they find). `{socket}`: use that daemon. With a daemon, agents
   * get --docker-socket and the cluster's stop removes the containers its agents left behind.
   */
  docker?: DockerSetting;
  /** Where a daemon of our own keeps images and containers (default <workDir>/docker). */
  dockerDir?: string;
  onProgress?: (e: ProgressEvent) => void;
}

export type DockerSetting = 'auto' | 'off' | { socket: string };

export interface ResolvedClusterOptions {
  workDir: string;
  logDir: string;
  masters: number;
  agents: number;
  ports: 'fixed' | 'free';
  portOffset: number;
  logLevel: string;
  consul: 'persistent' | 'dev';
  agentResources: Array<string | undefined>;
  agentAttributes: Array<string | undefined>;
  masterFlags: string[];
  agentFlags: string[];
  missing: 'skip' | 'fail';
  readyTimeoutMs: number;
  env: Record<string, string>;
  docker: DockerSetting;
  dockerDir: string;
}

/** Where one running component listens and writes. */
export interface ComponentEndpoint {
  kind: string;
  /** 0-based position among its kind. */
  index: number;
  /** 'nats', 'consul', 'master-1', 'agent-2' (1-based, like the agent's address 127.0.1.N). */
  name: string;
  ip: string;
  port: number;
  /** Main URL: nats://… for NATS, http://… for the others. */
  url: string;
  /** Human summary of every listener, for the `agora up` table. */
  listens: string;
  workDir: string;
  logFile: string;
}

export interface Instance extends ComponentEndpoint {
  proc: ManagedProcess;
}

export interface ClusterEndpoints {
  workDir: string;
  logDir: string;
  nats: string;
  natsMonitor: string;
  consul: string;
  masters: ComponentEndpoint[];
  agents: ComponentEndpoint[];
}

export interface ComponentContext {
  readonly opts: ResolvedClusterOptions;
  readonly plan: PortPlan;
  readonly endpoints: ClusterEndpoints;
  /** Instances of a kind that are running now (agents look for masters). */
  running(kind: string): Instance[];
  /** Aborted when the cluster is told to stop while starting. */
  readonly signal: AbortSignal;
  /** The Docker daemon's socket when the cluster has one (agents get --docker-socket). */
  readonly dockerSocket?: string;
}

/**
 * One kind of component. The cluster starts the kinds in list order and stops them in reverse; adding
 * marathon, chronos or dns later is adding one ComponentDef to the list.
 */
export interface ComponentDef {
  kind: string;
  /** For Node components: entry point under dist/ without `.js`; the kind is skipped when not built. */
  main?: string;
  count(opts: ResolvedClusterOptions): number;
  /** Starts instance `index` (returns at once; readiness is separate so a half-started one can be stopped). */
  spawn(ctx: ComponentContext, index: number): Instance;
  /** Resolves once the instance serves; rejects with the tail of its log otherwise. */
  ready(ctx: ComponentContext, inst: Instance): Promise<void>;
  /** Start every instance at once instead of one after another. */
  parallel?: boolean;
  /** SIGTERM grace before SIGKILL on stop (default 10 000 ms). */
  stopGraceMs?: number;
  /** Clean-up once every instance of the kind is stopped (agents: kill leftover task processes). */
  afterStop?(ctx: ComponentContext, instances: Instance[]): Promise<void>;
}
