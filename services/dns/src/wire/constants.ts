/** DNS numbers (RFC 1035, 2782, 3596, 6891 and the IANA registry) used by the codec and the answerer. */
export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  IXFR: 251,
  AXFR: 252,
  MAILB: 253,
  MAILA: 254,
  ANY: 255,
} as const;

export const RRClass = { IN: 1, CH: 3, HS: 4, NONE: 254, ANY: 255 } as const;

export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  /** Extended (needs OPT): the query's EDNS version is not supported. */
  BADVERS: 16,
} as const;

export const Opcode = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 } as const;

/** The largest UDP response without EDNS0 (RFC 1035 §4.2.1). */
export const MIN_UDP_SIZE = 512;
/** The largest message (TCP's two-byte length prefix). */
export const MAX_MESSAGE_SIZE = 65535;
export const HEADER_SIZE = 12;
/** Compression pointers carry 14 bits of offset. */
export const MAX_POINTER_OFFSET = 0x3fff;
export const MAX_NAME_WIRE_LENGTH = 255;
export const MAX_LABEL_LENGTH = 63;

const TYPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(RRType).map(([k, v]) => [v, k]));
export function typeName(t: number): string {
  return TYPE_NAMES[t] ?? `TYPE${t}`;
}
const RCODE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Rcode).map(([k, v]) => [v, k]));
export function rcodeName(r: number): string {
  return RCODE_NAMES[r] ?? `RCODE${r}`;
}
