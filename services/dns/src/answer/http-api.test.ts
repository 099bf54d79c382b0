import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRecordSet, resolveDnsConfig } from '../records';
import { fixtureState } from '../records/fixture-state';
import { axfr, enumerate, lookupHosts, lookupServices } from './http-api';

const rs = buildRecordSet(fixtureState(), resolveDnsConfig({}).config, { serial: 9 });

describe('Mesos-DNS HTTP API bodies', () => {
  test('/v1/hosts: lowercased FQDN, A then AAAA', () => {
    assert.deepEqual(lookupHosts(rs, 'Toy-Store.ipv6-framework.mesos'), [
      { host: 'toy-store.ipv6-framework.mesos.', ip: '12.0.1.2' },
      { host: 'toy-store.ipv6-framework.mesos.', ip: 'fd01:b::1:8000:2' },
    ]);
  });
  test('/v1/hosts miss: one empty entry', () => assert.deepEqual(lookupHosts(rs, 'nope.mesos.'), [{ host: '', ip: '' }]));
  test('/v1/services: the spec example', () => {
    assert.deepEqual(lookupServices(rs, '_leader._tcp.mesos.'), [{ service: '_leader._tcp.mesos.', host: 'leader.mesos.', ip: '10.0.0.1', port: '5050' }]);
  });
  test('/v1/services echoes the path parameter exactly and lists each target', () => {
    const r = lookupServices(rs, '_car-store._TCP.marathon.mesos');
    assert.deepEqual(r, [
      { service: '_car-store._TCP.marathon.mesos', host: 'car-store-zinaz-0.marathon.slave.mesos.', ip: '10.0.0.10', port: '31364' },
      { service: '_car-store._TCP.marathon.mesos', host: 'car-store-zinaz-0.marathon.slave.mesos.', ip: '10.0.0.10', port: '31365' },
    ]);
  });
  test('/v1/services miss: one empty entry', () => {
    assert.deepEqual(lookupServices(rs, '_nope._tcp.mesos.'), [{ service: '', host: '', ip: '', port: '' }]);
  });
  test('/v1/axfr and /v1/enumerate', () => {
    const z = axfr(rs);
    assert.equal(z.Serial, 9);
    assert.equal(z.Domain, 'mesos');
    assert.deepEqual(z.Records.As['leader.mesos.'], ['10.0.0.1']);
    assert.deepEqual(z.Records.SRVs['_leader._tcp.mesos.'], ['leader.mesos.:5050']);
    assert.ok(enumerate(rs).frameworks.length === 4);
  });
});
