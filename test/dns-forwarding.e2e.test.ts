import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ManagedProcess, isAlive } from '@agora/launcher';
import { findFreePort, startTestCluster, waitFor, httpJson, httpRequest, type TestCluster } from '@agora/testing';
import { RRType } from '../services/dns/src/wire';
import { DnsClient } from '../services/dns/src/testing/dns-client';
import { dig, rdata } from '../services/dns/src/testing/dig';
import { StaticDnsServer } from '../services/dns/src/testing/static-dns-server';
import { spawnDns, type SpawnedDns } from '../services/dns/src/testing/spawn-dns';

/**
 * The DNS server's own configuration paths, each against real processes: forwarding of names outside
 * the domain to upstream resolvers (two small DNS servers this test starts on loopback), per-zone
 * resolvers, SERVFAIL when no upstream answers, SIGHUP reload without dropping queries, and SERVFAIL (not
 * NXDOMAIN) before the first cluster snapshot.
 */
describe('dns forwarding, reload and start-up', () => {
  let c: TestCluster | undefined;
  let dns: SpawnedDns | undefined;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-dns-fwd-'));
  const upstreamA = new StaticDnsServer({ 'example.test.': ['192.0.2.10'], 'only-a.test.': ['192.0.2.11'] });
  const upstreamB = new StaticDnsServer({ 'host.corp.test.': ['192.0.2.20'], 'example.test.': ['192.0.2.99'] });
  let portA = 0;
  let portB = 0;
  let deadPort = 0;
  const baseConfig = (): Record<string, unknown> => ({
    resolvers: [`127.0.0.1:${portA}`],
    zoneResolvers: { 'corp.test': [`127.0.0.1:${portB}`], 'dead.test': [`127.0.0.1:${deadPort}`] },
    timeout: 1,
    ttl: 60,
  });

  before(async () => {
    portA = await findFreePort({ udp: true });
    portB = await findFreePort({ udp: true });
    deadPort = await findFreePort({ udp: true });
    await upstreamA.listen('127.0.0.1', portA);
    await upstreamB.listen('127.0.0.1', portB);
    c = await startTestCluster({ agents: 1, logLevel: 'warn' });
    dns = await spawnDns({ nats: c.nats, workDir: work, config: baseConfig() });
    await dns.waitHealth(200);
  });
  after(async () => {
    await dns?.stop();
    await c?.stop();
    await upstreamA.close();
    await upstreamB.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('names outside the domain go to the upstream resolvers, per zone where configured', async () => {
    assert.ok(dns);
    const before = upstreamA.queries;
    const r = await dig(dns, 'example.test', 'A');
    assert.equal(r.status, 'NOERROR');
    assert.deepEqual(rdata(r.answers), ['192.0.2.10']);
    assert.ok(upstreamA.queries > before, 'upstream A was asked');
    assert.deepEqual(rdata((await dig(dns, 'example.test', 'A', ['+tcp'])).answers), ['192.0.2.10'], 'also for a TCP client');
    assert.equal((await dig(dns, 'missing.test', 'A')).status, 'NXDOMAIN', "the upstream's NXDOMAIN is passed on");
    assert.deepEqual(rdata((await dig(dns, 'host.corp.test', 'A')).answers), ['192.0.2.20'], 'ZoneResolvers win for their zone');
    // Our own domain never leaves the server.
    const q = upstreamA.queries + upstreamB.queries;
    assert.equal((await dig(dns, 'nothing.mesos', 'A')).status, 'NXDOMAIN');
    assert.equal(upstreamA.queries + upstreamB.queries, q);
  });

  test('no upstream answering → SERVFAIL after the timeout', async () => {
    assert.ok(dns);
    const t0 = Date.now();
    const r = await dig(dns, 'x.dead.test', 'A', ['+time=4']);
    assert.equal(r.status, 'SERVFAIL');
    assert.ok(Date.now() - t0 < 3500, 'within about the configured 1 s timeout');
    assert.equal((await dig(dns, 'leader.mesos', 'A')).status, 'NOERROR', 'and the server goes on');
  });

  test('SIGHUP reloads the config without dropping a query; a broken file keeps the running config', async () => {
    assert.ok(dns?.configFile);
    const client = new DnsClient(dns.host, dns.port);
    let asked = 0;
    let unanswered = 0;
    let running = true;
    const loop = (async () => {
      while (running) {
        asked++;
        const m = await client.query('leader.mesos', RRType.A, 1000);
        if (!m || m.rcode !== 0 || m.answers.length !== 1) unanswered++;
      }
    })();
    try {
      fs.writeFileSync(dns.configFile, JSON.stringify({ ...baseConfig(), ttl: 7, resolvers: [`127.0.0.1:${portB}`] }));
      process.kill(dns.proc.pid, 'SIGHUP');
      await waitFor(async () => (await httpJson<{ TTL: number }>(`${dns!.url}/v1/config`)).TTL === 7, { what: 'TTL 7 after SIGHUP' });
      const leader = await dig(dns, 'leader.mesos', 'A');
      assert.match(leader.answers[0] ?? '', /^leader\.mesos\.\s+7\s+IN\s+A\s/);
      assert.deepEqual(rdata((await dig(dns, 'example.test', 'A')).answers), ['192.0.2.99'], 'the new resolvers are used');

      fs.writeFileSync(dns.configFile, '{ not json');
      process.kill(dns.proc.pid, 'SIGHUP');
      await waitFor(() => dns!.proc.logTail(5).includes('config reload failed'), { what: 'the reload error in the log' });
      assert.equal((await httpJson<{ TTL: number }>(`${dns.url}/v1/config`)).TTL, 7);
      assert.ok(dns.proc.running);
    } finally {
      running = false;
      await loop;
      client.close();
    }
    assert.ok(asked > 20, `queries were asked throughout (${asked})`);
    assert.equal(unanswered, 0, `every one of ${asked} queries was answered`);
  });

  test('--workers 2: both workers answer, SIGHUP reaches each, SIGTERM stops them all', async () => {
    const w = await spawnDns({ nats: c!.nats, workDir: path.join(work, 'workers'), name: 'dns-workers', config: baseConfig(), flags: ['--workers', '2', '--log-level', 'info'] });
    /** Worker pids from the log lines carrying `msg` (pino JSON: pid first, worker index later). */
    const pidsLogging = (msg: string): Set<number> =>
      new Set([...w.proc.logTail(500).matchAll(/"pid":(\d+)[^\n]*"worker":\d[^\n]*"msg":"([^"]*)"/g)].filter((m) => m[2] === msg).map((m) => Number(m[1])));
    try {
      await w.waitHealth(200);
      const workers = await waitFor(() => (pidsLogging('dns listening').size === 2 ? pidsLogging('dns listening') : undefined), { what: 'two workers listening' });
      assert.ok(!workers.has(w.proc.pid), 'the answering processes are the workers, not the primary');
      const client = new DnsClient(w.host, w.port);
      try {
        for (let i = 0; i < 20; i++) assert.equal((await client.query('leader.mesos', RRType.A, 1000))?.answers.length, 1);
      } finally {
        client.close();
      }
      fs.writeFileSync(w.configFile!, JSON.stringify({ ...baseConfig(), ttl: 9 }));
      process.kill(w.proc.pid, 'SIGHUP');
      await waitFor(() => pidsLogging('config reloaded').size === 2, { what: 'both workers reloaded' });
      for (let i = 0; i < 6; i++) assert.equal((await httpJson<{ TTL: number }>(`${w.url}/v1/config`)).TTL, 9);
      const exit = await w.proc.stop('SIGTERM', 8000);
      assert.deepEqual(exit, { code: 0, signal: null });
      for (const pid of workers) assert.ok(!isAlive(pid), `worker ${pid} is gone`);
    } finally {
      await w.stop();
    }
  });

  test('before the first cluster snapshot: SERVFAIL for our names, forwarding works, HTTP says 503', async () => {
    const natsPort = await findFreePort();
    const nats = ManagedProcess.spawn({ name: 'bare-nats', command: 'nats-server', args: ['-a', '127.0.0.1', '-p', String(natsPort)], logFile: path.join(work, 'bare-nats.log') });
    let lonely: SpawnedDns | undefined;
    try {
      lonely = await spawnDns({ nats: `nats://127.0.0.1:${natsPort}`, workDir: work, name: 'dns-no-master', config: baseConfig() });
      await lonely.waitHealth(503);
      const r = await dig(lonely, 'leader.mesos', 'A');
      assert.equal(r.status, 'SERVFAIL', 'never an NXDOMAIN a resolver would cache');
      assert.equal((await dig(lonely, 'web.marathon.mesos', 'A', ['+tcp'])).status, 'SERVFAIL');
      assert.deepEqual(rdata((await dig(lonely, 'example.test', 'A')).answers), ['192.0.2.10']);
      assert.equal((await httpRequest(`${lonely.url}/v1/hosts/leader.mesos`)).status, 503);
    } finally {
      await lonely?.stop();
      await nats.stop('SIGTERM', 5000);
    }
  });
});
