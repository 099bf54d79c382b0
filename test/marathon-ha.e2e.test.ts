import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { agentComponent, builtMain, consulComponent, ManagedProcess, marathonComponent, masterComponent, natsComponent } from '@agora/launcher';
import { findFreePort, startTestCluster, waitFor, type TestCluster } from '@agora/testing';
import { MarathonClient, type AppJson } from '../frameworks/marathon/src/client/marathon-client';

/**
 * Marathon's durability and high availability against a real cluster: a restart keeps apps, tasks and
 * running deployments (state in Consul, tasks reconciled with the master); a second instance is a
 * standby that proxies the API (also the event stream) to the leader and takes over when it goes.
 */
const WEB_CMD = 'mkdir -p www && echo ok > www/health && exec busybox httpd -f -p $HOST:$PORT0 -h www';
const CHECK = { protocol: 'HTTP', path: '/health', intervalSeconds: 1, timeoutSeconds: 1, gracePeriodSeconds: 5 };

describe('marathon restart and high availability', () => {
  let c: TestCluster | undefined;
  let m: MarathonClient;
  let standby: ManagedProcess | undefined;

  before(async () => {
    c = await startTestCluster({
      agents: 2,
      agentResources: 'cpus:2;mem:1024;disk:1000;ports:[31000-31199]',
      components: [natsComponent, consulComponent, masterComponent, agentComponent, marathonComponent],
      logLevel: 'warn',
    });
    const inst = c.cluster.instance('marathon', 0);
    assert.ok(inst);
    m = new MarathonClient(inst.url);
  });
  after(async () => {
    await standby?.stop('SIGKILL', 1000);
    await c?.stop();
  });

  async function settled(client: MarathonClient, id: string, n: number): Promise<AppJson> {
    return waitFor(
      async () => {
        const a = await client.app(id);
        const tasks = a?.tasks ?? [];
        return a && (a.deployments ?? []).length === 0 && tasks.length === n && a.tasksHealthy === n ? a : undefined;
      },
      { timeoutMs: 30_000, what: `${id} to run ${n} healthy tasks` },
    );
  }

  test('a restarted Marathon keeps its apps, tasks and running deployments', async () => {
    assert.ok(c);
    await m.ok('POST', '/v2/apps', { id: '/ha/web', cmd: WEB_CMD, cpus: 0.05, mem: 16, instances: 2, healthChecks: [CHECK] });
    const before = await settled(m, '/ha/web', 2);
    const ids = (before.tasks ?? []).map((t) => t.id).sort();
    // A deployment that cannot finish (3 unique hosts wanted, 2 agents): it must survive the restart.
    await m.ok('POST', '/v2/apps', { id: '/ha/unique', cmd: 'sleep 3600', cpus: 0.01, mem: 8, instances: 3, constraints: [['hostname', 'UNIQUE']] });
    await waitFor(async () => ((await m.app('/ha/unique'))?.tasksRunning ?? 0) === 2, { what: '/ha/unique on both agents' });

    await c.cluster.restart('marathon', 0);

    const after = await settled(m, '/ha/web', 2);
    assert.deepEqual((after.tasks ?? []).map((t) => t.id).sort(), ids, 'the same tasks, found again (no relaunch)');
    const deps = await m.deployments();
    assert.ok(deps.some((d) => d.affectedApps.includes('/ha/unique')), 'the unfinished deployment resumed');
    const unique = await m.app('/ha/unique');
    assert.equal(unique?.tasksRunning, 2);
    // Finishing it after the restart works: scale to what fits.
    await m.ok('PATCH', '/v2/apps/ha/unique?force=true', { instances: 2 });
    await waitFor(async () => (await m.deployments()).length === 0, { what: 'the deployments to finish' });
  });

  test('a standby proxies the API and the event stream to the leader, and takes over when the leader stops', async () => {
    assert.ok(c);
    const port = await findFreePort();
    standby = ManagedProcess.spawn({
      name: 'marathon-standby',
      command: process.execPath,
      args: ['--enable-source-maps', builtMain('frameworks/marathon/src/main'), '--nats', c.nats, '--consul', c.consul, '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'],
      logFile: path.join(c.workDir, 'logs', 'marathon-standby.log'),
    });
    const s = new MarathonClient(`http://127.0.0.1:${port}`);
    const leader = new URL(m.baseUrl).host;
    await waitFor(async () => (await s.request<{ leader: string }>('GET', '/v2/leader')).body?.leader === leader, { what: 'the standby to know the leader' });
    const info = await s.ok<{ elected: boolean; leader: string }>('GET', '/v2/info');
    assert.equal(info.body.elected, false);

    const viaStandby = await s.request<{ apps: AppJson[] }>('GET', '/v2/apps');
    assert.equal(viaStandby.status, 200);
    assert.deepEqual(viaStandby.body.apps.map((a) => a.id).sort(), ['/ha/unique', '/ha/web']);

    const events = s.events(['api_post_event', 'deployment_success']);
    await events.attached;
    const created = await s.request('POST', '/v2/apps', { id: '/ha/via-standby', cmd: 'sleep 3600', cpus: 0.01, mem: 8 });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get('location'), '/v2/apps/ha/via-standby');
    await waitFor(() => events.received.some((e) => e.eventType === 'deployment_success'), { what: 'deployment_success through the standby stream' });
    assert.ok(events.received.every((e) => e.eventType === 'api_post_event' || e.eventType === 'deployment_success'), 'event_type filter applies');
    events.close();
    assert.ok(await m.app('/ha/via-standby'), 'the leader has the app');

    const ids = ((await m.app('/ha/web'))?.tasks ?? []).map((t) => t.id).sort();
    await c.cluster.kill('marathon', 0, 'SIGTERM');
    await waitFor(async () => (await s.request<{ elected: boolean }>('GET', '/v2/info')).body?.elected === true, { timeoutMs: 20_000, what: 'the standby to be elected' });
    const taken = await settled(s, '/ha/web', 2);
    assert.deepEqual((taken.tasks ?? []).map((t) => t.id).sort(), ids, 'the new leader adopted the running tasks');
    assert.ok(await s.app('/ha/via-standby'));
  });
});
