import type { RecordSet } from '../records';
// Direct module imports: the barrel's re-export getters show up in the per-query profile.
import { MAX_MESSAGE_SIZE, MIN_UDP_SIZE, Opcode, RRClass, RRType, Rcode } from '../wire/constants';
import { encodeMessage } from '../wire/encode';
import { EncodeError, nameKey } from '../wire/names';
import { parseMessage } from '../wire/parse';
import { emptyHeader, type DnsMessage, type Edns, type Question } from '../wire/types';
import { resolveInZone } from './resolve';
import { classify, cleanWild } from './zones';

export interface AnswerOptions {
  transport: 'udp' | 'tcp';
  /** Uniform in [0, 1); injected so answers are reproducible in tests (Math.random in the server). */
  random: () => number;
  /** The largest UDP response we send and advertise with EDNS0 (default 1232, the DNS Flag Day 2020 size). */
  maxUdpSize?: number;
}

export type AnswerDecision =
  | {
      action: 'reply';
      bytes: Uint8Array;
      rcode: number;
      /** Answer or authority records were dropped to fit (TC set when SetTruncateBit). */
      truncated: boolean;
      question?: Question;
      /** Set when an internal error was turned into SERVFAIL (a bug to log, never input's fault). */
      internalError?: string;
    }
  /** A name outside every zone we serve, with ExternalOn: the server forwards the original packet. */
  | { action: 'forward'; query: DnsMessage; question: Question }
  /** Not answerable at all (no readable header, or a response packet): send nothing. */
  | { action: 'drop'; reason: string };

export const DEFAULT_MAX_UDP_SIZE = 1232;

/** The size a response must fit: 512 on plain UDP, the requestor's EDNS size capped at ours, 65535 on TCP. */
function responseSize(queryEdns: Edns | undefined, opts: AnswerOptions): number {
  if (opts.transport === 'tcp') return MAX_MESSAGE_SIZE;
  const ours = Math.max(MIN_UDP_SIZE, opts.maxUdpSize ?? DEFAULT_MAX_UDP_SIZE);
  if (!queryEdns) return MIN_UDP_SIZE;
  return Math.min(Math.max(queryEdns.udpSize, MIN_UDP_SIZE), ours);
}

/** Our OPT: version 0, our UDP size, DO echoed (RFC 3225), no options. */
function responseEdns(queryEdns: Edns | undefined, opts: AnswerOptions): Edns {
  return {
    udpSize: Math.max(MIN_UDP_SIZE, opts.maxUdpSize ?? DEFAULT_MAX_UDP_SIZE),
    version: 0,
    dnssecOk: queryEdns?.dnssecOk ?? false,
    options: [],
  };
}

function encodeOrFail(msg: DnsMessage, maxSize: number, setTruncateBit: boolean): AnswerDecision {
  const q = msg.questions[0];
  try {
    const r = encodeMessage(msg, { maxSize, setTruncateBit });
    return { action: 'reply', bytes: r.bytes, rcode: msg.rcode, truncated: r.truncated, ...(q ? { question: q } : {}) };
  } catch (e) {
    if (!(e instanceof EncodeError)) throw e;
    // A record we cannot encode is our bug; answer SERVFAIL rather than nothing.
    const bare: DnsMessage = { ...msg, rcode: Rcode.SERVFAIL, answers: [], authorities: [], additionals: [] };
    try {
      const r = encodeMessage(bare, { maxSize });
      return { action: 'reply', bytes: r.bytes, rcode: Rcode.SERVFAIL, truncated: false, ...(q ? { question: q } : {}) };
    } catch {
      return { action: 'drop', reason: 'unencodable response' };
    }
  }
}

/**
 * An error response echoing the query's id, opcode, RD/CD and (when given) its question; with the query's
 * EDNS when it had a valid OPT (RFC 6891 §7). The server uses it too, e.g. SERVFAIL when forwarding fails.
 */
export function errorResponse(
  query: { header: DnsMessage['header']; question?: Question; edns?: Edns | undefined },
  rcode: number,
  opts: AnswerOptions,
  recurseOn = false,
): Uint8Array {
  const msg: DnsMessage = {
    header: { ...emptyHeader(query.header.id), qr: true, opcode: query.header.opcode, rd: query.header.rd, cd: query.header.cd, ra: recurseOn },
    rcode,
    questions: query.question ? [query.question] : [],
    answers: [],
    authorities: [],
    additionals: [],
  };
  // BADVERS is an extended rcode: it only exists inside an OPT record.
  if (query.edns !== undefined || rcode === Rcode.BADVERS) msg.edns = responseEdns(query.edns, opts);
  const r = encodeOrFail(msg, responseSize(query.edns, opts), true);
  return r.action === 'reply' ? r.bytes : new Uint8Array(0);
}

function shuffle<T>(list: T[], random: () => number): void {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(random() * (i + 1)));
    const t = list[i] as T;
    list[i] = list[j] as T;
    list[j] = t;
  }
}

/** Answers an already parsed message (see answerPacket for the rules). */
export function answerMessage(records: RecordSet, query: DnsMessage, opts: AnswerOptions): AnswerDecision {
  const config = records.config;
  if (query.header.qr) return { action: 'drop', reason: 'packet is a response' };
  const q = query.questions.length === 1 ? query.questions[0] : undefined;
  const echo = { header: query.header, ...(q ? { question: q } : {}), edns: query.edns };
  const fail = (rcode: number): AnswerDecision => ({
    action: 'reply',
    bytes: errorResponse(echo, rcode, opts, config.RecurseOn),
    rcode,
    truncated: false,
    ...(q ? { question: q } : {}),
  });

  if (query.header.opcode !== Opcode.QUERY) return fail(Rcode.NOTIMP);
  if (query.edns && query.edns.version > 0) return fail(Rcode.BADVERS);
  if (!q) return fail(Rcode.FORMERR);
  if (q.class !== RRClass.IN && q.class !== RRClass.ANY) return fail(Rcode.REFUSED);
  if (q.type === RRType.OPT || q.type === 0) return fail(Rcode.FORMERR);
  if (q.type === RRType.AXFR || q.type === RRType.IXFR) return fail(Rcode.REFUSED);
  if (q.type === RRType.MAILA || q.type === RRType.MAILB) return fail(Rcode.NOTIMP);

  const key = cleanWild(nameKey(q.name));
  const zone = classify(records, key);
  if (zone.kind === 'outside' || (zone.kind === 'ptr' && q.type !== RRType.PTR && q.type !== RRType.ANY)) {
    return config.ExternalOn ? { action: 'forward', query, question: q } : fail(Rcode.REFUSED);
  }

  const result = resolveInZone(records, zone, key, q);
  shuffle(result.answers, opts.random);
  const msg: DnsMessage = {
    header: {
      ...emptyHeader(query.header.id),
      qr: true,
      opcode: Opcode.QUERY,
      aa: true,
      rd: query.header.rd,
      ra: config.RecurseOn,
      cd: query.header.cd,
    },
    rcode: result.rcode,
    questions: [q],
    answers: result.answers,
    authorities: result.authorities,
    additionals: result.additionals,
  };
  if (query.edns) msg.edns = responseEdns(query.edns, opts);
  return encodeOrFail(msg, responseSize(query.edns, opts), config.SetTruncateBit);
}

/**
 * Answers one DNS packet from the record set: the whole of the server's DNS logic except I/O.
 * - no readable header or a response packet → drop; unparseable → FORMERR (id echoed);
 * - opcode ≠ QUERY → NOTIMP; EDNS version > 0 → BADVERS; QDCOUNT ≠ 1, qtype OPT/0 → FORMERR;
 *   class other than IN/ANY → REFUSED; AXFR/IXFR → REFUSED (zone data is on the HTTP API); MAILA/MAILB → NOTIMP;
 * - names in the domain or a configured reverse zone → authoritative answer (AA), see resolveInZone;
 * - other names → forward (ExternalOn) or REFUSED.
 * UDP answers fit 512 bytes, or the EDNS0 size (capped at maxUdpSize); TCP 65535.
 */
export function answerPacket(records: RecordSet, packet: Uint8Array, opts: AnswerOptions): AnswerDecision {
  const parsed = parseMessage(packet);
  try {
    if (parsed.ok) return answerMessage(records, parsed.message, opts);
    if (!parsed.header) return { action: 'drop', reason: `malformed: ${parsed.error}` };
    if (parsed.header.qr) return { action: 'drop', reason: 'packet is a response' };
    const bytes = errorResponse(
      { header: parsed.header, ...(parsed.question ? { question: parsed.question } : {}) },
      Rcode.FORMERR,
      opts,
      records.config.RecurseOn,
    );
    return {
      action: 'reply',
      bytes,
      rcode: Rcode.FORMERR,
      truncated: false,
      ...(parsed.question ? { question: parsed.question } : {}),
    };
  } catch (e) {
    // Safety net: a bug here must cost one SERVFAIL, not the server.
    const header = parsed.ok ? parsed.message.header : parsed.header;
    if (!header || header.qr) return { action: 'drop', reason: `internal error: ${String(e)}` };
    return {
      action: 'reply',
      bytes: errorResponse({ header }, Rcode.SERVFAIL, opts),
      rcode: Rcode.SERVFAIL,
      truncated: false,
      internalError: e instanceof Error ? (e.stack ?? e.message) : String(e),
    };
  }
}
