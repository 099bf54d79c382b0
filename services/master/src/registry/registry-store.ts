import { z } from 'zod';
import { AgentInfoSchema, FrameworkInfoSchema, kv } from '@agora/contracts';
import type { AgentInfo, FrameworkInfo } from '@agora/contracts';
import type { ConsulClient } from '@agora/consul';
import type { Logger } from '@agora/logging';

/** What one registry key holds. The registry says whom to expect after a failover, nothing more. */
const StoredAgent = z.object({ info: AgentInfoSchema, registeredTime: z.number() });
const StoredFramework = z.object({
  id: z.string(),
  info: FrameworkInfoSchema,
  registeredTime: z.number(),
  /** A tombstone: the framework was torn down; its id must never be accepted again. */
  tornDown: z.boolean().optional(),
  unregisteredTime: z.number().optional(),
});
export type StoredAgent = z.output<typeof StoredAgent>;
export type StoredFramework = z.output<typeof StoredFramework>;

export interface LoadedRegistry {
  agents: StoredAgent[];
  frameworks: StoredFramework[];
}

/** Tombstones older than this are dropped when a leader loads the registry. */
const TOMBSTONE_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * The admitted agents and frameworks, one Consul KV key each. Writes to the same key are chained so
 * they land in the order they were made; a failed write is logged (the next change rewrites the key).
 */
export class RegistryStore {
  private chains = new Map<string, Promise<void>>();

  constructor(
    private readonly consul: ConsulClient,
    private readonly log: Logger,
  ) {}

  async load(now: number): Promise<LoadedRegistry> {
    const [agentEntries, frameworkEntries] = await Promise.all([this.consul.list(kv.masterAgents()), this.consul.list(kv.masterFrameworks())]);
    const agents: StoredAgent[] = [];
    for (const e of agentEntries) {
      const parsed = parseJson(StoredAgent, e.value);
      if (parsed) agents.push(parsed);
      else this.log.warn({ key: e.key }, 'registry: unreadable agent entry ignored');
    }
    const frameworks: StoredFramework[] = [];
    for (const e of frameworkEntries) {
      const parsed = parseJson(StoredFramework, e.value);
      if (!parsed) {
        this.log.warn({ key: e.key }, 'registry: unreadable framework entry ignored');
        continue;
      }
      if (parsed.tornDown && (parsed.unregisteredTime ?? 0) < now - TOMBSTONE_TTL_MS) {
        void this.write(kv.masterFramework(parsed.id), undefined);
        continue;
      }
      frameworks.push(parsed);
    }
    return { agents, frameworks };
  }

  saveAgent(info: AgentInfo, registeredTime: number): Promise<void> {
    return this.write(kv.masterAgent(info.id), JSON.stringify({ info, registeredTime } satisfies StoredAgent));
  }

  removeAgent(agentId: string): Promise<void> {
    return this.write(kv.masterAgent(agentId), undefined);
  }

  saveFramework(id: string, info: FrameworkInfo, registeredTime: number): Promise<void> {
    return this.write(kv.masterFramework(id), JSON.stringify({ id, info, registeredTime } satisfies StoredFramework));
  }

  tombstoneFramework(id: string, info: FrameworkInfo, registeredTime: number, unregisteredTime: number): Promise<void> {
    const value: StoredFramework = { id, info, registeredTime, tornDown: true, unregisteredTime };
    return this.write(kv.masterFramework(id), JSON.stringify(value));
  }

  /** Waits for every write queued so far (used before stepping down). */
  async settle(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  private write(key: string, value: string | undefined): Promise<void> {
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev
      .then(async () => {
        if (value === undefined) await this.consul.delete(key);
        else await this.consul.put(key, value);
      })
      .catch((e: unknown) => this.log.warn({ key, err: e instanceof Error ? e.message : String(e) }, 'registry write failed'));
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }
}

function parseJson<T extends z.ZodType>(schema: T, text: string | null): z.output<T> | undefined {
  if (text === null) return undefined;
  try {
    const r = schema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}
