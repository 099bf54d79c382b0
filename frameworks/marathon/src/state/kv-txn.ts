import type { ConsulClient } from '@agora/consul';

/**
 * Consul's transaction endpoint (`PUT /v1/txn`): up to 64 KV operations applied atomically, each put a
 * compare-and-set against the index we last saw. Unlike a plain `?cas=` PUT it answers with the new
 * ModifyIndex of every key written, so the next CAS needs no extra read.
 */
export const TXN_MAX_OPS = 64;

export type TxnOp =
  | { verb: 'cas'; key: string; value: string; index: number }
  | { verb: 'set'; key: string; value: string }
  | { verb: 'delete-cas'; key: string; index: number }
  | { verb: 'delete'; key: string };

export class TxnConflict extends Error {
  constructor(readonly errors: { opIndex: number; what: string }[]) {
    super(`consul transaction rejected: ${errors.map((e) => `op ${e.opIndex}: ${e.what}`).join('; ')}`);
    this.name = 'TxnConflict';
  }
}

interface RawTxnAnswer {
  Results: { KV?: { Key: string; ModifyIndex: number } }[] | null;
  Errors: { OpIndex: number; What: string }[] | null;
}

/** Runs one transaction (≤ 64 ops). Resolves with the new ModifyIndex per written key; rejects with TxnConflict on a failed CAS. */
export async function runTxn(consul: ConsulClient, ops: readonly TxnOp[], timeoutMs = 10_000): Promise<Map<string, number>> {
  if (ops.length === 0) return new Map();
  if (ops.length > TXN_MAX_OPS) throw new Error(`a consul transaction holds at most ${TXN_MAX_OPS} operations`);
  const body = ops.map((op) => {
    switch (op.verb) {
      case 'cas':
        return { KV: { Verb: 'cas', Key: op.key, Value: Buffer.from(op.value).toString('base64'), Index: op.index } };
      case 'set':
        return { KV: { Verb: 'set', Key: op.key, Value: Buffer.from(op.value).toString('base64') } };
      case 'delete-cas':
        return { KV: { Verb: 'delete-cas', Key: op.key, Index: op.index } };
      case 'delete':
        return { KV: { Verb: 'delete', Key: op.key } };
    }
  });
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  let res: Response;
  try {
    res = await fetch(`${consul.baseUrl}/v1/txn`, { method: 'PUT', body: JSON.stringify(body), signal: ctl.signal });
  } finally {
    clearTimeout(timer);
  }
  const text = await res.text();
  if (res.status === 409) {
    const answer = JSON.parse(text) as RawTxnAnswer;
    throw new TxnConflict((answer.Errors ?? []).map((e) => ({ opIndex: e.OpIndex, what: e.What })));
  }
  if (!res.ok) throw new Error(`consul txn: ${res.status} ${text}`);
  const answer = JSON.parse(text) as RawTxnAnswer;
  const out = new Map<string, number>();
  for (const r of answer.Results ?? []) if (r.KV) out.set(r.KV.Key, r.KV.ModifyIndex);
  return out;
}
