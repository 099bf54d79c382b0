import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { agentComponent, consulComponent, dnsComponent, marathonComponent, masterComponent, natsComponent } from '@agora/launcher';
import { httpRequest, startTestCluster, useTestDocker, waitFor, type TestCluster, type TestDocker } from '@agora/testing';
import { MarathonClient, type AppJson } from '../frameworks/marathon/src/client/marathon-client';
import { dig, rdata } from '../services/dns/src/testing/dig';

/**
 * A Marathon app with a Docker image, end to end: Marathon (real) launches it through the master onto an
 * agent with the docker containerizer (real daemon, the test busybox image), Marathon's HTTP health check
 * reaches the server in the container, and the DNS server resolves the app by A and SRV.
 */
describe('marathon app in a docker container', () => {
  let d: TestDocker | undefined;
  let c: TestCluster | undefined;
  let m: MarathonClient | undefined;
  let dns = { host: '127.0.0.1', port: 0 };

  before(async () => {
    d = await useTestDocker();
    c = await startTestCluster({
      agents: 1,
      agentResources: 'cpus:2;mem:1024;disk:1000;ports:[31000-31099]',
      components: [natsComponent, consulComponent, masterComponent, agentComponent, dnsComponent, marathonComponent],
      docker: { socket: d.socket },
      agentFlags: ['--containerizers', 'docker,process'],
      logLevel: process.env.AGORA_LOG_LEVEL ?? 'warn',
    });
    const inst = c.cluster.instance('marathon', 0);
    assert.ok(inst, 'marathon runs');
    m = new MarathonClient(inst.url);
    const plan = c.cluster.portPlan.services;
    dns = { host: plan.dns.ip, port: plan.dns.port };
  });
  after(async () => {
    if (m) await m.request('DELETE', '/v2/apps/dockweb').catch(() => undefined);
    await c?.stop();
    await d?.stop();
  });

  test('the app becomes healthy through its HTTP check and resolves by A and SRV', async () => {
    const marathon = m ?? assert.fail('no marathon');
    const app = {
      id: '/dockweb',
      cmd: 'echo ok > health && exec httpd -f -p $HOST:$PORT0 -h /mnt/mesos/sandbox',
      container: { type: 'DOCKER', docker: { image: d?.image, network: 'HOST' } },
      cpus: 0.1,
      mem: 32,
      instances: 1,
      portDefinitions: [{ port: 0, protocol: 'tcp', name: 'http' }],
      healthChecks: [{ protocol: 'HTTP', path: '/health', portIndex: 0, intervalSeconds: 1, timeoutSeconds: 1, gracePeriodSeconds: 10, maxConsecutiveFailures: 3 }],
    };
    const created = await marathon.request('POST', '/v2/apps', app);
    assert.equal(created.status, 201, created.text);
    const healthy = await waitFor(
      async () => {
        const a: AppJson | undefined = await marathon.app('/dockweb');
        return a && a.tasksHealthy === 1 && (a.deployments ?? []).length === 0 ? a : undefined;
      },
      { what: '/dockweb to be healthy', timeoutMs: 60_000, intervalMs: 250 },
    );
    const task = healthy.tasks?.[0];
    assert.ok(task);
    assert.equal(task.host, '127.0.1.1');
    const port = task.ports[0];
    assert.ok(port);
    assert.equal((await httpRequest(`http://127.0.1.1:${port}/health`)).text.trim(), 'ok');

    await waitFor(async () => rdata((await dig(dns, 'dockweb.marathon.mesos', 'A')).answers).includes('127.0.1.1'), {
      what: 'dockweb.marathon.mesos to resolve',
      timeoutMs: 10_000,
    });
    const srv = await waitFor(async () => rdata((await dig(dns, '_dockweb._tcp.marathon.mesos', 'SRV')).answers)[0], { what: 'the SRV record', timeoutMs: 10_000 });
    assert.match(srv, new RegExp(`^\\d+ \\d+ ${port} `));
  });
});
