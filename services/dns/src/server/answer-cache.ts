import type { RecordSet } from '../records';

interface Entry {
  variants: Buffer[];
  /** More than one answer record: the order is shuffled, so a few orders are kept and picked at random. */
  multi: boolean;
  /** Answers made for a multi entry so far (duplicates of a kept order included). */
  made: number;
}

/** Shuffled orders kept per question; enough that clients see the records rotate. */
const VARIANTS = 4;
/**
 * A multi entry is served once it has VARIANTS distinct orders or this many answers were made: two records
 * have only two orders, and four random shuffles are all the same one time in eight, which would freeze the
 * order for the whole generation; twelve leave that at 1 in 2,048.
 */
const MAX_MADE = 3 * VARIANTS;
const MAX_ENTRIES = 50_000;
/** Real queries are short; longer packets (big EDNS options, junk) are answered but never cached. */
const MAX_KEY_PACKET = 300;

/**
 * Finished responses of one record-set generation, keyed by the query's bytes after the id (flags,
 * question spelling, EDNS) and the transport: a repeated question costs a copy and two bytes of id
 * instead of a parse and an encode. A new record set starts an empty cache, so answers are never staler
 * than the set itself.
 */
export class AnswerCache {
  private records: RecordSet | undefined;
  /** One map per transport, so the key is the packet's bytes alone (no string concatenation per query). */
  private readonly maps = { udp: new Map<string, Entry>(), tcp: new Map<string, Entry>() };
  hits = 0;
  misses = 0;

  private key(packet: Uint8Array): string | undefined {
    if (packet.length < 12 || packet.length > MAX_KEY_PACKET) return undefined;
    const b = Buffer.isBuffer(packet) ? packet : Buffer.from(packet.buffer, packet.byteOffset, packet.length);
    return b.toString('latin1', 2);
  }

  private sync(records: RecordSet): void {
    if (this.records !== records) {
      this.records = records;
      this.maps.udp.clear();
      this.maps.tcp.clear();
    }
  }

  /** A response for this query from the cache, with the query's id, or undefined. */
  lookup(records: RecordSet, transport: 'udp' | 'tcp', packet: Uint8Array, random: () => number): Buffer | undefined {
    this.sync(records);
    const k = this.key(packet);
    const e = k === undefined ? undefined : this.maps[transport].get(k);
    if (!e || (e.multi && e.variants.length < VARIANTS && e.made < MAX_MADE)) {
      this.misses++;
      return undefined;
    }
    const v = e.variants[Math.min(e.variants.length - 1, Math.floor(random() * e.variants.length))] as Buffer;
    const out = Buffer.allocUnsafe(v.length);
    v.copy(out);
    out[0] = packet[0] as number;
    out[1] = packet[1] as number;
    this.hits++;
    return out;
  }

  store(records: RecordSet, transport: 'udp' | 'tcp', packet: Uint8Array, response: Uint8Array): void {
    this.sync(records);
    const k = this.key(packet);
    if (k === undefined || response.length < 12) return;
    const map = this.maps[transport];
    let e = map.get(k);
    if (!e) {
      if (map.size >= MAX_ENTRIES) map.clear();
      const ancount = ((response[6] as number) << 8) | (response[7] as number);
      e = { variants: [], multi: ancount > 1, made: 0 };
      map.set(k, e);
    }
    if (e.variants.length >= VARIANTS) return;
    e.made++;
    const body = Buffer.from(response.buffer, response.byteOffset + 2, response.length - 2);
    if (e.variants.some((v) => v.subarray(2).equals(body))) return;
    e.variants.push(Buffer.from(response));
  }

  get size(): number {
    return this.maps.udp.size + this.maps.tcp.size;
  }
}
