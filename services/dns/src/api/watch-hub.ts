import type { RecordSet } from '../records';
import type { RecordStore } from '../state/record-store';
import { allRecords, diffRecords, type RecordChange } from './record-diff';

export interface WatchClient {
  /** Lowercase FQDN: only records owned by this name; undefined = all. */
  name: string | undefined;
  write(chunk: string): void;
}

const KEEPALIVE_MS = 15_000;

function event(name: string, id: number, data: unknown): string {
  return `event: ${name}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * `/v1/watch` (Agora's answer to mesos-dns#283, "HTTP API should support watches"): Server-Sent Events
 * of record changes. A client first gets `snapshot` (the records it watches now), then one `change`
 * event `{serial, added, removed}` per record-set swap that touches them, and a comment line every 15 s
 * so proxies keep the stream open. The diff is computed once per swap, and only while someone watches.
 */
export class WatchHub {
  private readonly clients = new Set<WatchClient>();
  private readonly unsubscribe: () => void;
  private readonly keepalive: NodeJS.Timeout;

  constructor(private readonly store: RecordStore) {
    this.unsubscribe = store.onSwap((next, prev) => this.onSwap(next, prev));
    this.keepalive = setInterval(() => {
      for (const c of this.clients) c.write(': keepalive\n\n');
    }, KEEPALIVE_MS);
    this.keepalive.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  add(client: WatchClient): () => void {
    const set = this.store.current;
    client.write(event('snapshot', set?.serial ?? 0, { serial: set?.serial ?? 0, ready: set !== undefined, records: allRecords(set, client.name) }));
    this.clients.add(client);
    return () => this.clients.delete(client);
  }

  private onSwap(next: RecordSet, prev: RecordSet | undefined): void {
    if (this.clients.size === 0) return;
    const d = diffRecords(prev, next);
    if (d.added.length === 0 && d.removed.length === 0) return;
    for (const c of this.clients) {
      const pick = (list: RecordChange[]): RecordChange[] => (c.name === undefined ? list : list.filter((r) => r.name === c.name));
      const added = pick(d.added);
      const removed = pick(d.removed);
      if (added.length === 0 && removed.length === 0) continue;
      c.write(event('change', next.serial, { serial: next.serial, added, removed }));
    }
  }

  close(): void {
    clearInterval(this.keepalive);
    this.unsubscribe();
    this.clients.clear();
  }
}
