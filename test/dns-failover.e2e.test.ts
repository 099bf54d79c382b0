import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CORE_COMPONENTS, dnsComponent } from '@agora/launcher';
import { startTestCluster, waitFor, TestFramework, type TestCluster } from '@agora/testing';
import { RRType, Rcode, type DnsMessage } from '../services/dns/src/wire';
import { DnsClient } from '../services/dns/src/testing/dns-client';
import { dig, rdata } from '../services/dns/src/testing/dig';

/** The cluster core plus the DNS server (test clusters run only the core unless asked). */
const WITH_DNS = [...CORE_COMPONENTS, dnsComponent];

/**
 * DNS through a master failover and through its own restart: `leader.mesos` follows the new leader, a
 * running task keeps resolving the whole time (no empty answers while agents re-register with the new
 * leader), and a restarted DNS server answers SERVFAIL until it has a snapshot, never NXDOMAIN.
 */
describe('dns across master failover and its own restart', () => {
  let c: TestCluster | undefined;
  let fw: TestFramework | undefined;
  let client: DnsClient | undefined;
  let server = { host: '127.0.0.1', port: 0 };

  before(async () => {
    c = await startTestCluster({ components: WITH_DNS, masters: 2, agents: 1, agentResources: 'cpus:2;mem:1024;disk:1000;ports:[31000-31099]', logLevel: process.env.AGORA_LOG_LEVEL ?? 'warn' });
    const plan = c.cluster.portPlan.services;
    server = { host: plan.dns.ip, port: plan.dns.port };
    client = new DnsClient(server.host, server.port);
    fw = new TestFramework(await c.bus(), { name: 'dnsfail', failoverTimeoutSeconds: 300 });
    await fw.start();
  });
  after(async () => {
    client?.close();
    await fw?.stop();
    await c?.stop();
  });

  const srvPort = (m: DnsMessage | undefined): number | undefined => {
    const r = m?.answers.find((a) => a.data.kind === 'SRV');
    return r?.data.kind === 'SRV' ? r.data.port : undefined;
  };

  test('leader.mesos follows the new leader; the task never stops resolving', async (t) => {
    assert.ok(c && fw && client);
    await fw.launch([{ taskId: 'steady.1', command: 'sleep 300' }]);
    await fw.waitForState('steady.1', 'TASK_RUNNING');
    await waitFor(async () => DnsClient.addresses(await client!.query('steady.dnsfail.mesos')).includes('127.0.1.1'), { what: 'steady.1 to resolve' });

    const leaderUrl = await c.leaderUrl();
    const idx = c.masters.findIndex((m) => m.url === leaderUrl);
    assert.ok(idx >= 0);
    const oldLeader = c.masters[idx]!;
    const other = c.masters[1 - idx]!;
    assert.equal(srvPort(await client.query('_leader._tcp.mesos', RRType.SRV)), oldLeader.port);

    let polls = 0;
    let missing = 0;
    let running = true;
    const poller = (async () => {
      while (running) {
        const m = await client!.query('steady.dnsfail.mesos', RRType.A, 1000);
        polls++;
        if (!DnsClient.addresses(m).includes('127.0.1.1')) missing++;
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    try {
      await c.killMaster(idx, 'SIGKILL');
      await waitFor(async () => srvPort(await client!.query('_leader._tcp.mesos', RRType.SRV)) === other.port, {
        what: '_leader._tcp.mesos to point at the new leader',
        timeoutMs: 60_000,
        intervalMs: 100,
      });
      const elected = Date.now();
      // The agent re-registers with the new leader and reports the task; keep watching a little longer.
      await waitFor(() => Date.now() - elected > 4000, { timeoutMs: 10_000, intervalMs: 200 });
    } finally {
      running = false;
      await poller;
    }
    t.diagnostic(`${polls} polls during the failover, ${missing} without the task`);
    assert.equal(missing, 0, 'the task resolved throughout the failover');
    const leaderA = await dig(server, 'leader.mesos', 'A');
    assert.deepEqual(rdata(leaderA.answers), [other.ip]);
    assert.deepEqual(rdata((await dig(server, 'steady.dnsfail.mesos', 'A')).answers), ['127.0.1.1']);

    // The old master comes back as a standby; the leader stays.
    await c.restartMaster(idx);
    assert.equal(srvPort(await client.query('_leader._tcp.mesos', RRType.SRV)), other.port);
  });

  test('a restarted DNS server answers SERVFAIL or nothing until it has a snapshot, never NXDOMAIN', async () => {
    assert.ok(c && client);
    const seen = new Map<number, number>();
    let running = true;
    const poller = (async () => {
      while (running) {
        const m: DnsMessage | undefined = await client!.query('steady.dnsfail.mesos', RRType.A, 300);
        if (m) seen.set(m.rcode, (seen.get(m.rcode) ?? 0) + 1);
        if (m && m.rcode === Rcode.NOERROR) assert.deepEqual(DnsClient.addresses(m), ['127.0.1.1']);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    try {
      await c.cluster.restart('dns', 0);
      await waitFor(async () => DnsClient.addresses(await client!.query('steady.dnsfail.mesos')).includes('127.0.1.1'), { what: 'answers after the restart' });
    } finally {
      running = false;
      await poller;
    }
    assert.equal(seen.get(Rcode.NXDOMAIN) ?? 0, 0, `rcodes seen: ${JSON.stringify([...seen])}`);
  });
});
