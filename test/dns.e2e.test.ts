import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { execFile } from 'node:child_process';
import { builtMain, CORE_COMPONENTS, dnsComponent } from '@agora/launcher';
import { GetState, type TaskView } from '@agora/contracts';
import { startTestCluster, waitFor, httpJson, httpRequest, TestFramework, type TestCluster } from '@agora/testing';
import { RRType, buildQuery } from '../services/dns/src/wire';
import { DnsClient } from '../services/dns/src/testing/dns-client';
import { dig, rdata } from '../services/dns/src/testing/dig';

/** The cluster core plus the DNS server (test clusters run only the core unless asked). */
const WITH_DNS = [...CORE_COMPONENTS, dnsComponent];

/**
 * services/dns against a real cluster (nats-server, Consul, one master, two agents on 127.0.1.1 and
 * 127.0.1.2, the DNS server the launcher starts), with Debian's `dig` as the client: task names by A and
 * SRV, freshness on launch / scale / kill, TCP, truncation, the HTTP API with its watch stream, bad input.
 */
const FRESH_MS = 1000;

function agora(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [builtMain('cli/src/main'), ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('dns end to end', () => {
  let c: TestCluster | undefined;
  let fw: TestFramework | undefined;
  let server = { host: '127.0.0.1', port: 0 };
  let http = '';
  let client: DnsClient | undefined;

  before(async () => {
    c = await startTestCluster({ components: WITH_DNS, agents: 2, agentResources: 'cpus:4;mem:2048;disk:1000;ports:[31000-31099]', logLevel: process.env.AGORA_LOG_LEVEL ?? 'warn' });
    const plan = c.cluster.portPlan.services;
    server = { host: plan.dns.ip, port: plan.dns.port };
    http = `http://${plan.dnsHttp.ip}:${plan.dnsHttp.port}`;
    client = new DnsClient(server.host, server.port);
    fw = new TestFramework(await c.bus(), { name: 'dnstest', hostname: '127.0.0.1', webuiUrl: 'http://127.0.0.1:9999/' });
    await fw.start();
  });
  after(async () => {
    client?.close();
    await fw?.stop();
    await c?.stop();
  });

  const agentId = async (i: number): Promise<string> => {
    const bus = await c!.bus();
    const st = await bus.request(GetState, [], {});
    const a = st.agents.find((x) => x.ip === `127.0.1.${i + 1}`);
    assert.ok(a, `agent ${i + 1} is registered`);
    return a.id;
  };
  const taskView = async (taskId: string): Promise<TaskView> => {
    const st = await (await c!.bus()).request(GetState, [], {});
    const t = st.frameworks.flatMap((f) => f.tasks).find((x) => x.taskId === taskId);
    assert.ok(t, `${taskId} is known to the master`);
    return t;
  };
  /** Polls our server (in-process client: dig's start-up time would blur the measurement) until `ok`. */
  const resolvesWithin = async (name: string, ok: (ips: string[]) => boolean, ms: number, what: string): Promise<number> => {
    const t0 = Date.now();
    await waitFor(async () => ok(DnsClient.addresses(await client!.query(name, RRType.A, 500))), { what, timeoutMs: ms, intervalMs: 20 });
    return Date.now() - t0;
  };

  test('a task resolves by A and SRV with its agent address and ports, within 1 s of TASK_RUNNING', async (t) => {
    assert.ok(fw);
    await fw.launch([{ taskId: 'web.1', command: 'sleep 300', ports: 2 }], await agentId(0));
    await fw.waitForState('web.1', 'TASK_RUNNING');
    const ms = await resolvesWithin('web.dnstest.mesos', (ips) => ips.includes('127.0.1.1'), FRESH_MS, 'web.dnstest.mesos to resolve');
    t.diagnostic(`resolvable ${ms} ms after the framework saw TASK_RUNNING`);

    const a = await dig(server, 'web.dnstest.mesos', 'A');
    assert.equal(a.status, 'NOERROR');
    assert.ok(a.flags.includes('aa'));
    assert.deepEqual(rdata(a.answers), ['127.0.1.1']);
    assert.deepEqual(rdata((await dig(server, 'WEB.DnsTest.MESOS', 'A')).answers), ['127.0.1.1'], 'case-insensitive');
    assert.deepEqual(rdata((await dig(server, 'web.dnstest.slave.mesos', 'A')).answers), ['127.0.1.1']);

    const view = await taskView('web.1');
    const ports = view.resources.ports.flatMap((r) => Array.from({ length: r.end - r.begin + 1 }, (_, i) => r.begin + i)).sort();
    assert.equal(ports.length, 2);
    const srv = await dig(server, '_web._tcp.dnstest.mesos', 'SRV');
    assert.equal(srv.status, 'NOERROR');
    const got = rdata(srv.answers).map((l) => l.split(' '));
    assert.deepEqual(got.map((f) => Number(f[2])).sort(), ports);
    for (const f of got) {
      assert.equal(f[0], '0');
      assert.equal(f[1], '1');
      assert.match(f[3] ?? '', /^web-[a-z0-9]{5}-[a-z0-9]+\.dnstest\.slave\.mesos\.$/);
    }
    assert.match(srv.raw, /ADDITIONAL SECTION:\n\S+\s+60\s+IN\s+A\s+127\.0\.1\.1/);
    assert.equal((await dig(server, '_web._udp.dnstest.mesos', 'SRV')).answerCount, 2);

    const tcp = await dig(server, 'web.dnstest.mesos', 'A', ['+tcp']);
    assert.deepEqual(rdata(tcp.answers), ['127.0.1.1'], 'TCP answers too');

    const miss = await dig(server, 'nope.dnstest.mesos', 'A');
    assert.equal(miss.status, 'NXDOMAIN');
    assert.match(miss.raw, /AUTHORITY SECTION:\nmesos\.\s+60\s+IN\s+SOA\s+ns1\.mesos\. root\.ns1\.mesos\./);
    const nodata = await dig(server, 'web.dnstest.mesos', 'AAAA');
    assert.equal(nodata.status, 'NOERROR');
    assert.equal(nodata.answerCount, 0);
  });

  test('a second task on the other agent joins the answer within 1 s; a killed one leaves within 1 s', async (t) => {
    assert.ok(fw);
    await fw.launch([{ taskId: 'web.2', command: 'sleep 300', ports: 2 }], await agentId(1));
    await fw.waitForState('web.2', 'TASK_RUNNING');
    const up = await resolvesWithin('web.dnstest.mesos', (ips) => ips.includes('127.0.1.1') && ips.includes('127.0.1.2'), FRESH_MS, 'both tasks in the answer');
    const both = await dig(server, 'web.dnstest.mesos', 'A');
    assert.deepEqual(rdata(both.answers).sort(), ['127.0.1.1', '127.0.1.2']);
    assert.equal((await dig(server, '_web._tcp.dnstest.mesos', 'SRV')).answerCount, 4);

    await fw.driver.kill('web.1');
    await fw.waitForState('web.1', 'TASK_KILLED');
    const down = await resolvesWithin('web.dnstest.mesos', (ips) => ips.length === 1 && ips[0] === '127.0.1.2', FRESH_MS, 'the killed task to leave the answer');
    t.diagnostic(`scale up visible after ${up} ms, kill after ${down} ms`);
    assert.deepEqual(rdata((await dig(server, 'web.dnstest.mesos', 'A')).answers), ['127.0.1.2']);

    await fw.driver.kill('web.2');
    await fw.waitForState('web.2', 'TASK_KILLED');
    await resolvesWithin('web.dnstest.mesos', (ips) => ips.length === 0, FRESH_MS, 'the last task to leave');
    assert.equal((await dig(server, 'web.dnstest.mesos', 'A')).status, 'NXDOMAIN');
  });

  test('cluster names: leader, master, agents, framework, SOA and NS', async () => {
    assert.ok(c);
    const leader = new URL((await c.leaderUrl()) ?? '');
    assert.deepEqual(rdata((await dig(server, 'leader.mesos', 'A')).answers), [leader.hostname]);
    assert.deepEqual(rdata((await dig(server, 'master.mesos', 'A')).answers), [leader.hostname]);
    const lsrv = rdata((await dig(server, '_leader._tcp.mesos', 'SRV')).answers);
    assert.deepEqual(lsrv, [`0 1 ${leader.port} leader.mesos.`]);
    assert.deepEqual(rdata((await dig(server, 'slave.mesos', 'A')).answers).sort(), ['127.0.1.1', '127.0.1.2']);
    assert.deepEqual(rdata((await dig(server, 'agent.mesos', 'A')).answers).sort(), ['127.0.1.1', '127.0.1.2']);
    assert.equal((await dig(server, '_slave._tcp.mesos', 'SRV')).answerCount, 2);
    assert.deepEqual(rdata((await dig(server, 'dnstest.mesos', 'A')).answers), ['127.0.0.1'], 'the framework, from its webui URL');
    assert.deepEqual(rdata((await dig(server, '_framework._tcp.dnstest.mesos', 'SRV')).answers), ['0 1 9999 dnstest.mesos.']);
    const soa = await dig(server, 'mesos', 'SOA');
    assert.equal(soa.status, 'NOERROR');
    assert.match(soa.raw, /SOA\s+ns1\.mesos\. root\.ns1\.mesos\./);
    assert.equal((await dig(server, 'ns1.mesos', 'A')).status, 'NOERROR');
  });

  test('UDP answers that do not fit are truncated (TC); EDNS0 and TCP carry them whole', async () => {
    assert.ok(fw);
    await fw.launch([{ taskId: 'many.1', command: 'sleep 300', ports: 30 }], await agentId(0));
    await fw.waitForState('many.1', 'TASK_RUNNING');
    await resolvesWithin('many.dnstest.mesos', (ips) => ips.length > 0, 5000, 'many.dnstest.mesos');
    const plain = await dig(server, '_many._tcp.dnstest.mesos', 'SRV', ['+noedns', '+ignore', '+notcp']);
    assert.ok(plain.flags.includes('tc'), `TC set on a 512-byte UDP answer (flags: ${plain.flags.join(' ')})`);
    assert.ok(plain.answerCount < 30);
    const big = await dig(server, '_many._tcp.dnstest.mesos', 'SRV', ['+bufsize=4096', '+ignore']);
    assert.ok(big.answerCount > plain.answerCount, 'a larger EDNS0 buffer carries more');
    const tcp = await dig(server, '_many._tcp.dnstest.mesos', 'SRV', ['+tcp']);
    assert.equal(tcp.answerCount, 30);
    assert.ok(!tcp.flags.includes('tc'));
    // dig's default (EDNS, retry over TCP on TC) ends up with everything.
    assert.equal((await dig(server, '_many._tcp.dnstest.mesos', 'SRV')).answerCount, 30);
    await fw.driver.kill('many.1');
  });

  test('HTTP API: Mesos-DNS shapes, misses as one empty record, enumerate, watch stream', async () => {
    assert.ok(fw);
    const version = await httpJson<Record<string, string>>(`${http}/v1/version`);
    assert.equal(version['Service'], 'Mesos-DNS');
    const config = await httpJson<Record<string, unknown>>(`${http}/v1/config`);
    assert.equal(config['Domain'], 'mesos');
    assert.equal(config['Port'], server.port);
    assert.deepEqual(await httpJson(`${http}/v1/hosts/nothing.mesos`), [{ host: '', ip: '' }]);
    assert.deepEqual(await httpJson(`${http}/v1/services/_nothing._tcp.mesos`), [{ service: '', host: '', ip: '', port: '' }]);
    assert.equal((await httpRequest(`${http}/v1/hosts/slave.mesos/ports`)).status, 501);
    const leader = new URL((await c!.leaderUrl()) ?? '');
    assert.deepEqual(await httpJson(`${http}/v1/services/_leader._tcp.mesos.`), [
      { service: '_leader._tcp.mesos.', host: 'leader.mesos.', ip: leader.hostname, port: leader.port },
    ]);

    // Watch: connect, then launch a task; its A record arrives as a change event.
    const ctl = new AbortController();
    const res = await fetch(`${http}/v1/watch?name=api.dnstest.mesos`, { signal: ctl.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (re: RegExp): Promise<void> => {
      await waitFor(
        async () => {
          if (re.test(text)) return true;
          const { value } = await reader.read();
          text += new TextDecoder().decode(value);
          return re.test(text);
        },
        { what: `watch stream to show ${re}`, timeoutMs: 20_000 },
      );
    };
    try {
      await readUntil(/event: snapshot\n/);
      await fw.launch([{ taskId: 'api.1', command: 'sleep 300' }], await agentId(1));
      await fw.waitForState('api.1', 'TASK_RUNNING');
      await readUntil(/event: change\nid: \d+\ndata: .*"added":\[\{"name":"api\.dnstest\.mesos\.","type":"A","value":"127\.0\.1\.2"\}/);
    } finally {
      ctl.abort();
      await reader.cancel().catch(() => undefined);
    }

    const hosts = await httpJson<{ host: string; ip: string }[]>(`${http}/v1/hosts/API.dnstest.mesos`, { headers: { accept: 'application/json' } });
    assert.deepEqual(hosts, [{ host: 'api.dnstest.mesos.', ip: '127.0.1.2' }]);
    const enumeration = await httpJson<{ frameworks: { name: string; tasks: { id: string; records: { name: string; rtype: string }[] }[] }[] }>(`${http}/v1/enumerate`);
    const ours = enumeration.frameworks.find((f) => f.name === 'dnstest');
    assert.ok(ours?.tasks.some((tk) => tk.id === 'api.1' && tk.records.some((r) => r.name === 'api.dnstest.mesos.' && r.rtype === 'A')));
    const axfr = await httpJson<{ Records: { As: Record<string, string[]> } }>(`${http}/v1/axfr`);
    assert.deepEqual(axfr.Records.As['api.dnstest.mesos.'], ['127.0.1.2']);

    // The CLI goes through the same API.
    const lookup = await agora(['dns', 'lookup', 'api.dnstest', '--dns-http', http]);
    assert.equal(lookup.code, 0, lookup.stderr);
    assert.match(lookup.stdout, /^NAME\s+TYPE\s+ADDRESS\napi\.dnstest\.mesos\.\s+A\s+127\.0\.1\.2\n$/);
    const srvJson = await agora(['dns', 'lookup', '_leader._tcp', '--json', '--dns-http', http]);
    assert.equal(JSON.parse(srvJson.stdout)[0].host, 'leader.mesos.');
    const missing = await agora(['dns', 'lookup', 'gone.dnstest', '--dns-http', http]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /gone\.dnstest\.mesos\. has no A\/AAAA records/);
    const records = await agora(['dns', 'records', '--dns-http', http]);
    assert.equal(records.code, 0, records.stderr);
    assert.match(records.stdout, /^FRAMEWORK\s+TASK\s+NAME\s+TYPE\s+VALUE\n/);
    assert.match(records.stdout, /dnstest\s+api\.1\s+api\.dnstest\.mesos\.\s+A\s+127\.0\.1\.2/);
    await fw.driver.kill('api.1');
  });

  test('registered in the Consul catalog', async () => {
    assert.ok(c);
    const entries = await httpJson<{ ServicePort: number }[]>(`${c.consul}/v1/catalog/service/agora-dns`);
    assert.ok(entries.some((e) => e.ServicePort === server.port));
  });

  test('malformed packets over UDP and TCP hurt nobody', async () => {
    const udp = dgram.createSocket('udp4');
    try {
      const junk: Buffer[] = [
        Buffer.alloc(0),
        Buffer.from([1]),
        Buffer.alloc(11, 0xff),
        // header claiming 65535 questions, nothing after it
        Buffer.from([0, 1, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0]),
        // a compression pointer pointing at itself
        Buffer.from([0, 2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]),
        // a label longer than the packet
        Buffer.from([0, 3, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63, 97, 98]),
      ];
      for (let i = 0; i < 200; i++) junk.push(Buffer.from(Array.from({ length: 1 + ((i * 37) % 600) }, (_, j) => (i * 131 + j * 17) & 0xff)));
      for (const j of junk) udp.send(j, server.port, server.host);
      // a query that is a response (QR set) and a query of an unknown type and class
      udp.send(Buffer.from(buildQuery({ id: 7, name: 'x.mesos.', type: 65000, class: 1 })), server.port, server.host);
      udp.send(Buffer.from(buildQuery({ id: 8, name: 'x.mesos.', type: 1, class: 3 })), server.port, server.host);
    } finally {
      udp.close();
    }

    // TCP: a huge announced length with no body, a zero-length frame, and a half-sent message.
    const socks: net.Socket[] = [];
    const open = () =>
      new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect(server.port, server.host, () => resolve(s));
        s.on('error', reject);
        socks.push(s);
      });
    try {
      (await open()).write(Buffer.from([0xff, 0xff, 1, 2, 3]));
      (await open()).write(Buffer.from([0, 0]));
      (await open()).write(Buffer.from([0, 40, 0, 1]));
      const garbage = await open();
      garbage.write(Buffer.concat([Buffer.from([0, 5]), Buffer.from([9, 9, 9, 9, 9])]));

      // Meanwhile everyone else is served: 50 TCP clients at once, and dig over UDP and TCP.
      const many = await Promise.all(Array.from({ length: 50 }, () => dig(server, 'slave.mesos', 'A', ['+tcp'])));
      assert.ok(many.every((r) => r.status === 'NOERROR' && r.answerCount === 2));
      assert.equal((await dig(server, 'leader.mesos', 'A')).status, 'NOERROR');
      assert.equal((await dig(server, 'leader.mesos', 'A', ['+tcp'])).status, 'NOERROR');
      const notimp = await dig(server, 'leader.mesos', 'TYPE65000');
      assert.equal(notimp.status, 'NOERROR', 'an unknown type in our zone is NODATA');
    } finally {
      for (const s of socks) s.destroy();
    }
    const health = await httpJson<{ ready: boolean; queries: { internalErrors: number } }>(`${http}/health`);
    assert.equal(health.ready, true);
    assert.equal(health.queries.internalErrors, 0);
  });
});
