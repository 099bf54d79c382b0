/**
 * Consul KV layout. One key per object, never a blob: updates are small and compare-and-set per object.
 */
export const KV_ROOT = 'agora';

export const kv = {
  masterLeader: () => `${KV_ROOT}/master/leader`,
  masterEpoch: () => `${KV_ROOT}/master/epoch`,
  masterAgents: () => `${KV_ROOT}/master/registry/agents/`,
  masterAgent: (agentId: string) => `${KV_ROOT}/master/registry/agents/${encodeURIComponent(agentId)}`,
  masterFrameworks: () => `${KV_ROOT}/master/registry/frameworks/`,
  masterFramework: (frameworkId: string) => `${KV_ROOT}/master/registry/frameworks/${encodeURIComponent(frameworkId)}`,
  /** Leader lock of any replicated component ('master', 'marathon', 'chronos'). */
  leaderLock: (component: string) => `${KV_ROOT}/${component}/leader`,
  /** Free-form per-component namespace for frameworks: `agora/marathon/apps/…`. */
  componentRoot: (component: string) => `${KV_ROOT}/${component}/`,
} as const;

/** Names under which components register in Consul's service catalog. */
export const SERVICE_NAMES = {
  master: 'agora-master',
  agent: 'agora-agent',
  marathon: 'agora-marathon',
  chronos: 'agora-chronos',
  dns: 'agora-dns',
} as const;

/** Where an agent keeps a task's sandbox, relative to nothing but its work dir (the master derives it too). */
export function sandboxPath(agentWorkDir: string, frameworkId: string, taskId: string): string {
  return `${agentWorkDir.replace(/\/$/, '')}/sandboxes/${frameworkId}/${taskId}`;
}
