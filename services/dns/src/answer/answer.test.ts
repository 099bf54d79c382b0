import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterState } from '@agora/contracts';
import { buildRecordSet, formatIp, resolveDnsConfig, type RecordSet } from '../records';
import { fixtureState } from '../records/fixture-state';
import { Opcode, RRClass, RRType, Rcode, buildQuery, encodeMessage, emptyHeader, parseMessage, type DnsMessage, type Edns, type ResourceRecord } from '../wire';
import { answerPacket, type AnswerDecision, type AnswerOptions } from './answer';

function records(overrides: Record<string, unknown> = {}, state: ClusterState = fixtureState()): RecordSet {
  const r = resolveDnsConfig(overrides);
  assert.deepEqual(r.errors, []);
  return buildRecordSet(state, r.config, { serial: 2024 });
}

const RS = records();

interface Ask {
  type?: number;
  cls?: number;
  edns?: Partial<Edns> & { udpSize: number };
  opts?: Partial<AnswerOptions>;
  rd?: boolean;
}

function decide(rs: RecordSet, name: string, ask: Ask = {}): AnswerDecision {
  const packet = buildQuery({ id: 4242, name, type: ask.type ?? RRType.A, class: ask.cls ?? RRClass.IN, rd: ask.rd ?? true, ...(ask.edns ? { edns: ask.edns } : {}) });
  return answerPacket(rs, packet, { transport: 'udp', random: () => 0.5, ...ask.opts });
}

function reply(d: AnswerDecision): DnsMessage {
  assert.equal(d.action, 'reply');
  if (d.action !== 'reply') throw new Error('unreachable');
  const p = parseMessage(d.bytes);
  if (!p.ok) assert.fail(`response does not parse: ${p.error}`);
  assert.equal(p.message.header.qr, true);
  return p.message;
}

function ask(rs: RecordSet, name: string, a: Ask = {}): DnsMessage {
  return reply(decide(rs, name, a));
}

const rrText = (rr: ResourceRecord): string => {
  const d = rr.data;
  switch (d.kind) {
    case 'A':
    case 'AAAA':
      return `${rr.name} ${formatIp(d.address)}`;
    case 'SRV':
      return `${rr.name} ${d.priority} ${d.weight} ${d.port} ${d.target}`;
    case 'NAME':
      return `${rr.name} ${d.target}`;
    case 'SOA':
      return `${rr.name} SOA ${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    default:
      return `${rr.name} ?`;
  }
};
const texts = (list: ResourceRecord[]): string[] => list.map(rrText).sort();
const SOA = 'mesos. SOA ns1.mesos. root.ns1.mesos. 2024 60 600 86400 60';

describe('hits', () => {
  test('A: NOERROR, AA, RA, RD echoed, TTL 60, no authority', () => {
    const m = ask(RS, 'liquor-store.marathon.mesos.');
    assert.equal(m.rcode, Rcode.NOERROR);
    assert.equal(m.header.id, 4242);
    assert.equal(m.header.aa, true);
    assert.equal(m.header.ra, true);
    assert.equal(m.header.rd, true);
    assert.deepEqual(texts(m.answers), ['liquor-store.marathon.mesos. 10.3.0.1', 'liquor-store.marathon.mesos. 10.3.0.2']);
    assert.ok(m.answers.every((r) => r.ttl === 60 && r.class === RRClass.IN));
    assert.deepEqual(m.authorities, []);
  });

  test('case-insensitive: the question and owner names echo the query spelling', () => {
    const m = ask(RS, 'cAr-StOrE.MARATHON.mesoS.');
    assert.equal(m.questions[0]?.name, 'cAr-StOrE.MARATHON.mesoS.');
    assert.deepEqual(texts(m.answers), ['cAr-StOrE.MARATHON.mesoS. 10.0.0.10']);
  });

  test('".*" substrings are stripped before lookup', () => {
    assert.deepEqual(texts(ask(RS, 'car-store.*.marathon.mesos.').answers), ['car-store.*.marathon.mesos. 10.0.0.10']);
  });

  test('AAAA', () => {
    assert.deepEqual(texts(ask(RS, 'toy-store.ipv6-framework.mesos.', { type: RRType.AAAA }).answers), ['toy-store.ipv6-framework.mesos. fd01:b::1:8000:2']);
  });

  test('class ANY is answered like IN', () => {
    assert.equal(ask(RS, 'leader.mesos.', { cls: RRClass.ANY }).answers.length, 1);
  });

  test('SRV: priority 0, weight 1, additional A for each distinct target', () => {
    const m = ask(RS, '_car-store._tcp.marathon.mesos.', { type: RRType.SRV });
    assert.deepEqual(texts(m.answers), [
      '_car-store._tcp.marathon.mesos. 0 1 31364 car-store-zinaz-0.marathon.slave.mesos.',
      '_car-store._tcp.marathon.mesos. 0 1 31365 car-store-zinaz-0.marathon.slave.mesos.',
    ]);
    assert.deepEqual(texts(m.additionals), ['car-store-zinaz-0.marathon.slave.mesos. 10.0.0.10']);
    assert.deepEqual(m.authorities, []);
  });

  test('SRV with several targets: the first address of each', () => {
    const m = ask(RS, '_liquor-store._tcp.marathon.mesos.', { type: RRType.SRV });
    assert.equal(m.answers.length, 4);
    assert.deepEqual(texts(m.additionals), ['liquor-store-4dfjd-0.marathon.mesos. 10.3.0.1', 'liquor-store-zasmd-s1.marathon.mesos. 10.3.0.2']);
  });

  test('SRV additionals carry AAAA for IPv6 targets', () => {
    const m = ask(RS, '_toy-store._tcp.ipv6-framework.mesos.', { type: RRType.SRV });
    assert.deepEqual(texts(m.additionals), ['toy-store-hgap6-s6.ipv6-framework.slave.mesos. 2001:db8::6']);
  });

  test('ANY: the union, with SOA and NS in the authority section', () => {
    const m = ask(RS, 'leader.mesos.', { type: RRType.ANY });
    assert.deepEqual(texts(m.answers), ['leader.mesos. 10.0.0.1']);
    assert.deepEqual(texts(m.authorities), [SOA, 'mesos. ns1.mesos.']);
  });

  test('multi-value answers are shuffled with the injected random', () => {
    const order = (r: number): string[] => ask(RS, 'slave.mesos.', { opts: { random: () => r } }).answers.map(rrText);
    assert.notDeepEqual(order(0), order(0.999));
    assert.deepEqual(order(0.3), order(0.3));
    const seen = new Set<string>();
    let seed = 1;
    const lcg = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let i = 0; i < 20; i++) seen.add(JSON.stringify(ask(RS, 'slave.mesos.', { opts: { random: lcg } }).answers.map(rrText)));
    assert.equal(seen.size, 2);
  });
});

describe('misses (spec: NXDOMAIN vs NODATA, Mesos-DNS quirks on by default)', () => {
  const rows: [string, string, number, number, string[]][] = [
    ['name exists only as A → AAAA is NODATA', 'chronos.mesos.', RRType.AAAA, Rcode.NOERROR, [SOA]],
    ['SRV-only name asked for A → NODATA', '_car-store._udp.marathon.mesos.', RRType.A, Rcode.NOERROR, [SOA]],
    ['missing name → NXDOMAIN + SOA', 'nope.marathon.mesos.', RRType.A, Rcode.NXDOMAIN, [SOA]],
    ['missing name AAAA → NXDOMAIN + SOA', 'nope.mesos.', RRType.AAAA, Rcode.NXDOMAIN, [SOA]],
    ['killed task → NXDOMAIN', 'killed.marathon.mesos.', RRType.A, Rcode.NXDOMAIN, [SOA]],
    ['unhealthy task → NXDOMAIN', 'sick.marathon.mesos.', RRType.A, Rcode.NXDOMAIN, [SOA]],
    ['empty non-terminal → NODATA (never NXDOMAIN above live names)', 'marathon.slave.mesos.', RRType.A, Rcode.NOERROR, [SOA]],
    ['the apex → NODATA for A', 'mesos.', RRType.A, Rcode.NOERROR, [SOA]],
    ['other types at an existing name → NODATA', 'car-store.marathon.mesos.', RRType.TXT, Rcode.NOERROR, [SOA]],
    ['other types at a missing name → NXDOMAIN', 'nope.mesos.', RRType.MX, Rcode.NXDOMAIN, [SOA]],
    ['PTR inside the forward domain → NODATA', 'car-store.marathon.mesos.', RRType.PTR, Rcode.NOERROR, [SOA]],
    ['unknown type number → NXDOMAIN', 'nope.mesos.', 65280, Rcode.NXDOMAIN, [SOA]],
    ['SRV miss → NOERROR without SOA (quirk)', '_nope._tcp.marathon.mesos.', RRType.SRV, Rcode.NOERROR, []],
    ['SOA → in the authority section, any name (quirk)', 'whatever.mesos.', RRType.SOA, Rcode.NOERROR, [SOA]],
    ['SOA at the apex (quirk)', 'mesos.', RRType.SOA, Rcode.NOERROR, [SOA]],
    ['NS → in the authority section (quirk)', 'mesos.', RRType.NS, Rcode.NOERROR, ['mesos. ns1.mesos.']],
    ['ANY at a missing name → NXDOMAIN, SOA once', 'nope.mesos.', RRType.ANY, Rcode.NXDOMAIN, [SOA, 'mesos. ns1.mesos.']],
  ];
  for (const [title, name, type, rcode, authority] of rows) {
    test(title, () => {
      const m = ask(RS, name, { type });
      assert.equal(m.rcode, rcode);
      assert.equal(m.header.aa, true);
      assert.deepEqual(m.answers, []);
      assert.deepEqual(texts(m.authorities), authority);
    });
  }

  test('NS answers carry the name server address as additional data', () => {
    assert.deepEqual(texts(ask(RS, 'mesos.', { type: RRType.NS }).additionals), ['ns1.mesos. 127.0.0.1']);
  });
});

describe('RFC answers (mesosDnsAnswerQuirks=false)', () => {
  const rs = records({ mesosDnsAnswerQuirks: false });
  const rows: [string, string, number, number, string[], string[]][] = [
    ['SOA at the apex → answer', 'mesos.', RRType.SOA, Rcode.NOERROR, [SOA], []],
    ['NS at the apex → answer', 'MESOS.', RRType.NS, Rcode.NOERROR, ['MESOS. ns1.mesos.'], []],
    ['SOA below the apex, existing → NODATA', 'leader.mesos.', RRType.SOA, Rcode.NOERROR, [], [SOA]],
    ['SOA below the apex, missing → NXDOMAIN', 'nope.mesos.', RRType.SOA, Rcode.NXDOMAIN, [], [SOA]],
    ['SRV miss → NXDOMAIN + SOA', '_nope._tcp.marathon.mesos.', RRType.SRV, Rcode.NXDOMAIN, [], [SOA]],
    ['SRV at an A-only name → NODATA + SOA', 'leader.mesos.', RRType.SRV, Rcode.NOERROR, [], [SOA]],
  ];
  for (const [title, name, type, rcode, answers, authority] of rows) {
    test(title, () => {
      const m = ask(rs, name, { type });
      assert.equal(m.rcode, rcode);
      assert.deepEqual(texts(m.answers), answers);
      assert.deepEqual(texts(m.authorities), authority);
    });
  }
});

describe('PTR and reverse zones', () => {
  test('a PTR hit is answered authoritatively', () => {
    const m = ask(RS, '1.0.3.10.in-addr.arpa.', { type: RRType.PTR });
    assert.equal(m.header.aa, true);
    assert.deepEqual(texts(m.answers), ['1.0.3.10.in-addr.arpa. liquor-store-4dfjd-0.marathon.mesos.']);
  });

  test('IPv6 PTR', () => {
    const m = ask(RS, '2.0.0.0.0.0.0.8.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.b.0.0.0.1.0.D.F.ip6.arpa.', { type: RRType.PTR });
    assert.deepEqual(m.answers.map((r) => (r.data.kind === 'NAME' ? r.data.target : '')), ['toy-store-hgap6-s6.ipv6-framework.mesos.']);
  });

  test('outside configured reverse zones, misses and other types are forwarded', () => {
    assert.equal(decide(RS, '99.0.3.10.in-addr.arpa.', { type: RRType.PTR }).action, 'forward');
    assert.equal(decide(RS, '1.0.3.10.in-addr.arpa.', { type: RRType.A }).action, 'forward');
  });

  test('inside a configured reverse zone: NXDOMAIN / NODATA with the zone\'s SOA', () => {
    const rs = records({ reverseZones: ['10.3.0.0/16'] });
    const miss = ask(rs, '99.0.3.10.in-addr.arpa.', { type: RRType.PTR });
    assert.equal(miss.rcode, Rcode.NXDOMAIN);
    assert.deepEqual(texts(miss.authorities), ['3.10.in-addr.arpa. SOA ns1.mesos. root.ns1.mesos. 2024 60 600 86400 60']);
    const ent = ask(rs, '0.3.10.in-addr.arpa.', { type: RRType.PTR });
    assert.equal(ent.rcode, Rcode.NOERROR);
    assert.equal(ent.authorities.length, 1);
    const hit = ask(rs, '2.0.3.10.in-addr.arpa.', { type: RRType.PTR });
    assert.deepEqual(texts(hit.answers), ['2.0.3.10.in-addr.arpa. liquor-store-zasmd-s1.marathon.mesos.']);
    const soa = ask(rs, '3.10.in-addr.arpa.', { type: RRType.SOA });
    assert.deepEqual(texts(soa.authorities), ['3.10.in-addr.arpa. SOA ns1.mesos. root.ns1.mesos. 2024 60 600 86400 60']);
    // addresses outside the configured zone still resolve when we hold a PTR
    assert.equal(ask(rs, '10.0.0.10.in-addr.arpa.', { type: RRType.PTR }).answers.length, 1);
  });

  test('ptrOn=false: reverse names are not ours', () => {
    assert.equal(decide(records({ ptrOn: false, reverseZones: ['10.3.0.0/16'] }), '1.0.3.10.in-addr.arpa.', { type: RRType.PTR }).action, 'forward');
  });
});

describe('outside the domain', () => {
  test('forwarded with ExternalOn (default), with the parsed query', () => {
    const d = decide(RS, 'www.example.com.');
    assert.equal(d.action, 'forward');
    if (d.action === 'forward') assert.equal(d.question.name, 'www.example.com.');
  });
  test('a name that only ends like the domain is outside it', () => {
    assert.equal(decide(RS, 'notmesos.').action, 'forward');
    assert.equal(decide(RS, 'a\\.mesos.').action, 'forward');
    assert.equal(decide(RS, '.').action, 'forward');
  });
  test('REFUSED without ExternalOn', () => {
    const m = ask(records({ ExternalOn: false }), 'www.example.com.');
    assert.equal(m.rcode, Rcode.REFUSED);
    assert.equal(m.header.aa, false);
    assert.equal(m.questions[0]?.name, 'www.example.com.');
  });
});

describe('protocol errors', () => {
  const raw = (m: DnsMessage): AnswerDecision => answerPacket(RS, encodeMessage(m).bytes, { transport: 'udp', random: () => 0 });
  const query = (over: Partial<DnsMessage> = {}): DnsMessage => ({
    header: { ...emptyHeader(77), rd: true },
    rcode: 0,
    questions: [{ name: 'leader.mesos.', type: RRType.A, class: RRClass.IN }],
    answers: [],
    authorities: [],
    additionals: [],
    ...over,
  });

  const rows: [string, DnsMessage, number][] = [
    ['opcode NOTIFY → NOTIMP', query({ header: { ...emptyHeader(77), opcode: Opcode.NOTIFY } }), Rcode.NOTIMP],
    ['opcode UPDATE → NOTIMP', query({ header: { ...emptyHeader(77), opcode: Opcode.UPDATE } }), Rcode.NOTIMP],
    ['opcode IQUERY → NOTIMP', query({ header: { ...emptyHeader(77), opcode: Opcode.IQUERY } }), Rcode.NOTIMP],
    ['no question → FORMERR', query({ questions: [] }), Rcode.FORMERR],
    ['two questions → FORMERR', query({ questions: [{ name: 'a.mesos.', type: 1, class: 1 }, { name: 'b.mesos.', type: 1, class: 1 }] }), Rcode.FORMERR],
    ['class CH → REFUSED', query({ questions: [{ name: 'version.bind.', type: RRType.TXT, class: RRClass.CH }] }), Rcode.REFUSED],
    ['class 42 → REFUSED', query({ questions: [{ name: 'leader.mesos.', type: 1, class: 42 }] }), Rcode.REFUSED],
    ['AXFR → REFUSED', query({ questions: [{ name: 'mesos.', type: RRType.AXFR, class: 1 }] }), Rcode.REFUSED],
    ['IXFR → REFUSED', query({ questions: [{ name: 'mesos.', type: RRType.IXFR, class: 1 }] }), Rcode.REFUSED],
    ['MAILA → NOTIMP', query({ questions: [{ name: 'mesos.', type: RRType.MAILA, class: 1 }] }), Rcode.NOTIMP],
    ['qtype OPT → FORMERR', query({ questions: [{ name: 'mesos.', type: RRType.OPT, class: 1 }] }), Rcode.FORMERR],
    ['qtype 0 → FORMERR', query({ questions: [{ name: 'mesos.', type: 0, class: 1 }] }), Rcode.FORMERR],
    ['EDNS version 1 → BADVERS', query({ edns: { udpSize: 1232, version: 1, dnssecOk: false, options: [] } }), Rcode.BADVERS],
  ];
  for (const [title, m, rcode] of rows) {
    test(title, () => {
      const r = reply(raw(m));
      assert.equal(r.rcode, rcode);
      assert.equal(r.header.id, 77);
      assert.equal(r.header.opcode, m.header.opcode);
      assert.deepEqual(r.answers, []);
      if (rcode === Rcode.BADVERS) assert.equal(r.edns?.version, 0);
    });
  }

  test('a response packet is dropped (no reflection loops)', () => {
    const d = raw(query({ header: { ...emptyHeader(77), qr: true } }));
    assert.equal(d.action, 'drop');
  });

  test('fewer than 12 bytes are dropped', () => {
    for (const n of [0, 1, 2, 11]) assert.equal(answerPacket(RS, new Uint8Array(n), { transport: 'udp', random: Math.random }).action, 'drop');
  });

  test('an unparseable question → FORMERR with the id echoed and no question', () => {
    const bytes = Uint8Array.from([0, 99, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
    const r = reply(answerPacket(RS, bytes, { transport: 'udp', random: Math.random }));
    assert.equal(r.rcode, Rcode.FORMERR);
    assert.equal(r.header.id, 99);
    assert.deepEqual(r.questions, []);
  });

  test('a bad OPT after a good question → FORMERR echoing the question', () => {
    const good = buildQuery({ id: 5, name: 'leader.mesos.', type: 1 });
    const bytes = Uint8Array.from([...good.slice(0, 11), 2, ...good.slice(12), 0, 0, 41, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 41, 2, 0, 0, 0, 0, 0, 0, 0]);
    const r = reply(answerPacket(RS, bytes, { transport: 'udp', random: Math.random }));
    assert.equal(r.rcode, Rcode.FORMERR);
    assert.equal(r.questions[0]?.name, 'leader.mesos.');
  });
});

describe('EDNS0 and truncation', () => {
  // 60 instances of one app on distinct container addresses: a ~1 KB A RRset.
  function bigState(): ClusterState {
    const s = fixtureState();
    const marathon = s.frameworks[0]!;
    const template = marathon.tasks[2]!;
    marathon.tasks = Array.from({ length: 60 }, (_, i) => ({
      ...template,
      taskId: `big.${i}`,
      name: 'big',
      statuses: [{ ...template.statuses[0]!, ipAddresses: [`10.50.${i >> 8}.${i & 0xff}`] }],
    }));
    return s;
  }
  const big = records({}, bigState());

  test('plain UDP: 512 bytes, TC set, whole records only', () => {
    const d = decide(big, 'big.marathon.mesos.');
    assert.equal(d.action, 'reply');
    if (d.action !== 'reply') return;
    assert.ok(d.bytes.length <= 512);
    assert.equal(d.truncated, true);
    const m = reply(d);
    assert.equal(m.header.tc, true);
    assert.ok(m.answers.length > 10 && m.answers.length < 60);
  });

  test('EDNS0: the requestor\'s size, capped at maxUdpSize; our size and DO are echoed in OPT', () => {
    const m = ask(big, 'big.marathon.mesos.', { edns: { udpSize: 4096, dnssecOk: true } });
    assert.equal(m.header.tc, false);
    assert.equal(m.answers.length, 60);
    assert.deepEqual(m.edns, { udpSize: 1232, version: 0, dnssecOk: true, options: [] });
    const capped = decide(big, 'big.marathon.mesos.', { edns: { udpSize: 4096 }, opts: { maxUdpSize: 700 } });
    assert.ok(capped.action === 'reply' && capped.bytes.length <= 700 && capped.truncated);
    const tiny = decide(big, 'big.marathon.mesos.', { edns: { udpSize: 100 } });
    assert.ok(tiny.action === 'reply' && tiny.bytes.length <= 512, 'sizes below 512 count as 512');
  });

  test('TCP: everything, no TC', () => {
    const m = ask(big, 'big.marathon.mesos.', { opts: { transport: 'tcp' } });
    assert.equal(m.answers.length, 60);
    assert.equal(m.header.tc, false);
  });

  test('SetTruncateBit=false: answers dropped without TC', () => {
    const rs = records({ SetTruncateBit: false }, bigState());
    const m = ask(rs, 'big.marathon.mesos.');
    assert.equal(m.header.tc, false);
    assert.ok(m.answers.length < 60);
  });

  test('RecurseOn=false clears RA', () => {
    assert.equal(ask(records({ RecurseOn: false }), 'leader.mesos.').header.ra, false);
  });
});
