import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RRClass, RRType } from './constants';
import { encodeMessage } from './encode';
import { EncodeError } from './names';
import { parseMessage } from './parse';
import { buildQuery } from './query';
import { emptyHeader, type DnsMessage, type ResourceRecord } from './types';

function parseOk(bytes: Uint8Array): DnsMessage {
  const r = parseMessage(bytes);
  if (!r.ok) assert.fail(`parse failed: ${r.error} at ${r.offset}`);
  return r.message;
}

function msg(partial: Partial<DnsMessage> = {}): DnsMessage {
  return { header: { ...emptyHeader(0x1234), qr: true, aa: true }, rcode: 0, questions: [], answers: [], authorities: [], additionals: [], ...partial };
}

const a = (name: string, ip: [number, number, number, number], ttl = 60): ResourceRecord => ({
  name,
  type: RRType.A,
  class: RRClass.IN,
  ttl,
  data: { kind: 'A', address: Uint8Array.from(ip) },
});

/** Bytes written by hand from RFC 1035 §4: id 0xbeef, RD, one question "www.example.com" A IN. */
const HAND_QUERY = Uint8Array.from([
  0xbe, 0xef, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  3, 0x77, 0x77, 0x77, 7, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 3, 0x63, 0x6f, 0x6d, 0,
  0x00, 0x01, 0x00, 0x01,
]);

describe('parsing a hand-written query', () => {
  test('header, question', () => {
    const m = parseOk(HAND_QUERY);
    assert.equal(m.header.id, 0xbeef);
    assert.equal(m.header.rd, true);
    assert.equal(m.header.qr, false);
    assert.equal(m.header.opcode, 0);
    assert.deepEqual(m.questions, [{ name: 'www.example.com.', type: 1, class: 1 }]);
    assert.equal(m.edns, undefined);
  });
  test('buildQuery produces the same bytes', () => {
    assert.deepEqual(buildQuery({ id: 0xbeef, name: 'www.example.com.', type: RRType.A }), HAND_QUERY);
  });
});

describe('round trips (encode → parse)', () => {
  test('every record type we produce, with EDNS and an extended rcode', () => {
    const m = msg({
      rcode: 16,
      questions: [{ name: 'MiXed.Case.mesos.', type: RRType.ANY, class: RRClass.IN }],
      answers: [
        a('web.marathon.mesos.', [10, 0, 0, 1]),
        { name: 'web.marathon.mesos.', type: RRType.AAAA, class: 1, ttl: 5, data: { kind: 'AAAA', address: Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 1]) } },
        { name: '_web._tcp.marathon.mesos.', type: RRType.SRV, class: 1, ttl: 60, data: { kind: 'SRV', priority: 0, weight: 1, port: 31000, target: 'web-abcde-s1.marathon.slave.mesos.' } },
        { name: '1.0.0.10.in-addr.arpa.', type: RRType.PTR, class: 1, ttl: 60, data: { kind: 'NAME', target: 'web.marathon.mesos.' } },
        { name: 'x.mesos.', type: RRType.MX, class: 1, ttl: 60, data: { kind: 'MX', preference: 10, exchange: 'mail.mesos.' } },
        { name: 'x.mesos.', type: 99, class: 1, ttl: 60, data: { kind: 'RAW', data: Uint8Array.from([1, 2, 3]) } },
      ],
      authorities: [
        { name: 'mesos.', type: RRType.SOA, class: 1, ttl: 60, data: { kind: 'SOA', mname: 'ns1.mesos.', rname: 'root.ns1.mesos.', serial: 0xfffffffe, refresh: 60, retry: 600, expire: 86400, minimum: 60 } },
        { name: 'mesos.', type: RRType.NS, class: 1, ttl: 60, data: { kind: 'NAME', target: 'ns1.mesos.' } },
      ],
      additionals: [a('ns1.mesos.', [127, 0, 0, 1])],
      edns: { udpSize: 1232, version: 0, dnssecOk: true, options: [{ code: 10, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }] },
    });
    const enc = encodeMessage(m);
    assert.equal(enc.truncated, false);
    const back = parseOk(enc.bytes);
    assert.deepEqual(back, m);
  });

  test('escaped and odd labels survive: dots, backslashes, spaces, binary bytes', () => {
    for (const name of ['a\\.b.mesos.', 'back\\\\slash.mesos.', 'sp\\032ace.mesos.', '\\000\\255\\127.x.', '.']) {
      const m = msg({ questions: [{ name, type: 1, class: 1 }] });
      assert.equal(parseOk(encodeMessage(m).bytes).questions[0]?.name, name);
    }
  });

  test('names that cannot exist are refused by the encoder', () => {
    for (const name of ['a..b.', `${'x'.repeat(64)}.`, `${'abcdefg.'.repeat(32)}`, 'tr\\']) {
      assert.throws(() => encodeMessage(msg({ questions: [{ name, type: 1, class: 1 }] })), EncodeError, name);
    }
    // 255 octets on the wire is the maximum; 4 × (1+62) + 1 = 253 fits.
    const max = `${'a'.repeat(62)}.${'b'.repeat(62)}.${'c'.repeat(62)}.${'d'.repeat(62)}.`;
    assert.equal(parseOk(encodeMessage(msg({ questions: [{ name: max, type: 1, class: 1 }] })).bytes).questions[0]?.name, max);
  });
});

describe('name compression', () => {
  const m = msg({
    questions: [{ name: 'web.marathon.mesos.', type: RRType.SRV, class: 1 }],
    answers: [
      { name: 'web.marathon.mesos.', type: RRType.SRV, class: 1, ttl: 60, data: { kind: 'SRV', priority: 0, weight: 1, port: 80, target: 'web-x.marathon.mesos.' } },
      { name: 'web.marathon.mesos.', type: RRType.SRV, class: 1, ttl: 60, data: { kind: 'SRV', priority: 0, weight: 1, port: 81, target: 'web-x.marathon.mesos.' } },
    ],
    additionals: [a('web-x.marathon.mesos.', [10, 0, 0, 1])],
  });

  test('owner names become pointers to the question, and the result still parses identically', () => {
    const compressed = encodeMessage(m).bytes;
    const plain = encodeMessage(m, { compress: false }).bytes;
    assert.ok(compressed.length < plain.length);
    // the first answer's owner is a pointer (0xc00c) to the question name at offset 12
    const qEnd = 12 + 'web.marathon.mesos.'.length + 1 + 4;
    assert.deepEqual([compressed[qEnd], compressed[qEnd + 1]], [0xc0, 0x0c]);
    assert.deepEqual(parseOk(compressed), parseOk(plain));
    assert.deepEqual(parseOk(compressed), m);
  });

  test('SRV targets are written in full (RFC 2782) but later names point into them', () => {
    const bytes = encodeMessage(m).bytes;
    const text = String.fromCharCode(...bytes);
    // both SRV RDATAs spell "web-x" out; the additional A owner is a pointer into the first.
    assert.equal(text.split('\u0005web-x').length - 1, 2);
  });
});

describe('truncation', () => {
  const many = (n: number): ResourceRecord[] => Array.from({ length: n }, (_, i) => a(`host-${i}.marathon.mesos.`, [10, 0, i >> 8, i & 0xff]));
  const q = [{ name: 'x.marathon.mesos.', type: RRType.A, class: 1 }];

  test('answers that do not fit 512 bytes are dropped whole and TC is set', () => {
    const enc = encodeMessage(msg({ questions: q, answers: many(100) }), { maxSize: 512 });
    assert.ok(enc.bytes.length <= 512);
    assert.equal(enc.truncated, true);
    const back = parseOk(enc.bytes);
    assert.equal(back.header.tc, true);
    assert.ok(back.answers.length > 5 && back.answers.length < 100);
    assert.equal(back.answers.length, enc.counts.answers);
  });

  test('SetTruncateBit=false: dropped silently (Mesos-DNS workaround for broken clients)', () => {
    const enc = encodeMessage(msg({ questions: q, answers: many(100) }), { maxSize: 512, setTruncateBit: false });
    assert.equal(enc.truncated, true);
    assert.equal(parseOk(enc.bytes).header.tc, false);
  });

  test('dropping additional records does not set TC', () => {
    const enc = encodeMessage(msg({ questions: q, answers: many(2), additionals: many(100) }), { maxSize: 512 });
    assert.equal(enc.truncated, false);
    const back = parseOk(enc.bytes);
    assert.equal(back.header.tc, false);
    assert.equal(back.answers.length, 2);
    assert.ok(back.additionals.length < 100);
  });

  test('the OPT record is kept when truncating, and a larger EDNS size fits more', () => {
    const edns = { udpSize: 4096, version: 0, dnssecOk: false, options: [] };
    const small = encodeMessage(msg({ questions: q, answers: many(300), edns }), { maxSize: 512 });
    assert.ok(small.bytes.length <= 512);
    assert.ok(parseOk(small.bytes).edns);
    const big = encodeMessage(msg({ questions: q, answers: many(300), edns }), { maxSize: 4096 });
    assert.ok(big.bytes.length <= 4096 && big.bytes.length > 2000);
    assert.ok(big.counts.answers > small.counts.answers);
    const tcp = encodeMessage(msg({ questions: q, answers: many(300), edns }));
    assert.equal(tcp.truncated, false);
    assert.equal(tcp.counts.answers, 300);
  });

  test('pointers never exceed 0x3fff: names past 16 KiB are written in full', () => {
    const enc = encodeMessage(msg({ questions: q, answers: many(2000) }));
    const back = parseOk(enc.bytes);
    assert.equal(back.answers.length, 2000);
    assert.ok(enc.bytes.length > 0x4000);
  });
});

describe('malformed input is rejected, never thrown', () => {
  const header = (qd: number, an = 0, ns = 0, ar = 0): number[] => [0, 7, 0x01, 0x00, 0, qd, 0, an, 0, ns, 0, ar];
  const cases: [string, number[], string][] = [
    ['empty', [], 'SHORT_HEADER'],
    ['11 bytes', header(0).slice(0, 11), 'SHORT_HEADER'],
    ['question count without a question', header(1), 'TRUNCATED'],
    ['label runs past the end', [...header(1), 10, 0x61, 0x62], 'TRUNCATED'],
    ['missing type/class', [...header(1), 1, 0x61, 0], 'TRUNCATED'],
    ['pointer to itself', [...header(1), 0xc0, 12, 0, 1, 0, 1], 'POINTER_LOOP'],
    ['pointer forward', [...header(1), 0xc0, 20, 0, 1, 0, 1, 0, 0, 0, 0], 'POINTER_LOOP'],
    ['pointer past the end', [...header(1), 0xc0, 0xff, 0, 1, 0, 1], 'BAD_POINTER'],
    ['two pointers looping', [...header(1), 1, 0x61, 0xc0, 12, 0, 1, 0, 1], 'POINTER_LOOP'],
    ['extended label type 0x40', [...header(1), 0x41, 0x61, 0, 0, 1, 0, 1], 'BAD_LABEL_TYPE'],
    ['reserved label type 0x80', [...header(1), 0x81, 0x61, 0, 0, 1, 0, 1], 'BAD_LABEL_TYPE'],
    ['name over 255 octets', [...header(1), ...Array.from({ length: 5 }, () => [63, ...new Array<number>(63).fill(0x61)]).flat(), 0, 0, 1, 0, 1], 'NAME_TOO_LONG'],
    ['128 one-byte labels', [...header(1), ...Array.from({ length: 128 }, () => [1, 0x61]).flat(), 0, 0, 1, 0, 1], 'NAME_TOO_LONG'],
    ['RR data length past the end', [...header(1, 1), 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 60, 0xff, 0xff], 'TRUNCATED'],
    ['A record with 5 bytes', [...header(0, 1), 0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 5, 1, 2, 3, 4, 5], 'BAD_RDATA'],
    ['two OPT records', [...header(0, 0, 0, 2), 0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0], 'BAD_OPT'],
    ['OPT with a non-root owner', [...header(0, 0, 0, 1), 1, 0x61, 0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0], 'BAD_OPT'],
    ['OPT in the answer section', [...header(0, 1), 0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0], 'BAD_OPT'],
    ['OPT option overrunning its RDATA', [...header(0, 0, 0, 1), 0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 5, 0, 10, 0, 9, 1], 'BAD_OPT'],
    ['absurd counts', [0, 7, 1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 1, 0, 1], 'TRUNCATED'],
  ];
  for (const [title, bytes, code] of cases) {
    test(`${title} → ${code}`, () => {
      const r = parseMessage(Uint8Array.from(bytes));
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.error, code);
        if (bytes.length >= 12) assert.equal(r.header?.id, 7);
      }
    });
  }

  test('a valid backward pointer chain parses', () => {
    // question "a.b." then an answer whose owner is "c" + pointer to "b." inside the question
    const bytes = [0, 7, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0x61, 1, 0x62, 0, 0, 1, 0, 1, 1, 0x63, 0xc0, 14, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4];
    const m = parseOk(Uint8Array.from(bytes));
    assert.equal(m.answers[0]?.name, 'c.b.');
  });

  test('trailing bytes after the counted sections are ignored', () => {
    const m = parseOk(Uint8Array.from([...HAND_QUERY, 1, 2, 3]));
    assert.equal(m.questions.length, 1);
  });
});
