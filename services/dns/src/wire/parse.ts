import { HEADER_SIZE, MAX_NAME_WIRE_LENGTH, RRType } from './constants';
import { labelToText } from './names';
import type { DnsMessage, Edns, EdnsOption, Header, Question, RData, ResourceRecord } from './types';

export type WireErrorCode =
  | 'SHORT_HEADER'
  | 'TRUNCATED'
  | 'BAD_LABEL_TYPE'
  | 'NAME_TOO_LONG'
  | 'BAD_POINTER'
  | 'POINTER_LOOP'
  | 'BAD_RDATA'
  | 'BAD_OPT';

export type ParseResult =
  | { ok: true; message: DnsMessage }
  | {
      ok: false;
      error: WireErrorCode;
      /** Byte offset where parsing stopped. */
      offset: number;
      /** Present when the 12-byte header was readable: enough to answer FORMERR with the right id. */
      header?: Header;
      /** The first question, when it parsed before the failure. */
      question?: Question;
    };

class WireError extends Error {
  constructor(
    readonly code: WireErrorCode,
    readonly offset: number,
  ) {
    super(code);
  }
}

/** Hops through compression pointers per name; more than the 127 labels a name can hold is abuse. */
const MAX_POINTER_HOPS = 127;

function u16(b: Uint8Array, o: number): number {
  if (o + 2 > b.length) throw new WireError('TRUNCATED', o);
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}

function u32(b: Uint8Array, o: number): number {
  if (o + 4 > b.length) throw new WireError('TRUNCATED', o);
  return (((b[o] as number) << 24) >>> 0) + (((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number));
}

/**
 * Reads a possibly compressed name at `offset`. Every pointer must jump strictly before the start of the
 * segment it was found in, so the walk always moves backwards and cannot loop; hops and total length are capped.
 */
export function readName(b: Uint8Array, offset: number): { name: string; next: number } {
  let pos = offset;
  let segmentStart = offset;
  let next = -1;
  let hops = 0;
  let wire = 1;
  const parts: string[] = [];
  for (;;) {
    if (pos >= b.length) throw new WireError('TRUNCATED', pos);
    const len = b[pos] as number;
    const top = len & 0xc0;
    if (top === 0xc0) {
      if (pos + 1 >= b.length) throw new WireError('TRUNCATED', pos);
      const target = ((len & 0x3f) << 8) | (b[pos + 1] as number);
      if (next < 0) next = pos + 2;
      if (target >= segmentStart) throw new WireError(target >= b.length ? 'BAD_POINTER' : 'POINTER_LOOP', pos);
      if (++hops > MAX_POINTER_HOPS) throw new WireError('POINTER_LOOP', pos);
      pos = target;
      segmentStart = target;
      continue;
    }
    if (top !== 0) throw new WireError('BAD_LABEL_TYPE', pos);
    if (len === 0) {
      pos += 1;
      break;
    }
    if (pos + 1 + len > b.length) throw new WireError('TRUNCATED', pos);
    wire += len + 1;
    if (wire > MAX_NAME_WIRE_LENGTH) throw new WireError('NAME_TOO_LONG', pos);
    parts.push(labelToText(b, pos + 1, len));
    pos += 1 + len;
  }
  return { name: parts.length === 0 ? '.' : `${parts.join('.')}.`, next: next < 0 ? pos : next };
}

function readHeader(b: Uint8Array): Header {
  const flags = u16(b, 2);
  return {
    id: u16(b, 0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    z: (flags & 0x0040) !== 0,
    ad: (flags & 0x0020) !== 0,
    cd: (flags & 0x0010) !== 0,
  };
}

function readQuestion(b: Uint8Array, offset: number): { q: Question; next: number } {
  const { name, next } = readName(b, offset);
  return { q: { name, type: u16(b, next), class: u16(b, next + 2) }, next: next + 4 };
}

function readRData(b: Uint8Array, type: number, start: number, end: number): RData {
  const nameIn = (at: number): { name: string; next: number } => {
    const r = readName(b, at);
    if (r.next > end) throw new WireError('BAD_RDATA', at);
    return r;
  };
  const exact = (next: number): void => {
    if (next !== end) throw new WireError('BAD_RDATA', start);
  };
  switch (type) {
    case RRType.A:
      exact(start + 4);
      return { kind: 'A', address: b.slice(start, end) };
    case RRType.AAAA:
      exact(start + 16);
      return { kind: 'AAAA', address: b.slice(start, end) };
    case RRType.NS:
    case RRType.CNAME:
    case RRType.PTR: {
      const r = nameIn(start);
      exact(r.next);
      return { kind: 'NAME', target: r.name };
    }
    case RRType.MX: {
      if (start + 2 > end) throw new WireError('BAD_RDATA', start);
      const r = nameIn(start + 2);
      exact(r.next);
      return { kind: 'MX', preference: u16(b, start), exchange: r.name };
    }
    case RRType.SOA: {
      const m = nameIn(start);
      const r = nameIn(m.next);
      exact(r.next + 20);
      const o = r.next;
      return {
        kind: 'SOA',
        mname: m.name,
        rname: r.name,
        serial: u32(b, o),
        refresh: u32(b, o + 4),
        retry: u32(b, o + 8),
        expire: u32(b, o + 12),
        minimum: u32(b, o + 16),
      };
    }
    case RRType.SRV: {
      if (start + 6 > end) throw new WireError('BAD_RDATA', start);
      const r = nameIn(start + 6);
      exact(r.next);
      return { kind: 'SRV', priority: u16(b, start), weight: u16(b, start + 2), port: u16(b, start + 4), target: r.name };
    }
    default:
      return { kind: 'RAW', data: b.slice(start, end) };
  }
}

function readOptions(b: Uint8Array, start: number, end: number): EdnsOption[] {
  const out: EdnsOption[] = [];
  let p = start;
  while (p < end) {
    if (p + 4 > end) throw new WireError('BAD_OPT', p);
    const code = u16(b, p);
    const len = u16(b, p + 2);
    if (p + 4 + len > end) throw new WireError('BAD_OPT', p);
    out.push({ code, data: b.slice(p + 4, p + 4 + len) });
    p += 4 + len;
  }
  return out;
}

/**
 * Parses a whole DNS message. Never throws: malformed input (short, truncated, bad labels, pointer loops,
 * overlong names, inconsistent RDATA, misplaced or duplicate OPT) yields `ok: false` with the reason.
 * Bytes after the counted sections are ignored.
 */
export function parseMessage(bytes: Uint8Array): ParseResult {
  if (bytes.length < HEADER_SIZE) return { ok: false, error: 'SHORT_HEADER', offset: bytes.length };
  const header = readHeader(bytes);
  let question: Question | undefined;
  try {
    const flags = u16(bytes, 2);
    const counts = [u16(bytes, 4), u16(bytes, 6), u16(bytes, 8), u16(bytes, 10)] as const;
    let p = HEADER_SIZE;
    const questions: Question[] = [];
    for (let i = 0; i < counts[0]; i++) {
      const r = readQuestion(bytes, p);
      if (i === 0) question = r.q;
      questions.push(r.q);
      p = r.next;
    }
    const sections: ResourceRecord[][] = [[], [], []];
    let edns: Edns | undefined;
    let extRcode = 0;
    for (let s = 0; s < 3; s++) {
      const count = counts[s + 1] as number;
      for (let i = 0; i < count; i++) {
        const rrStart = p;
        const { name, next } = readName(bytes, p);
        const type = u16(bytes, next);
        const cls = u16(bytes, next + 2);
        const ttl = u32(bytes, next + 4);
        const rdlen = u16(bytes, next + 8);
        const start = next + 10;
        const end = start + rdlen;
        if (end > bytes.length) throw new WireError('TRUNCATED', start);
        if (type === RRType.OPT) {
          // RFC 6891 §6.1.1: one OPT, owner root, additional section only.
          if (s !== 2 || edns !== undefined || name !== '.') throw new WireError('BAD_OPT', rrStart);
          extRcode = ttl >>> 24;
          edns = {
            udpSize: cls,
            version: (ttl >>> 16) & 0xff,
            dnssecOk: (ttl & 0x8000) !== 0,
            options: readOptions(bytes, start, end),
          };
        } else {
          (sections[s] as ResourceRecord[]).push({ name, type, class: cls, ttl, data: readRData(bytes, type, start, end) });
        }
        p = end;
      }
    }
    const message: DnsMessage = {
      header,
      rcode: (flags & 0xf) | (extRcode << 4),
      questions,
      answers: sections[0] as ResourceRecord[],
      authorities: sections[1] as ResourceRecord[],
      additionals: sections[2] as ResourceRecord[],
    };
    if (edns) message.edns = edns;
    return { ok: true, message };
  } catch (e) {
    if (e instanceof WireError) {
      const fail: ParseResult = { ok: false, error: e.code, offset: e.offset, header };
      if (question) fail.question = question;
      return fail;
    }
    // Any other exception is a bug in this parser; still never let input crash the caller.
    return { ok: false, error: 'TRUNCATED', offset: 0, header };
  }
}
