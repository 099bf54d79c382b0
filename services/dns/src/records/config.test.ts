import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultDnsConfig, resolveDnsConfig } from './config';

describe('DnsConfig', () => {
  test('defaults mirror Mesos-DNS records/config.go (ports and listener are Agora\'s)', () => {
    const c = resolveDnsConfig(undefined).config;
    assert.equal(c.Domain, 'mesos');
    assert.equal(c.TTL, 60);
    assert.equal(c.SRVRecordDefaultWeight, 1);
    assert.equal(c.SOAMname, 'ns1.mesos.');
    assert.equal(c.SOARname, 'root.ns1.mesos.');
    assert.equal(c.SOARefresh, 60);
    assert.equal(c.SOARetry, 600);
    assert.equal(c.SOAExpire, 86400);
    assert.equal(c.SOAMinttl, 60);
    assert.deepEqual(c.IPSources, ['netinfo', 'mesos', 'host']);
    assert.equal(c.EnforceRFC952, false);
    assert.equal(c.HttpPort, 8123);
    assert.equal(c.Port, 8053);
    assert.equal(c.healthAware, true);
    assert.equal(c.mesosDnsAnswerQuirks, true);
  });

  test('keys match case-insensitively, as Go decodes config.json', () => {
    const r = resolveDnsConfig({ domain: 'Cluster.Example.', ttl: 5, ipsources: ['host'], enforceRFC952: true, soarname: 'admin@example.org', SOAMNAME: 'ns.example.org.', masters: ['10.0.0.1:5050'] });
    assert.deepEqual(r.errors, []);
    assert.equal(r.config.Domain, 'cluster.example');
    assert.equal(r.config.TTL, 5);
    assert.deepEqual(r.config.IPSources, ['host']);
    assert.equal(r.config.EnforceRFC952, true);
    assert.equal(r.config.SOARname, 'admin.example.org.');
    assert.equal(r.config.SOAMname, 'ns.example.org.');
    assert.deepEqual(r.config.Masters, ['10.0.0.1:5050']);
  });

  test('wrong types and bad values are reported and the default stays', () => {
    const r = resolveDnsConfig({ TTL: 'sixty', Domain: 'bad domain!', IPSources: ['netinfo', 'rkt'], reverseZones: ['10.0.0.0/12'], bogus: 1 });
    assert.equal(r.config.TTL, 60);
    assert.equal(r.config.Domain, 'mesos');
    assert.equal(r.errors.length, 4);
    assert.deepEqual(r.unknownKeys, ['bogus']);
  });

  test('defaultDnsConfig returns a fresh object', () => {
    const a = defaultDnsConfig();
    a.Masters.push('x');
    assert.deepEqual(defaultDnsConfig().Masters, []);
  });
});
