import { RRClass } from './constants';
import { encodeMessage } from './encode';
import { emptyHeader, type Edns } from './types';

export interface QuerySpec {
  id: number;
  name: string;
  type: number;
  class?: number;
  rd?: boolean;
  /** Adds an OPT record (EDNS0) with this UDP payload size and options. */
  edns?: Partial<Edns> & { udpSize: number };
}

/** A standard query as a stub resolver sends it (tests, health probes, the forwarder). */
export function buildQuery(spec: QuerySpec): Uint8Array {
  const header = { ...emptyHeader(spec.id), rd: spec.rd ?? true };
  const msg = {
    header,
    rcode: 0,
    questions: [{ name: spec.name, type: spec.type, class: spec.class ?? RRClass.IN }],
    answers: [],
    authorities: [],
    additionals: [],
    ...(spec.edns
      ? { edns: { udpSize: spec.edns.udpSize, version: spec.edns.version ?? 0, dnssecOk: spec.edns.dnssecOk ?? false, options: spec.edns.options ?? [] } }
      : {}),
  };
  return encodeMessage(msg).bytes;
}
