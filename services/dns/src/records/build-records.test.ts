import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterState } from '@agora/contracts';
import { buildRecordSet } from './build-records';
import { resolveDnsConfig, type DnsConfig } from './config';
import { FIXTURE_IDS, fixtureState } from './fixture-state';
import type { RecordSet } from './record-set';

function cfg(overrides: Record<string, unknown> = {}): DnsConfig {
  const r = resolveDnsConfig(overrides);
  assert.deepEqual(r.errors, []);
  return r.config;
}

function build(overrides: Record<string, unknown> = {}, state: ClusterState = fixtureState()): RecordSet {
  return buildRecordSet(state, cfg(overrides), { serial: 7 });
}

/** Sorted values of one name: addresses for A/AAAA, `target:port` for SRV, targets for PTR. */
function get(rs: RecordSet, kind: 'A' | 'AAAA' | 'SRV' | 'PTR', name: string): string[] {
  switch (kind) {
    case 'A':
      return (rs.a.get(name) ?? []).map((r) => r.text).sort();
    case 'AAAA':
      return (rs.aaaa.get(name) ?? []).map((r) => r.text).sort();
    case 'SRV':
      return (rs.srv.get(name) ?? []).map((s) => `${s.target}:${s.port}`).sort();
    case 'PTR':
      return [...(rs.ptr.get(name) ?? [])].sort();
  }
}

type Row = [kind: 'A' | 'AAAA' | 'SRV' | 'PTR', name: string, want: string[]];

function check(rs: RecordSet, rows: Row[]): void {
  for (const [kind, name, want] of rows) {
    test(`${kind} ${name} → ${want.length === 0 ? '(none)' : want.join(' ')}`, () => assert.deepEqual(get(rs, kind, name), [...want].sort()));
  }
}

describe('records from the fixture cluster (defaults: RFC 1123, IPSources netinfo,mesos,host)', () => {
  const rs = build();
  check(rs, [
    // masters
    ['A', 'leader.mesos.', ['10.0.0.1']],
    ['A', 'master.mesos.', ['10.0.0.1']],
    ['A', 'master0.mesos.', ['10.0.0.1']],
    ['SRV', '_leader._tcp.mesos.', ['leader.mesos.:5050']],
    ['SRV', '_leader._udp.mesos.', ['leader.mesos.:5050']],
    // SOA mname → the listener
    ['A', 'ns1.mesos.', ['127.0.0.1']],
    // agents: registered only, A and AAAA, plus Agora's agent.D alias
    ['A', 'slave.mesos.', ['10.0.0.10', '10.0.0.11']],
    ['AAAA', 'slave.mesos.', ['2001:db8::6']],
    ['A', 'agent.mesos.', ['10.0.0.10', '10.0.0.11']],
    ['SRV', '_slave._tcp.mesos.', ['slave.mesos.:5051', 'slave.mesos.:5052']],
    ['SRV', '_agent._tcp.mesos.', ['agent.mesos.:5051', 'agent.mesos.:5052']],
    // frameworks: webui URL gives address and port; hostname only → A without SRV; unresolvable → nothing
    ['A', 'marathon.mesos.', ['10.0.0.2']],
    ['SRV', '_framework._tcp.marathon.mesos.', ['marathon.mesos.:8080']],
    ['A', 'chronos.mesos.', ['10.0.0.3']],
    ['SRV', '_framework._tcp.chronos.mesos.', []],
    ['A', 'pod-123abc.marathon-0.6.0-dev.mesos.', []],
    ['AAAA', 'ipv6-framework.mesos.', ['2001:db8::1']],
    ['SRV', '_framework._tcp.ipv6-framework.mesos.', ['ipv6-framework.mesos.:9090']],

    // DiscoveryInfo: sanitized and legacy raw names, both instances, newest running status's address
    ['A', 'liquor-store.marathon.mesos.', ['10.3.0.1', '10.3.0.2']],
    ['A', 'liquor.store.marathon.mesos.', ['10.3.0.1', '10.3.0.2']],
    ['A', 'liquor-store.marathon.slave.mesos.', ['10.0.0.10', '10.0.0.11']],
    ['A', 'liquor-store-4dfjd-0.marathon.mesos.', ['10.3.0.1']],
    ['A', 'liquor-store-zasmd-s1.marathon.mesos.', ['10.3.0.2']],
    ['A', 'liquor-store-4dfjd-0.marathon.slave.mesos.', ['10.0.0.10']],
    ['A', 'liquor.store-4dfjd-0.marathon.mesos.', ['10.3.0.1']],
    // DI ports: plain names → canonical.D:diPort; host ports only under .slave.
    [
      'SRV',
      '_liquor-store._tcp.marathon.mesos.',
      ['liquor-store-4dfjd-0.marathon.mesos.:80', 'liquor-store-4dfjd-0.marathon.mesos.:443', 'liquor-store-zasmd-s1.marathon.mesos.:80', 'liquor-store-zasmd-s1.marathon.mesos.:443'],
    ],
    ['SRV', '_liquor-store._udp.marathon.mesos.', []],
    ['SRV', '_http._liquor-store._tcp.marathon.mesos.', ['liquor-store-4dfjd-0.marathon.mesos.:80', 'liquor-store-zasmd-s1.marathon.mesos.:80']],
    ['SRV', '_https._liquor-store._tcp.marathon.mesos.', ['liquor-store-4dfjd-0.marathon.mesos.:443', 'liquor-store-zasmd-s1.marathon.mesos.:443']],
    ['SRV', '_http._liquor.store._tcp.marathon.mesos.', ['liquor.store-4dfjd-0.marathon.mesos.:80', 'liquor.store-zasmd-s1.marathon.mesos.:80']],
    [
      'SRV',
      '_liquor-store._tcp.marathon.slave.mesos.',
      [
        'liquor-store-4dfjd-0.marathon.slave.mesos.:31000',
        'liquor-store-4dfjd-0.marathon.slave.mesos.:31005',
        'liquor-store-4dfjd-0.marathon.slave.mesos.:31006',
        'liquor-store-zasmd-s1.marathon.slave.mesos.:31001',
      ],
    ],
    ['SRV', '_liquor-store._udp.marathon.slave.mesos.', [
      'liquor-store-4dfjd-0.marathon.slave.mesos.:31000',
      'liquor-store-4dfjd-0.marathon.slave.mesos.:31005',
      'liquor-store-4dfjd-0.marathon.slave.mesos.:31006',
      'liquor-store-zasmd-s1.marathon.slave.mesos.:31001',
    ]],

    // no DI, no container address: host source; every port, tcp and udp, plain and .slave.
    ['A', 'car-store.marathon.mesos.', ['10.0.0.10']],
    ['A', 'car-store.marathon.slave.mesos.', ['10.0.0.10']],
    ['A', 'car-store-zinaz-0.marathon.mesos.', ['10.0.0.10']],
    ['SRV', '_car-store._tcp.marathon.mesos.', ['car-store-zinaz-0.marathon.slave.mesos.:31364', 'car-store-zinaz-0.marathon.slave.mesos.:31365']],
    ['SRV', '_car-store._udp.marathon.mesos.', ['car-store-zinaz-0.marathon.slave.mesos.:31364', 'car-store-zinaz-0.marathon.slave.mesos.:31365']],
    ['SRV', '_car-store._tcp.marathon.slave.mesos.', ['car-store-zinaz-0.marathon.slave.mesos.:31364', 'car-store-zinaz-0.marathon.slave.mesos.:31365']],

    // Marathon /prod/web → web.prod → web-prod
    ['A', 'web-prod.marathon.mesos.', ['10.0.0.11']],
    ['SRV', '_web-prod._tcp.marathon.mesos.', ['web-prod-f338c-s1.marathon.slave.mesos.:31500']],
    ['A', 'web.prod.marathon.mesos.', []],

    // DI name wins: big.dog2 appears as big-dog and big.dog, never big-dog2; empty DI protocol = tcp + udp
    ['A', 'big-dog.marathon.mesos.', ['10.3.0.7']],
    ['A', 'big.dog.marathon.mesos.', ['10.3.0.7']],
    ['A', 'big-dog2.marathon.mesos.', []],
    ['SRV', '_big-dog._tcp.marathon.mesos.', ['big-dog-ic8gz-s1.marathon.mesos.:8000']],
    ['SRV', '_big-dog._udp.marathon.mesos.', ['big-dog-ic8gz-s1.marathon.mesos.:8000']],

    // not running, unknown agent, gone agent, unhealthy: nothing
    ['A', 'killed.marathon.mesos.', []],
    ['A', 'staging.marathon.mesos.', []],
    ['A', 'orphan.marathon.mesos.', []],
    ['A', 'ongone.marathon.mesos.', []],
    ['A', 'sick.marathon.mesos.', []],
    ['A', 'sick.marathon.slave.mesos.', []],

    // Docker bridge address is not published; host address instead
    ['A', 'bridged.marathon.mesos.', ['10.0.0.11']],
    // invalid characters
    ['A', 'myapp-v2.marathon.mesos.', ['10.0.0.10']],
    // mesos label (docker is not in the default sources)
    ['A', 'labelled.marathon.mesos.', ['10.5.0.1']],
    // Chronos job
    ['A', 'chronostasknightlybackup.chronos.mesos.', ['10.0.0.10']],
    // dots in the framework name
    ['A', 'svc.pod-123abc.marathon-0.6.0-dev.mesos.', ['10.6.0.1']],
    ['A', 'svc.pod-123abc.marathon-0.6.0-dev.slave.mesos.', ['10.0.0.10']],
    // IPv6 agent and a dual-stack container (unparseable addresses skipped)
    ['AAAA', 'toy-store.ipv6-framework.mesos.', ['fd01:b::1:8000:2']],
    ['A', 'toy-store.ipv6-framework.mesos.', ['12.0.1.2']],
    ['AAAA', 'toy-store.ipv6-framework.slave.mesos.', ['2001:db8::6']],
    ['SRV', '_toy-store._tcp.ipv6-framework.mesos.', ['toy-store-hgap6-s6.ipv6-framework.slave.mesos.:32000']],

    // PTR: agent addresses → the agent's FQDN host name or slave.D; container addresses → canonical name
    ['PTR', '10.0.0.10.in-addr.arpa.', ['node0.example.com.']],
    ['PTR', '11.0.0.10.in-addr.arpa.', ['slave.mesos.']],
    ['PTR', '6.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.', ['slave.mesos.']],
    ['PTR', '1.0.3.10.in-addr.arpa.', ['liquor-store-4dfjd-0.marathon.mesos.']],
    ['PTR', '7.0.3.10.in-addr.arpa.', ['big-dog-ic8gz-s1.marathon.mesos.']],
    ['PTR', '2.0.0.0.0.0.0.8.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.b.0.0.0.1.0.d.f.ip6.arpa.', ['toy-store-hgap6-s6.ipv6-framework.mesos.']],
    ['PTR', '2.0.17.172.in-addr.arpa.', []],
    ['PTR', '19.0.0.10.in-addr.arpa.', []],
  ]);

  test('no duplicate values and every name is a plain lowercase FQDN', () => {
    for (const map of [rs.a, rs.aaaa]) {
      for (const [name, list] of map) {
        assert.match(name, /^[a-z0-9._-]+\.$/);
        assert.equal(new Set(list.map((r) => r.text)).size, list.length, name);
      }
    }
    for (const [name, list] of rs.srv) assert.equal(new Set(list.map((s) => `${s.target}:${s.port}`)).size, list.length, name);
  });

  test('SRV records: priority 0, weight SRVRecordDefaultWeight', () => {
    for (const list of rs.srv.values()) for (const s of list) assert.deepEqual([s.priority, s.weight], [0, 1]);
    const heavy = build({ SRVRecordDefaultWeight: 7 });
    assert.equal(heavy.srv.get('_car-store._tcp.marathon.mesos.')?.[0]?.weight, 7);
  });

  test('empty non-terminals are known names', () => {
    for (const n of ['mesos.', 'marathon.mesos.', 'slave.mesos.', 'marathon.slave.mesos.', '_tcp.marathon.mesos.', '_liquor-store._tcp.marathon.mesos.', 'marathon-0.6.0-dev.mesos.']) {
      assert.ok(rs.names.has(n), n);
    }
    assert.ok(!rs.names.has('nope.mesos.'));
  });

  test('enumeration lists every framework and the records each task added', () => {
    const m = rs.enumeration.frameworks.find((f) => f.name === 'marathon');
    assert.ok(m);
    const liquor = m.tasks.find((t) => t.id === FIXTURE_IDS.liquor1);
    assert.ok(liquor);
    assert.ok(liquor.records.some((r) => r.rtype === 'A' && r.name === 'liquor-store-4dfjd-0.marathon.mesos.' && r.host === '10.3.0.1'));
    assert.ok(liquor.records.some((r) => r.rtype === 'SRV' && r.host === 'liquor-store-4dfjd-0.marathon.mesos.:80'));
    assert.ok(!m.tasks.some((t) => t.name === 'killed'));
    assert.deepEqual(rs.enumeration.frameworks.map((f) => f.name), ['marathon', 'chronos', 'pod_123$abc.marathon-0.6.0-dev', 'ipv6-framework']);
  });

  test('serial comes from the build context', () => assert.equal(rs.serial, 7));
});

describe('switches', () => {
  test('EnforceRFC952: leading digits go, 24 characters, framework parts sanitized', () => {
    const rs = build({ EnforceRFC952: true });
    assert.deepEqual(get(rs, 'A', 'svc.pod-123abc.marathon-0.dev.mesos.'), ['10.6.0.1']);
    assert.deepEqual(get(rs, 'A', 'myapp-v2.marathon.mesos.'), ['10.0.0.10']);
  });

  test('healthAware=false answers unhealthy tasks too', () => {
    const rs = build({ healthAware: false });
    assert.deepEqual(get(rs, 'A', 'sick.marathon.mesos.'), ['10.0.0.10']);
  });

  test('routableAddressesOnly=false publishes the Docker bridge address (Mesos-DNS behaviour)', () => {
    const rs = build({ routableAddressesOnly: false });
    assert.deepEqual(get(rs, 'A', 'bridged.marathon.mesos.'), ['172.17.0.2']);
    assert.deepEqual(get(rs, 'PTR', '2.0.17.172.in-addr.arpa.'), ['bridged-hnoih-s1.marathon.mesos.']);
  });

  test('ptrOn=false: no PTR records', () => assert.equal(build({ ptrOn: false }).ptr.size, 0));

  test('another domain', () => {
    const rs = build({ Domain: 'Cluster.Local' });
    assert.deepEqual(get(rs, 'A', 'car-store.marathon.cluster.local.'), ['10.0.0.10']);
    assert.equal(rs.domain, 'cluster.local.');
  });

  test('reverse zones are parsed into apexes, most specific first', () => {
    const rs = build({ reverseZones: ['10.0.0.0/8', '10.3.0.0/16'] });
    assert.deepEqual(rs.reverseZones, ['3.10.in-addr.arpa.', '10.in-addr.arpa.']);
    assert.ok(rs.names.has('0.3.10.in-addr.arpa.'));
  });
});

describe('IP sources (first source with any address wins, only the newest running status counts)', () => {
  const rows: [string[], string, string[]][] = [
    [['netinfo', 'docker', 'mesos', 'host'], 'labelled.marathon.mesos.', ['10.4.0.1']],
    [['docker', 'host'], 'labelled.marathon.mesos.', ['10.4.0.1']],
    [['mesos', 'host'], 'labelled.marathon.mesos.', ['10.5.0.1']],
    [['host'], 'labelled.marathon.mesos.', ['10.0.0.11']],
    [['netinfo'], 'labelled.marathon.mesos.', []],
    [['netinfo'], 'liquor-store.marathon.mesos.', ['10.3.0.1', '10.3.0.2']],
    [['host'], 'liquor-store.marathon.mesos.', ['10.0.0.10', '10.0.0.11']],
    [['docker', 'host'], 'liquor-store.marathon.mesos.', ['10.0.0.10', '10.0.0.11']],
    [['bogus', 'netinfo'], 'liquor-store.marathon.mesos.', ['10.3.0.1', '10.3.0.2']],
    [[], 'car-store.marathon.mesos.', []],
  ];
  for (const [sources, name, want] of rows) {
    test(`${JSON.stringify(sources)}: ${name} → ${want.join(' ') || '(none)'}`, () => {
      const r = resolveDnsConfig({ IPSources: sources });
      const rs = buildRecordSet(fixtureState(), r.config);
      assert.deepEqual(get(rs, 'A', name), want);
    });
  }

  test('a task without a task address still gets its .slave. records', () => {
    const rs = buildRecordSet(fixtureState(), resolveDnsConfig({ IPSources: ['netinfo'] }).config);
    assert.deepEqual(get(rs, 'A', 'car-store.marathon.mesos.'), []);
    assert.deepEqual(get(rs, 'A', 'car-store.marathon.slave.mesos.'), ['10.0.0.10']);
  });

  test('an older running status with an address does not count when the newest has none', () => {
    const state = fixtureState();
    const t = state.frameworks[0]?.tasks[0];
    assert.ok(t);
    t.statuses = [
      { ...t.statuses[0]!, ipAddresses: ['10.8.8.8'], timestamp: 1 },
      { ...t.statuses[0]!, ipAddresses: undefined, timestamp: 2 },
    ];
    const rs = buildRecordSet(state, resolveDnsConfig({ IPSources: ['netinfo'] }).config);
    assert.deepEqual(get(rs, 'A', 'liquor-store-4dfjd-0.marathon.mesos.'), []);
  });
});

describe('master records (leader, masterN order, duplicates)', () => {
  const leader = (ip: string, port: number) => ({ id: 'l', hostname: 'l', ip, port, url: '', version: '' });
  const withLeader = (ip: string, port: number): ClusterState => ({ ...fixtureState(), frameworks: [], agents: [], leader: leader(ip, port), master: leader(ip, port) });
  const rows: [string, string[], [string, number], Row[]][] = [
    ['malformed leader: empty ip', [], ['', 5050], [['A', 'leader.foo.com.', []], ['SRV', '_leader._tcp.foo.com.', []], ['A', 'master0.foo.com.', []]]],
    ['malformed leader: not an ip', [], ['3', 4], [['A', 'leader.foo.com.', []]]],
    ['malformed leader: bad port', [], ['0.0.0.6', 70000], [['A', 'leader.foo.com.', []]]],
    ['leader only', [], ['0.0.0.6', 7], [
      ['A', 'leader.foo.com.', ['0.0.0.6']],
      ['A', 'master.foo.com.', ['0.0.0.6']],
      ['A', 'master0.foo.com.', ['0.0.0.6']],
      ['SRV', '_leader._tcp.foo.com.', ['leader.foo.com.:7']],
      ['SRV', '_leader._udp.foo.com.', ['leader.foo.com.:7']],
    ]],
    ['IPv6 leader', [], ['2001:db8::1', 7], [
      ['AAAA', 'leader.foo.com.', ['2001:db8::1']],
      ['AAAA', 'master.foo.com.', ['2001:db8::1']],
      ['AAAA', 'master0.foo.com.', ['2001:db8::1']],
      ['SRV', '_leader._tcp.foo.com.', ['leader.foo.com.:7']],
    ]],
    ['leader is the single listed master', ['0.0.0.6:7'], ['0.0.0.6', 7], [['A', 'master0.foo.com.', ['0.0.0.6']], ['A', 'master1.foo.com.', []]]],
    ['leader not listed: next index', ['0.0.0.8:9'], ['0.0.0.6', 7], [
      ['A', 'master.foo.com.', ['0.0.0.6', '0.0.0.8']],
      ['A', 'master0.foo.com.', ['0.0.0.8']],
      ['A', 'master1.foo.com.', ['0.0.0.6']],
    ]],
    ['duplicate masters skipped', ['0.0.0.8:9', '0.0.0.8:9'], ['0.0.0.6', 7], [
      ['A', 'master0.foo.com.', ['0.0.0.8']],
      ['A', 'master1.foo.com.', ['0.0.0.6']],
      ['A', 'master2.foo.com.', []],
    ]],
    ['leader listed last, and twice', ['0.0.0.8:9', '0.0.0.6:7', '0.0.0.6:7'], ['0.0.0.6', 7], [
      ['A', 'master0.foo.com.', ['0.0.0.8']],
      ['A', 'master1.foo.com.', ['0.0.0.6']],
      ['A', 'master2.foo.com.', []],
    ]],
    ['leader in the middle, IPv6 master', ['0.0.0.8:9', '0.0.0.6:7', '[2001:db8::1]:0'], ['0.0.0.6', 7], [
      ['A', 'master.foo.com.', ['0.0.0.6', '0.0.0.8']],
      ['AAAA', 'master.foo.com.', ['2001:db8::1']],
      ['A', 'master0.foo.com.', ['0.0.0.8']],
      ['A', 'master1.foo.com.', ['0.0.0.6']],
      ['AAAA', 'master2.foo.com.', ['2001:db8::1']],
    ]],
    ['unparseable master entries are skipped', ['nonsense', 'host.example:5050', '0.0.0.8:9'], ['0.0.0.6', 7], [
      ['A', 'master0.foo.com.', ['0.0.0.8']],
      ['A', 'master1.foo.com.', ['0.0.0.6']],
    ]],
  ];
  for (const [title, masters, [ip, port], expect] of rows) {
    describe(title, () => {
      const rs = buildRecordSet(withLeader(ip, port), resolveDnsConfig({ Domain: 'foo.com', Masters: masters }).config);
      check(rs, expect);
    });
  }
});

describe('host names resolved by the caller', () => {
  test('frameworks, agents and masters given by name use resolveHost', () => {
    const state = fixtureState();
    state.agents[1]!.ip = 'node1.example.com';
    const rs = buildRecordSet(state, resolveDnsConfig({ Masters: ['m2.example.com:5050'] }).config, {
      resolveHost: (h) => ({ 'unresolvable-host': ['10.0.0.40'], 'node1.example.com': ['10.0.0.41'], 'm2.example.com': ['10.0.0.42'] })[h],
    });
    assert.deepEqual(get(rs, 'A', 'pod-123abc.marathon-0.6.0-dev.mesos.'), ['10.0.0.40']);
    assert.deepEqual(get(rs, 'A', 'slave.mesos.'), ['10.0.0.10', '10.0.0.41']);
    assert.deepEqual(get(rs, 'A', 'master0.mesos.'), ['10.0.0.42']);
    assert.deepEqual(get(rs, 'A', 'master1.mesos.'), ['10.0.0.1']);
  });

  test('an agent whose address cannot be resolved gets no records (no sanitized-hostname "IP")', () => {
    const state = fixtureState();
    state.agents[0]!.ip = 'unknown-host';
    state.agents[0]!.hostname = 'unknown-host';
    const rs = buildRecordSet(state, resolveDnsConfig({}).config);
    assert.deepEqual(get(rs, 'A', 'slave.mesos.'), ['10.0.0.11']);
    assert.deepEqual(get(rs, 'A', 'car-store.marathon.slave.mesos.'), []);
  });
});

describe('listener (SOA mname) records', () => {
  test('explicit listener, IPv6 listener, wildcard with local addresses (loopback excluded)', () => {
    assert.deepEqual(get(buildRecordSet(undefined, cfg({ Listener: '4.5.6.7', SOAMname: 'jdef123.mesos.' })), 'A', 'jdef123.mesos.'), ['4.5.6.7']);
    assert.deepEqual(get(buildRecordSet(undefined, cfg({ Listener: '2001:db8::1', SOAMname: 'ack456.mesos' })), 'AAAA', 'ack456.mesos.'), ['2001:db8::1']);
    const wild = buildRecordSet(undefined, cfg({ Listener: '0.0.0.0' }), { localAddresses: ['127.0.0.1', '10.1.1.1', '::1', 'fd00::5'] });
    assert.deepEqual(get(wild, 'A', 'ns1.mesos.'), ['10.1.1.1']);
    assert.deepEqual(get(wild, 'AAAA', 'ns1.mesos.'), ['fd00::5']);
  });

  test('no state yet: only the listener, the zone still exists', () => {
    const rs = buildRecordSet(undefined, cfg());
    assert.deepEqual([...rs.a.keys()], ['ns1.mesos.']);
    assert.ok(rs.names.has('mesos.'));
  });
});

describe('unservable names are skipped, not published', () => {
  test('a raw DiscoveryInfo name with a space or a 64-character label', () => {
    const state = fixtureState();
    const t = state.frameworks[0]!.tasks[3]!;
    t.discovery = { name: 'web prod', visibility: 'FRAMEWORK', ports: [] };
    const long = state.frameworks[0]!.tasks[2]!;
    long.discovery = { name: 'x'.repeat(64), visibility: 'FRAMEWORK', ports: [] };
    const rs = buildRecordSet(state, cfg());
    assert.deepEqual(get(rs, 'A', 'webprod.marathon.mesos.'), ['10.0.0.11']);
    assert.ok(rs.skipped.includes('web prod.marathon.mesos.'));
    assert.deepEqual(get(rs, 'A', `${'x'.repeat(63)}.marathon.mesos.`), ['10.0.0.10']);
    assert.ok(rs.skipped.some((n) => n.startsWith('x'.repeat(64))));
  });

  test('a framework whose name sanitizes to nothing produces no names with empty labels', () => {
    const state = fixtureState();
    state.frameworks[1]!.info.name = '$$$';
    const rs = buildRecordSet(state, cfg());
    for (const n of rs.a.keys()) assert.ok(!n.includes('..') && !n.startsWith('.'), n);
  });
});
