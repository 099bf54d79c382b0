import { HEADER_SIZE, MAX_MESSAGE_SIZE, MAX_POINTER_OFFSET, MIN_UDP_SIZE, RRType } from './constants';
import { EncodeError, nameToLabels } from './names';
import type { DnsMessage, Edns, Header, ResourceRecord } from './types';

export interface EncodeOptions {
  /** The size the message must fit in (512 for plain UDP, the negotiated EDNS size, 65535 for TCP). */
  maxSize?: number;
  /** When answer or authority records had to be dropped, set TC (Mesos-DNS `SetTruncateBit`). Default true. */
  setTruncateBit?: boolean;
  /** Compress names (always on in Mesos-DNS; off only for tests). Default true. */
  compress?: boolean;
}

export interface EncodeResult {
  bytes: Uint8Array;
  /** Answer or authority records were dropped to fit. */
  truncated: boolean;
  counts: { questions: number; answers: number; authorities: number; additionals: number };
}

/** Split names, cached: answers draw on a bounded set of names (cleared wholesale when it grows past the cap). */
const splitCache = new Map<string, { labels: string[]; starts: number[] }>();
const SPLIT_CACHE_MAX = 8192;
function splitName(text: string): { labels: string[]; starts: number[] } {
  let r = splitCache.get(text);
  if (r === undefined) {
    r = nameToLabels(text);
    if (splitCache.size >= SPLIT_CACHE_MAX) splitCache.clear();
    splitCache.set(text, r);
  }
  return r;
}

/** Signals "does not fit"; the writer rolls back to its last checkpoint. One instance: no stack to capture. */
class Overflow extends Error {}
const OVERFLOW = new Overflow('message does not fit');

class Writer {
  private buf: Uint8Array;
  pos = 0;
  limit: number;
  private readonly dict = new Map<string, number>();
  private readonly added: string[] = [];

  constructor(
    limit: number,
    private readonly compress: boolean,
  ) {
    this.limit = limit;
    this.buf = new Uint8Array(Math.min(limit, 512));
  }

  private room(n: number): void {
    const need = this.pos + n;
    if (need > this.limit) throw OVERFLOW;
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.min(this.limit, Math.max(need, this.buf.length * 2)));
      grown.set(this.buf.subarray(0, this.pos));
      this.buf = grown;
    }
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.pos++] = v & 0xff;
  }
  u16(v: number): void {
    this.room(2);
    this.buf[this.pos++] = (v >> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
  }
  u32(v: number): void {
    this.room(4);
    this.buf[this.pos++] = (v >>> 24) & 0xff;
    this.buf[this.pos++] = (v >>> 16) & 0xff;
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  setU16(at: number, v: number): void {
    this.buf[at] = (v >> 8) & 0xff;
    this.buf[at + 1] = v & 0xff;
  }

  /**
   * Writes a name, pointing at an earlier copy of its longest known suffix. `compressible` = false writes the
   * name in full (SRV targets, RFC 2782) but still lets later names point into it.
   */
  name(text: string, compressible: boolean): void {
    if (this.compress && compressible) {
      // Most names repeat one already written (owners = the question): skip splitting them.
      const whole = this.dict.get(text);
      if (whole !== undefined) {
        this.u16(0xc000 | whole);
        return;
      }
    }
    const { labels, starts } = splitName(text);
    for (let i = 0; i < labels.length; i++) {
      const key = i === 0 ? text : text.slice(starts[i] as number);
      if (this.compress && compressible) {
        const at = this.dict.get(key);
        if (at !== undefined) {
          this.u16(0xc000 | at);
          return;
        }
      }
      if (this.compress && this.pos <= MAX_POINTER_OFFSET && !this.dict.has(key)) {
        this.dict.set(key, this.pos);
        this.added.push(key);
      }
      const label = labels[i] as string;
      this.room(1 + label.length);
      this.buf[this.pos++] = label.length;
      for (let j = 0; j < label.length; j++) this.buf[this.pos++] = label.charCodeAt(j);
    }
    this.u8(0);
  }

  checkpoint(): { pos: number; added: number } {
    return { pos: this.pos, added: this.added.length };
  }
  rollback(cp: { pos: number; added: number }): void {
    this.pos = cp.pos;
    while (this.added.length > cp.added) this.dict.delete(this.added.pop() as string);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

function flags(h: Header, rcode: number, tc: boolean): number {
  return (
    (h.qr ? 0x8000 : 0) |
    ((h.opcode & 0xf) << 11) |
    (h.aa ? 0x0400 : 0) |
    (tc ? 0x0200 : 0) |
    (h.rd ? 0x0100 : 0) |
    (h.ra ? 0x0080 : 0) |
    (h.ad ? 0x0020 : 0) |
    (h.cd ? 0x0010 : 0) |
    (rcode & 0xf)
  );
}

function writeRecord(w: Writer, rr: ResourceRecord): void {
  w.name(rr.name, true);
  w.u16(rr.type);
  w.u16(rr.class);
  w.u32(rr.ttl);
  const lenAt = w.pos;
  w.u16(0);
  const start = w.pos;
  const d = rr.data;
  switch (d.kind) {
    case 'A':
    case 'AAAA':
      w.bytes(d.address);
      break;
    case 'NAME':
      // NS, CNAME and PTR targets are compressible (RFC 3597 §4); unknown types never are.
      w.name(d.target, rr.type === RRType.NS || rr.type === RRType.CNAME || rr.type === RRType.PTR);
      break;
    case 'MX':
      w.u16(d.preference);
      w.name(d.exchange, true);
      break;
    case 'SOA':
      w.name(d.mname, true);
      w.name(d.rname, true);
      w.u32(d.serial);
      w.u32(d.refresh);
      w.u32(d.retry);
      w.u32(d.expire);
      w.u32(d.minimum);
      break;
    case 'SRV':
      w.u16(d.priority);
      w.u16(d.weight);
      w.u16(d.port);
      w.name(d.target, false);
      break;
    case 'RAW':
      w.bytes(d.data);
      break;
  }
  w.setU16(lenAt, w.pos - start);
}

function optSize(e: Edns): number {
  return 11 + e.options.reduce((n, o) => n + 4 + o.data.length, 0);
}

function writeOpt(w: Writer, e: Edns, rcode: number): void {
  w.u8(0);
  w.u16(RRType.OPT);
  w.u16(e.udpSize);
  w.u32((((rcode >> 4) & 0xff) << 24) | ((e.version & 0xff) << 16) | (e.dnssecOk ? 0x8000 : 0));
  w.u16(e.options.reduce((n, o) => n + 4 + o.data.length, 0));
  for (const o of e.options) {
    w.u16(o.code);
    w.u16(o.data.length);
    w.bytes(o.data);
  }
}

/**
 * Encodes a message with name compression, fitting it into `maxSize`: records that do not fit are dropped
 * whole, from the end. Dropping answers or authority records truncates the message (TC when allowed);
 * dropping additional records does not (RFC 2181 §9). The OPT record is always kept.
 * Throws EncodeError only for names that cannot exist on the wire (never for input-driven sizes).
 */
export function encodeMessage(msg: DnsMessage, opts: EncodeOptions = {}): EncodeResult {
  const maxSize = Math.max(MIN_UDP_SIZE, Math.min(opts.maxSize ?? MAX_MESSAGE_SIZE, MAX_MESSAGE_SIZE));
  const optReserve = msg.edns ? optSize(msg.edns) : 0;
  const w = new Writer(maxSize - optReserve, opts.compress ?? true);
  const counts = { questions: 0, answers: 0, authorities: 0, additionals: 0 };
  let truncated = false;
  try {
    // Header space first, then the question; neither may be dropped.
    for (let i = 0; i < HEADER_SIZE; i++) w.u8(0);
    for (const q of msg.questions) {
      w.name(q.name, true);
      w.u16(q.type);
      w.u16(q.class);
      counts.questions++;
    }
  } catch (e) {
    if (e instanceof Overflow) throw new EncodeError('header and question do not fit');
    throw e;
  }
  const sections: [ResourceRecord[], 'answers' | 'authorities' | 'additionals'][] = [
    [msg.answers, 'answers'],
    [msg.authorities, 'authorities'],
    [msg.additionals, 'additionals'],
  ];
  outer: for (const [records, key] of sections) {
    for (const rr of records) {
      const cp = w.checkpoint();
      try {
        writeRecord(w, rr);
        counts[key]++;
      } catch (e) {
        if (!(e instanceof Overflow)) throw e;
        w.rollback(cp);
        if (key !== 'additionals') truncated = true;
        break outer;
      }
    }
  }
  w.limit = maxSize;
  if (msg.edns) writeOpt(w, msg.edns, msg.rcode);
  const tc = msg.header.tc || (truncated && (opts.setTruncateBit ?? true));
  w.setU16(0, msg.header.id);
  w.setU16(2, flags(msg.header, msg.rcode, tc));
  w.setU16(4, counts.questions);
  w.setU16(6, counts.answers);
  w.setU16(8, counts.authorities);
  w.setU16(10, counts.additionals + (msg.edns ? 1 : 0));
  return { bytes: w.result(), truncated, counts };
}
