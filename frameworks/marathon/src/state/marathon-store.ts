import type { ConsulClient } from '@agora/consul';
import type { Logger } from '@agora/logging';
import type { AppDefinition } from '../core';
import { marathonKeys as K } from './kv-keys';
import { runTxn, TXN_MAX_OPS, type TxnOp } from './kv-txn';
import type { DeploymentRecord, GroupRecord, PersistedState, TaskRecord } from './records';

/** One change to the store: a JSON value to write, or a key to remove. */
export type StoreOp = { put: string; value: unknown } | { del: string };

/** Another writer changed our keys behind our back: two leaders. The caller must stop leading. */
export class StoreConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreConflictError';
  }
}

/**
 * Marathon's desired state in Consul KV, one key per object (kv-keys.ts). Every write is a
 * compare-and-set against the ModifyIndex this instance last saw for the key, batched into Consul
 * transactions of 64: a second writer (a deposed leader that has not noticed yet) makes the transaction
 * fail instead of silently overwriting.
 */
export class MarathonStore {
  private readonly indexes = new Map<string, number>();
  /** Serialises commits, so CAS indexes always come from the previous commit. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly consul: ConsulClient,
    private readonly log: Logger,
  ) {}

  /** Reads everything (at leader election) and remembers every key's index for later CAS writes. */
  async load(): Promise<PersistedState> {
    this.indexes.clear();
    const entries = await this.consul.list(K.root);
    const state: PersistedState = { apps: [], versions: new Map(), groups: [], deployments: [], tasks: [] };
    for (const e of entries) {
      if (e.key === K.leaderLock) continue;
      this.indexes.set(e.key, e.modifyIndex);
      if (e.value === null) continue;
      let value: unknown;
      try {
        value = JSON.parse(e.value);
      } catch {
        this.log.warn({ key: e.key }, 'ignoring a stored value that is not JSON');
        continue;
      }
      if (e.key === K.frameworkId) state.frameworkId = typeof value === 'string' ? value : undefined;
      else if (e.key.startsWith(K.appsPrefix)) state.apps.push(value as AppDefinition);
      else if (e.key.startsWith(K.appVersionsPrefix)) {
        const app = value as AppDefinition;
        const list = state.versions.get(app.id) ?? [];
        list.push(app);
        state.versions.set(app.id, list);
      } else if (e.key.startsWith(K.groupsPrefix)) state.groups.push(value as GroupRecord);
      else if (e.key.startsWith(K.deploymentsPrefix)) state.deployments.push(value as DeploymentRecord);
      else if (e.key.startsWith(K.tasksPrefix)) state.tasks.push(value as TaskRecord);
    }
    for (const list of state.versions.values()) list.sort((a, b) => a.version.localeCompare(b.version));
    return state;
  }

  /**
   * Applies the ops (later ops on the same key win) in transactions of up to 64 operations, run one
   * after another. Each transaction is atomic; a multi-transaction commit is not (it is only used for
   * independent objects, e.g. a batch of task records).
   */
  commit(ops: readonly StoreOp[]): Promise<void> {
    const next = this.chain.then(() => this.doCommit(ops));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async doCommit(ops: readonly StoreOp[]): Promise<void> {
    const last = new Map<string, StoreOp>();
    for (const op of ops) last.set('put' in op ? op.put : op.del, op);
    const txnOps: TxnOp[] = [];
    for (const [key, op] of last) {
      const index = this.indexes.get(key);
      if ('put' in op) txnOps.push({ verb: 'cas', key, value: JSON.stringify(op.value), index: index ?? 0 });
      else if (index !== undefined) txnOps.push({ verb: 'delete-cas', key, index });
    }
    for (let i = 0; i < txnOps.length; i += TXN_MAX_OPS) {
      const chunk = txnOps.slice(i, i + TXN_MAX_OPS);
      let written: Map<string, number>;
      try {
        written = await runTxn(this.consul, chunk);
      } catch (e) {
        if (e instanceof Error && e.name === 'TxnConflict') throw new StoreConflictError(`marathon state changed behind this leader: ${e.message}`);
        throw e;
      }
      for (const op of chunk) {
        if (op.verb === 'delete-cas' || op.verb === 'delete') this.indexes.delete(op.key);
        else {
          const idx = written.get(op.key);
          if (idx !== undefined) this.indexes.set(op.key, idx);
        }
      }
    }
  }

  /** Stored versions beyond `max` (oldest first), as delete ops. */
  pruneVersionOps(appId: string, versions: readonly string[], max: number): StoreOp[] {
    const sorted = [...versions].sort();
    return sorted.slice(0, Math.max(0, sorted.length - max)).map((v) => ({ del: K.appVersion(appId, v) }));
  }
}

export const ops = {
  frameworkId: (id: string): StoreOp => ({ put: K.frameworkId, value: id }),
  putApp: (app: AppDefinition): StoreOp[] => [
    { put: K.app(app.id), value: app },
    { put: K.appVersion(app.id, app.version), value: app },
  ],
  /** Deleting an app destroys its history too (Marathon's DELETE). */
  deleteApp: (appId: string, versions: readonly string[]): StoreOp[] => [
    { del: K.app(appId) },
    ...versions.map((v) => ({ del: K.appVersion(appId, v) })),
  ],
  putGroup: (g: GroupRecord): StoreOp => ({ put: K.group(g.id), value: g }),
  deleteGroup: (id: string): StoreOp => ({ del: K.group(id) }),
  putDeployment: (d: DeploymentRecord): StoreOp => ({ put: K.deployment(d.plan.id), value: d }),
  deleteDeployment: (id: string): StoreOp => ({ del: K.deployment(id) }),
  putTask: (t: TaskRecord): StoreOp => ({ put: K.task(t.taskId), value: t }),
  deleteTask: (taskId: string): StoreOp => ({ del: K.task(taskId) }),
};
