import { GetState, sandboxPath, type AgentInfo } from '@agora/contracts';
import type { Bus } from '@agora/nats';
import type { Logger } from '@agora/logging';
import type { TaskLocation } from '../core';

/**
 * Where agents are (address, HTTP port, work dir), so that each attempt can record the URL of its
 * sandbox on the agent's files API. Filled from the master's state on demand and cached; an unknown agent
 * triggers one refresh (at most one in flight).
 */
export class AgentDirectory {
  private readonly agents = new Map<string, AgentInfo>();
  private refreshing: Promise<void> | undefined;
  private lastRefresh = 0;

  constructor(
    private readonly bus: Bus,
    private readonly log: Logger,
  ) {}

  /** Location of a task on an agent, if the agent is known (refreshes the cache once if not). */
  async locate(agentId: string, frameworkId: string, taskId: string): Promise<TaskLocation> {
    let a = this.agents.get(agentId);
    if (!a && Date.now() - this.lastRefresh > 1000) {
      await this.refresh();
      a = this.agents.get(agentId);
    }
    if (!a) return {};
    return {
      host: a.hostname,
      agentUrl: `http://${a.ip}:${a.port}`,
      ...(a.workDir ? { sandbox: sandboxPath(a.workDir, frameworkId, taskId) } : {}),
    };
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.bus
      .request(GetState, [], {}, { timeoutMs: 5000 })
      .then((state) => {
        for (const a of state.agents) this.agents.set(a.id, a);
      })
      .catch((e: unknown) => this.log.debug({ err: String(e) }, 'could not read the agents from the master'))
      .finally(() => {
        this.lastRefresh = Date.now();
        this.refreshing = undefined;
      });
    return this.refreshing;
  }
}
