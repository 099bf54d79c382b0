import { promises as dnsPromises } from 'node:dns';
import type { Logger } from '@agora/logging';

type Lookup = (host: string) => Promise<string[]>;

const systemLookup: Lookup = async (host) => (await dnsPromises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

interface Entry {
  addresses: readonly string[];
  expires: number;
}

/**
 * Host names the record builder meets (agents, masters, frameworks given by name) resolved through the
 * system resolver, asynchronously: the pure builder asks synchronously, a miss starts a lookup and the
 * answer arrives with a rebuild. Entries live `ttlMs`; failures are remembered for a shorter time.
 */
export class HostCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Set<string>();
  private readonly queue: string[] = [];

  constructor(
    private readonly onChange: () => void,
    private readonly log: Logger,
    private readonly lookup: Lookup = systemLookup,
    private readonly ttlMs = 60_000,
    private readonly maxConcurrent = 4,
  ) {}

  /** The addresses known for `host` now (undefined while unknown); schedules a lookup when missing or stale. */
  get(host: string, now = Date.now()): readonly string[] | undefined {
    const h = host.toLowerCase();
    const e = this.entries.get(h);
    if ((!e || e.expires <= now) && !this.inFlight.has(h) && !this.queue.includes(h)) {
      this.queue.push(h);
      this.pump();
    }
    return e?.addresses;
  }

  private pump(): void {
    while (this.inFlight.size < this.maxConcurrent && this.queue.length > 0) {
      const h = this.queue.shift() as string;
      this.inFlight.add(h);
      void this.resolve(h).finally(() => {
        this.inFlight.delete(h);
        this.pump();
      });
    }
  }

  private async resolve(h: string): Promise<void> {
    let addresses: string[] = [];
    let ttl = this.ttlMs;
    try {
      addresses = [...new Set(await this.lookup(h))];
    } catch (e) {
      ttl = Math.min(this.ttlMs, 15_000);
      this.log.debug({ host: h, err: String(e) }, 'host name does not resolve');
    }
    const before = this.entries.get(h)?.addresses;
    this.entries.set(h, { addresses, expires: Date.now() + ttl });
    const same = before !== undefined && before.length === addresses.length && before.every((a, i) => a === addresses[i]);
    if (!same && (before !== undefined || addresses.length > 0)) this.onChange();
  }
}
