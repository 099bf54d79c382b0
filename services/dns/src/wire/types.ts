/** In-memory DNS messages. Names are in presentation form: FQDN with trailing dot, `\.` `\\` and `\DDD` escapes. */
export interface Header {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  /** The reserved bit; ignored, echoed as 0. */
  z: boolean;
  ad: boolean;
  cd: boolean;
}

export interface Question {
  name: string;
  type: number;
  class: number;
}

export type RData =
  | { kind: 'A'; address: Uint8Array }
  | { kind: 'AAAA'; address: Uint8Array }
  /** NS, CNAME, PTR: one domain name (the RR's type says which). */
  | { kind: 'NAME'; target: string }
  | { kind: 'MX'; preference: number; exchange: string }
  | {
      kind: 'SOA';
      mname: string;
      rname: string;
      serial: number;
      refresh: number;
      retry: number;
      expire: number;
      minimum: number;
    }
  | { kind: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { kind: 'RAW'; data: Uint8Array };

export interface ResourceRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  data: RData;
}

export interface EdnsOption {
  code: number;
  data: Uint8Array;
}

/** The OPT pseudo-record (RFC 6891), kept apart from the additional section. */
export interface Edns {
  /** Requestor's (or our advertised) UDP payload size. */
  udpSize: number;
  version: number;
  dnssecOk: boolean;
  options: EdnsOption[];
}

export interface DnsMessage {
  header: Header;
  /** The full response code: the header's 4 bits plus, with EDNS, the OPT's upper 8 bits. */
  rcode: number;
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  /** Without the OPT record; see `edns`. */
  additionals: ResourceRecord[];
  edns?: Edns;
}

export function emptyHeader(id = 0): Header {
  return { id, qr: false, opcode: 0, aa: false, tc: false, rd: false, ra: false, z: false, ad: false, cd: false };
}
