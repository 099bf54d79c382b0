/**
 * The body of Docker's `POST /containers/create` as far as the agent fills it (field names are the
 * Engine API's). Built by container-spec.ts and docker-parameters.ts, both pure.
 */
export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

export interface HostConfigSpec {
  NetworkMode: string;
  Binds: string[];
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  MemorySwappiness?: number;
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  NanoCpus?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  BlkioWeight?: number;
  Privileged?: boolean;
  PortBindings?: Record<string, PortBinding[]>;
  LogConfig?: { Type: string; Config: Record<string, string> };
  CapAdd?: string[];
  CapDrop?: string[];
  Dns?: string[];
  DnsSearch?: string[];
  DnsOptions?: string[];
  ExtraHosts?: string[];
  GroupAdd?: string[];
  SecurityOpt?: string[];
  Tmpfs?: Record<string, string>;
  Ulimits?: { Name: string; Soft: number; Hard: number }[];
  Sysctls?: Record<string, string>;
  Devices?: { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[];
  ShmSize?: number;
  PidsLimit?: number;
  OomScoreAdj?: number;
  OomKillDisable?: boolean;
  Init?: boolean;
  ReadonlyRootfs?: boolean;
  IpcMode?: string;
  PidMode?: string;
  UTSMode?: string;
}

export interface CreateSpec {
  name: string;
  Image: string;
  /** Absent: the image's CMD stays in effect. */
  Cmd?: string[];
  /** Absent: the image's ENTRYPOINT stays in effect. */
  Entrypoint?: string[];
  Env: string[];
  Labels: Record<string, string>;
  WorkingDir: string;
  User?: string;
  Hostname?: string;
  StopSignal?: string;
  /** Seconds a plain `docker stop` waits: the task's grace period, so a human's stop matches the agent's. */
  StopTimeout?: number;
  ExposedPorts?: Record<string, Record<string, never>>;
  /** Anonymous volumes (a volume with no host path). */
  Volumes?: Record<string, Record<string, never>>;
  HostConfig: HostConfigSpec;
}
