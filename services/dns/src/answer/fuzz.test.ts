import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildRecordSet, resolveDnsConfig } from '../records';
import { fixtureState } from '../records/fixture-state';
import { MIN_UDP_SIZE, RRClass, RRType, buildQuery, parseMessage } from '../wire';
import { answerPacket, DEFAULT_MAX_UDP_SIZE, type AnswerOptions } from './answer';

/**
 * Random and mutated packets: the answerer must never throw, and whatever it sends must be a well-formed
 * response to that query (same id, QR set) within the transport's size limit.
 */
const records = [
  buildRecordSet(fixtureState(), resolveDnsConfig({}).config, { serial: 1 }),
  buildRecordSet(fixtureState(), resolveDnsConfig({ mesosDnsAnswerQuirks: false, ExternalOn: false, reverseZones: ['10.0.0.0/8'] }).config, { serial: 1 }),
];

const names = [
  'liquor-store.marathon.mesos.',
  '_liquor-store._tcp.marathon.mesos.',
  '_http._liquor-store._tcp.marathon.mesos.',
  'slave.mesos.',
  'mesos.',
  'nope.mesos.',
  'LEADER.Mesos.',
  '1.0.3.10.in-addr.arpa.',
  'www.example.com.',
  '.',
];
const types = [RRType.A, RRType.AAAA, RRType.SRV, RRType.SOA, RRType.NS, RRType.PTR, RRType.ANY, RRType.TXT, RRType.AXFR, RRType.OPT, 0, 65535];

const validQueries: Uint8Array[] = [];
for (const name of names) {
  for (const type of types) {
    validQueries.push(buildQuery({ id: 0x5151, name, type }));
    validQueries.push(buildQuery({ id: 0x5152, name, type, class: RRClass.ANY, edns: { udpSize: 4096, dnssecOk: true, options: [{ code: 10, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }] } }));
  }
}

function check(packet: Uint8Array, rsIndex: number, transport: 'udp' | 'tcp', r: number): void {
  const opts: AnswerOptions = { transport, random: () => r };
  const d = answerPacket(records[rsIndex % records.length]!, packet, opts);
  if (d.action === 'drop') {
    const p = parseMessage(packet);
    // only headerless packets and responses may be dropped
    assert.ok(!d.reason.startsWith('internal error'), d.reason);
    assert.ok(!p.ok ? p.header === undefined || p.header.qr : p.message.header.qr, `dropped a query: ${d.reason}`);
    return;
  }
  if (d.action === 'forward') {
    assert.equal(d.query.header.qr, false);
    return;
  }
  assert.equal(d.internalError, undefined);
  const resp = parseMessage(d.bytes);
  assert.ok(resp.ok, 'response must parse');
  assert.equal(resp.message.header.qr, true);
  assert.equal(resp.message.header.id, ((packet[0] ?? 0) << 8) | (packet[1] ?? 0));
  assert.ok(resp.message.questions.length <= 1);
  if (transport === 'udp') {
    const q = parseMessage(packet);
    const limit = q.ok && q.message.edns ? DEFAULT_MAX_UDP_SIZE : MIN_UDP_SIZE;
    assert.ok(d.bytes.length <= limit, `UDP response of ${d.bytes.length} bytes over ${limit}`);
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('pointer' as const), at: fc.nat(), target: fc.integer({ min: 0, max: 0x3fff }) }),
  fc.record({ kind: fc.constant('count' as const), which: fc.integer({ min: 0, max: 3 }), value: fc.integer({ min: 0, max: 0xffff }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(base: Uint8Array, muts: Mutation[]): Uint8Array {
  let b = Array.from(base);
  for (const m of muts) {
    const at = b.length === 0 ? 0 : ('at' in m ? m.at % b.length : 0);
    switch (m.kind) {
      case 'set':
        if (b.length > 0) b[at] = m.value;
        break;
      case 'cut':
        b = b.slice(0, at);
        break;
      case 'insert':
        b.splice(at, 0, ...m.bytes);
        break;
      case 'pointer':
        b.splice(at, 2, 0xc0 | (m.target >> 8), m.target & 0xff);
        break;
      case 'count':
        if (b.length >= 12) {
          b[4 + m.which * 2] = m.value >> 8;
          b[5 + m.which * 2] = m.value & 0xff;
        }
        break;
    }
  }
  return Uint8Array.from(b);
}

describe('fuzz: the parser and answerer never throw', () => {
  test('valid queries answer cleanly', () => {
    for (const q of validQueries) for (const t of ['udp', 'tcp'] as const) check(q, 0, t, 0.5);
  });

  test('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), fc.constantFrom('udp' as const, 'tcp' as const), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (bytes, i, t, r) =>
        check(bytes, i, t, r),
      ),
      { numRuns: 3000 },
    );
  });

  test('random bytes behind a plausible query header', () => {
    const header = fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0x7fff }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }));
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 300 }), ([id, flags, qd, an, ns, ar], body) => {
        const bytes = Uint8Array.from([id >> 8, id & 0xff, flags >> 8, flags & 0xff, 0, qd, 0, an, 0, ns, 0, ar, ...body]);
        check(bytes, 0, 'udp', 0.25);
      }),
      { numRuns: 3000 },
    );
  });

  test('mutations of valid queries', () => {
    fc.assert(
      fc.property(fc.constantFrom(...validQueries), fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.nat(), fc.constantFrom('udp' as const, 'tcp' as const), (q, muts, i, t) =>
        check(mutate(q, muts), i, t, 0.75),
      ),
      { numRuns: 5000 },
    );
  });

  test('a deep chain of backward pointers is cut off, not followed forever', () => {
    // 2000 questions, each name a pointer to the previous one: question k is k-1 hops deep.
    const count = 2000;
    const bytes: number[] = [0, 3, 1, 0, count >> 8, count & 0xff, 0, 0, 0, 0, 0, 0, 1, 0x61, 0, 0, 1, 0, 1];
    let prev = 12;
    for (let i = 1; i < count; i++) {
      const here = bytes.length;
      bytes.push(0xc0 | (prev >> 8), prev & 0xff, 0, 1, 0, 1);
      prev = here;
    }
    const d = answerPacket(records[0]!, Uint8Array.from(bytes), { transport: 'udp', random: Math.random });
    assert.equal(d.action, 'reply');
    if (d.action === 'reply') assert.equal(d.rcode, 1);
    const p = parseMessage(Uint8Array.from(bytes));
    assert.ok(!p.ok && p.error === 'POINTER_LOOP');
  });
});
