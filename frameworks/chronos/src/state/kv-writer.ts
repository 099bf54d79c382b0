import type { Logger } from '@agora/logging';

/**
 * Batched, fenced writes to Consul KV through its transaction endpoint (`PUT /v1/txn`).
 *
 * Why: a tick that starts 1,000 runs must create 1,000 run records before it launches anything; one
 * HTTP request per key would take seconds, 16 transactions of 63 keys take tens of milliseconds.
 * Writes queued in the same event-loop turn travel together; a few transactions fly at once.
 *
 * Fencing: every transaction starts with `check-session` on the leader lock, so a deposed leader that
 * has not noticed yet can never write — its transaction fails as a whole, and `onFenced` tells it.
 *
 * Order: writes to one key are applied in the order they were queued (a key with a transaction in
 * flight waits for it). A failed create (the key exists: that run was already decided) resolves
 * `false`; the other operations of its transaction are retried without it.
 */
export class FencedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FencedError';
  }
}

type Verb = 'set' | 'create' | 'delete' | 'delete-tree';

interface PendingOp {
  verb: Verb;
  key: string;
  value?: string;
  resolve: (created: boolean) => void;
  reject: (e: Error) => void;
}

export interface Fence {
  /** The leader lock's key and the session that holds it. */
  key: string;
  session: string;
}

export interface KvWriterOptions {
  /** Operations per transaction, the fence included (Consul's limit is 64). */
  maxOps?: number;
  /** Transactions in flight at once. */
  concurrency?: number;
  /** Retries of a transaction that failed for a transient reason (Consul unreachable, 5xx). */
  retries?: number;
  onFenced?: (why: string) => void;
}

interface TxnError {
  OpIndex: number;
  What: string;
}

export class KvWriter {
  private queue: PendingOp[] = [];
  private inFlightKeys = new Set<string>();
  private inFlight = 0;
  private flushScheduled = false;
  private closed: Error | undefined;
  private readonly maxOps: number;
  private readonly concurrency: number;
  private readonly retries: number;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly consulUrl: string,
    private readonly fence: Fence | undefined,
    private readonly log: Logger,
    private readonly opts: KvWriterOptions = {},
  ) {
    this.maxOps = Math.min(64, opts.maxOps ?? 64);
    this.concurrency = opts.concurrency ?? 4;
    this.retries = opts.retries ?? 5;
  }

  set(key: string, value: string): Promise<void> {
    return this.enqueue('set', key, value).then(() => undefined);
  }

  /** Creates the key only if it does not exist (CAS 0). Resolves false when it already existed. */
  create(key: string, value: string): Promise<boolean> {
    return this.enqueue('create', key, value);
  }

  delete(key: string): Promise<void> {
    return this.enqueue('delete', key).then(() => undefined);
  }

  deleteTree(prefix: string): Promise<void> {
    return this.enqueue('delete-tree', prefix).then(() => undefined);
  }

  /** Resolves once everything queued so far is written (or failed). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Fails everything queued and refuses new writes (on deposition). */
  close(why = 'the writer was closed'): void {
    if (this.closed) return;
    this.closed = new FencedError(why);
    const q = this.queue;
    this.queue = [];
    for (const op of q) op.reject(this.closed);
    this.checkIdle();
  }

  private enqueue(verb: Verb, key: string, value?: string): Promise<boolean> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ verb, key, ...(value !== undefined ? { value } : {}), resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.pump();
    });
  }

  /** Starts transactions while there is room and work whose keys are free. */
  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      this.inFlight++;
      for (const op of batch) this.inFlightKeys.add(op.key);
      void this.run(batch).finally(() => {
        this.inFlight--;
        for (const op of batch) this.inFlightKeys.delete(op.key);
        if (this.queue.length > 0) this.pump();
        this.checkIdle();
      });
    }
  }

  private takeBatch(): PendingOp[] {
    const room = this.maxOps - (this.fence ? 1 : 0);
    const batch: PendingOp[] = [];
    const rest: PendingOp[] = [];
    const blocked = new Set<string>();
    for (const op of this.queue) {
      // A key busy in another transaction (or already in this batch) waits, and so does everything
      // queued after it for that key, so each key sees its writes in order.
      if (batch.length >= room || blocked.has(op.key) || this.inFlightKeys.has(op.key) || batch.some((b) => b.key === op.key)) {
        blocked.add(op.key);
        rest.push(op);
      } else batch.push(op);
    }
    this.queue = rest;
    return batch;
  }

  private checkIdle(): void {
    if (this.queue.length > 0 || this.inFlight > 0) return;
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
  }

  private async run(batch: PendingOp[]): Promise<void> {
    let ops = batch;
    let attempt = 0;
    while (ops.length > 0) {
      if (this.closed) {
        for (const op of ops) op.reject(this.closed);
        return;
      }
      let res: { status: number; errors: TxnError[] };
      try {
        res = await this.send(ops);
      } catch (e) {
        if (attempt++ < this.retries) {
          await delay(Math.min(2000, 100 * 2 ** attempt));
          continue;
        }
        const err = e instanceof Error ? e : new Error(String(e));
        for (const op of ops) op.reject(err);
        return;
      }
      if (res.status === 200) {
        for (const op of ops) op.resolve(true);
        return;
      }
      // 409: the transaction was rolled back; Consul lists every operation that failed.
      const offset = this.fence ? 1 : 0;
      if (this.fence && res.errors.some((e) => e.OpIndex === 0)) {
        const why = res.errors.find((e) => e.OpIndex === 0)?.What ?? 'session check failed';
        this.log.warn({ why }, 'consul write refused: this instance no longer holds the chronos leader lock');
        this.opts.onFenced?.(why);
        this.close(`no longer the leader: ${why}`);
        for (const op of ops) op.reject(this.closed ?? new FencedError(why));
        return;
      }
      const failed = new Map(res.errors.map((e) => [e.OpIndex - offset, e.What] as const));
      const retry: PendingOp[] = [];
      ops.forEach((op, i) => {
        const what = failed.get(i);
        if (what === undefined) retry.push(op);
        // CAS 0 on a key that exists fails with "index is stale": the key was created before.
        else if (op.verb === 'create' && /index is stale|already exists/i.test(what)) op.resolve(false);
        else op.reject(new Error(`consul refused ${op.verb} ${op.key}: ${what}`));
      });
      if (failed.size === 0) {
        // A 409 without a usable error list: do not loop forever.
        const err = new Error(`consul transaction failed (${res.status})`);
        for (const op of ops) op.reject(err);
        return;
      }
      ops = retry;
    }
  }

  private async send(ops: readonly PendingOp[]): Promise<{ status: number; errors: TxnError[] }> {
    const body: unknown[] = [];
    if (this.fence) body.push({ KV: { Verb: 'check-session', Key: this.fence.key, Session: this.fence.session } });
    for (const op of ops) {
      const value = op.value !== undefined ? Buffer.from(op.value, 'utf8').toString('base64') : undefined;
      if (op.verb === 'set') body.push({ KV: { Verb: 'set', Key: op.key, Value: value } });
      else if (op.verb === 'create') body.push({ KV: { Verb: 'cas', Key: op.key, Value: value, Index: 0 } });
      else if (op.verb === 'delete') body.push({ KV: { Verb: 'delete', Key: op.key } });
      else body.push({ KV: { Verb: 'delete-tree', Key: op.key } });
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 15_000);
    try {
      const res = await fetch(`${this.consulUrl.replace(/\/$/, '')}/v1/txn`, { method: 'PUT', body: JSON.stringify(body), signal: ctl.signal });
      const text = await res.text();
      if (res.status === 200) return { status: 200, errors: [] };
      if (res.status === 409) {
        let errors: TxnError[] = [];
        try {
          errors = ((JSON.parse(text) as { Errors?: TxnError[] | null }).Errors ?? []).filter((e) => typeof e.OpIndex === 'number');
        } catch {
          // not JSON: treated as a failure without details below
        }
        return { status: 409, errors };
      }
      throw new Error(`consul txn: ${res.status} ${text.slice(0, 200)}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
