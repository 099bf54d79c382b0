import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORE_COMPONENTS, dnsComponent, marathonComponent } from '@agora/launcher';
import { GetState, HEALTH_CHECKED_LABEL, type TaskView } from '@agora/contracts';
import { httpJson, startTestCluster, waitFor, type TestCluster } from '@agora/testing';
import { MarathonClient, type AppJson, type EventStream, type MarathonEventJson } from '../frameworks/marathon/src/client/marathon-client';
import { RRType } from '../services/dns/src/wire';
import { DnsClient } from '../services/dns/src/testing/dns-client';
import { dig, rdata } from '../services/dns/src/testing/dig';
import { spawnDns, type SpawnedDns } from '../services/dns/src/testing/spawn-dns';

/**
 * Health-aware DNS for Marathon apps, end to end: nats-server, Consul, a master, three agents
 * (127.0.1.1–3), Marathon, the launcher's DNS server (health-aware, the default) and a second DNS server
 * with `healthAware: false` (Mesos-DNS's answer-all), with `dig` as the client.
 *
 * `/prod/web` runs busybox httpd on $PORT0; its HTTP health check asks for `/health`, a file the test
 * creates in (and deletes from) each task's sandbox, so the test decides when an instance is healthy.
 */
const APP = '/prod/web';
const NAME = 'web-prod.marathon.mesos';
const SRV = '_web-prod._tcp.marathon.mesos';
const FRESH_MS = 1000;

const APP_JSON = {
  id: APP,
  cmd: 'mkdir -p www && exec busybox httpd -f -p $HOST:$PORT0 -h www',
  cpus: 0.05,
  mem: 16,
  instances: 1,
  constraints: [['hostname', 'UNIQUE']],
  // Failures before the first success are not counted for 30 s (the test creates /health when it wants);
  // afterwards 3 failures in a row (~3 s) get a task killed: the window in which DNS must already drop it.
  healthChecks: [{ protocol: 'HTTP', path: '/health', portIndex: 0, intervalSeconds: 1, timeoutSeconds: 1, gracePeriodSeconds: 30, maxConsecutiveFailures: 3 }],
  // With one task per agent there is no room for a replacement first: a health kill may go down to 2 of 3.
  upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
};

describe('health-aware DNS for Marathon apps', () => {
  let c: TestCluster | undefined;
  let m: MarathonClient;
  let stream: EventStream | undefined;
  let answerAll: SpawnedDns | undefined;
  let aware = { host: '127.0.0.1', port: 0 };
  let all = { host: '127.0.0.1', port: 0 };
  let awareClient: DnsClient | undefined;
  let allClient: DnsClient | undefined;
  /** Marathon events with the time this process received them. */
  const seen: { e: MarathonEventJson; at: number }[] = [];

  before(async () => {
    c = await startTestCluster({
      agents: 3,
      agentResources: 'cpus:2;mem:1024;disk:1000;ports:[31000-31199]',
      components: [...CORE_COMPONENTS, marathonComponent, dnsComponent],
      logLevel: process.env.AGORA_LOG_LEVEL ?? 'warn',
    });
    const plan = c.cluster.portPlan.services;
    aware = { host: plan.dns.ip, port: plan.dns.port };
    answerAll = await spawnDns({ nats: c.nats, workDir: path.join(c.workDir, 'dns-answer-all'), name: 'dns-answer-all', config: { healthAware: false } });
    await answerAll.waitHealth(200);
    all = { host: answerAll.host, port: answerAll.port };
    awareClient = new DnsClient(aware.host, aware.port);
    allClient = new DnsClient(all.host, all.port);
    const inst = c.cluster.instance('marathon', 0);
    assert.ok(inst, 'marathon runs');
    m = new MarathonClient(inst.url);
    stream = m.events();
    stream.onEvent((e) => seen.push({ e, at: Date.now() }));
    await stream.attached;
  });
  after(async () => {
    stream?.close();
    awareClient?.close();
    allClient?.close();
    await answerAll?.stop();
    await c?.stop();
  });

  // ------------------------------------------------------------------ helpers

  const addresses = async (client: DnsClient | undefined): Promise<string[]> => DnsClient.addresses(await client!.query(NAME, RRType.A, 500)).sort();

  async function masterTask(taskId: string): Promise<TaskView> {
    const st = await (await c!.bus()).request(GetState, [], {});
    const t = st.frameworks.flatMap((f) => f.tasks).find((x) => x.taskId === taskId);
    assert.ok(t, `${taskId} is known to the master`);
    return t;
  }

  /** Makes a task's health check pass (creates www/health in its sandbox) or fail (deletes it). */
  async function setHealth(taskId: string, pass: boolean): Promise<void> {
    const sandbox = (await masterTask(taskId)).sandbox;
    assert.ok(sandbox, `${taskId} has a sandbox`);
    const file = path.join(sandbox, 'www', 'health');
    if (pass) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'ok\n');
    } else fs.rmSync(file, { force: true });
  }

  async function runningTasks(n: number): Promise<AppJson> {
    return waitFor(
      async () => {
        const a = await m.app(APP);
        const tasks = a?.tasks ?? [];
        return tasks.length === n && tasks.every((t) => t.state === 'TASK_RUNNING') ? a : undefined;
      },
      { timeoutMs: 30_000, what: `${APP} to run ${n} tasks` },
    );
  }

  /** When this process heard Marathon say the task's health turned `alive` (after `since`). */
  const healthEventAt = (taskId: string, alive: boolean, since: number): number | undefined =>
    seen.find((s) => s.at >= since && s.e.eventType === 'health_status_changed_event' && s.e['taskId'] === taskId && s.e['alive'] === alive)?.at;

  // ------------------------------------------------------------------ tests

  test('a starting instance is not answered until its first passing check; then A and SRV with its agent and port', async (t) => {
    assert.equal((await m.request('POST', '/v2/apps', APP_JSON)).status, 201);
    const app = await runningTasks(1);
    const task = app.tasks?.[0];
    assert.ok(task);
    const view = await masterTask(task.id);
    assert.equal(view.labels[HEALTH_CHECKED_LABEL], 'true', 'Marathon marks tasks of apps with health checks');
    assert.notEqual(view.healthy, true);

    // Running but not healthy yet: the answer-all server answers it, the health-aware one does not.
    await waitFor(async () => (await addresses(allClient)).includes(task.host), { what: 'the answer-all server to answer the running task', timeoutMs: FRESH_MS, intervalMs: 20 });
    assert.deepEqual(rdata((await dig(all, NAME, 'A')).answers), [task.host]);
    const miss = await dig(aware, NAME, 'A');
    assert.equal(miss.status, 'NXDOMAIN', 'not answered before it is healthy');
    assert.equal((await dig(aware, SRV, 'SRV')).answerCount, 0);

    const since = Date.now();
    await setHealth(task.id, true);
    const healthyAt = await waitFor(() => healthEventAt(task.id, true, since), { what: 'Marathon to see the task healthy', timeoutMs: 10_000, intervalMs: 10 });
    const answeredAt = await waitFor(async () => ((await addresses(awareClient)).includes(task.host) ? Date.now() : undefined), { what: 'the healthy task to resolve', timeoutMs: 5000, intervalMs: 20 });
    t.diagnostic(`answered ${answeredAt - healthyAt} ms after Marathon's health_status_changed_event`);
    assert.ok(answeredAt - healthyAt <= FRESH_MS, `answered ${answeredAt - healthyAt} ms after it became healthy`);

    const a = await dig(aware, NAME, 'A');
    assert.equal(a.status, 'NOERROR');
    assert.deepEqual(rdata(a.answers), [task.host]);
    assert.match(task.host, /^127\.0\.1\.[1-3]$/);
    const srv = rdata((await dig(aware, SRV, 'SRV')).answers).map((l) => l.split(' '));
    assert.deepEqual(srv.map((f) => Number(f[2])), [task.ports[0]], 'SRV carries the task port');
    // With DiscoveryInfo (Marathon sets it) the target is the canonical name under the framework.
    const target = srv[0]?.[3] ?? '';
    assert.match(target, /^web-prod-[a-z0-9]{5}-[a-z0-9]+\.marathon\.mesos\.$/);
    assert.deepEqual(rdata((await dig(aware, target, 'A')).answers), [task.host], 'the SRV target resolves to the agent');

    // The master shows the health on the task and on its newest status (Mesos-shaped HTTP).
    assert.equal((await masterTask(task.id)).healthy, true);
    const leader = await c!.leaderUrl();
    const state = await httpJson<{ frameworks: { tasks: { id: string; statuses: { state: string; healthy?: boolean }[] }[] }[] }>(`${leader}/master/state`);
    const mt = state.frameworks.flatMap((f) => f.tasks).find((x) => x.id === task.id);
    assert.ok(mt);
    const last = mt.statuses[mt.statuses.length - 1];
    assert.deepEqual([last?.state, last?.healthy], ['TASK_RUNNING', true]);
  });

  test('scaling 1 → 3: each new instance joins the answer within 1 s of becoming healthy', async (t) => {
    const before = (await m.app(APP))?.tasks ?? [];
    assert.equal(before.length, 1);
    assert.equal((await m.request('PATCH', `/v2/apps${APP}`, { instances: 3 })).status, 200);
    const app = await runningTasks(3);
    const fresh = (app.tasks ?? []).filter((x) => !before.some((b) => b.id === x.id));
    assert.equal(fresh.length, 2);
    assert.equal(new Set((app.tasks ?? []).map((x) => x.host)).size, 3, 'one instance per agent');

    // Running, not healthy: still one answer here, three from the answer-all server.
    await waitFor(async () => (await addresses(allClient)).length === 3, { what: 'answer-all to answer 3', timeoutMs: FRESH_MS, intervalMs: 20 });
    assert.deepEqual(rdata((await dig(aware, NAME, 'A')).answers), [before[0]?.host]);
    assert.equal((await dig(aware, SRV, 'SRV')).answerCount, 1);

    const since = Date.now();
    for (const x of fresh) await setHealth(x.id, true);
    const answered = new Map<string, number>();
    await waitFor(
      async () => {
        const ips = await addresses(awareClient);
        for (const x of fresh) if (ips.includes(x.host) && !answered.has(x.id)) answered.set(x.id, Date.now());
        return answered.size === fresh.length;
      },
      { what: 'both new instances to resolve', timeoutMs: 10_000, intervalMs: 20 },
    );
    for (const x of fresh) {
      const healthyAt = await waitFor(() => healthEventAt(x.id, true, since), { what: `health event of ${x.id}`, timeoutMs: 5000, intervalMs: 10 });
      const lag = (answered.get(x.id) ?? Infinity) - healthyAt;
      t.diagnostic(`${x.host}: answered ${lag} ms after its health event`);
      assert.ok(lag <= FRESH_MS, `${x.id} answered ${lag} ms after it became healthy`);
    }

    const a = await dig(aware, NAME, 'A');
    assert.deepEqual(rdata(a.answers).sort(), (app.tasks ?? []).map((x) => x.host).sort());
    const srv = rdata((await dig(aware, SRV, 'SRV')).answers).map((l) => l.split(' '));
    assert.deepEqual(srv.map((f) => Number(f[2])).sort(), (app.tasks ?? []).map((x) => x.ports[0]).sort(), 'SRV: one per instance, with its port');
  });

  test('an instance failing its check leaves the answer before Marathon kills it; answer-all keeps it; its replacement joins once healthy', async (t) => {
    const app = await m.app(APP);
    const victim = app?.tasks?.[1];
    assert.ok(victim && app?.tasks?.length === 3);
    const others = (app.tasks ?? []).filter((x) => x.id !== victim.id).map((x) => x.host);

    const since = Date.now();
    await setHealth(victim.id, false);
    const droppedAt = await waitFor(async () => ((await addresses(awareClient)).includes(victim.host) ? undefined : Date.now()), {
      what: 'the failing instance to leave the health-aware answer',
      timeoutMs: 10_000,
      intervalMs: 20,
    });
    // Still running (not killed yet): the answer-all server still has it.
    assert.ok((await addresses(allClient)).includes(victim.host), 'answer-all still answers the unhealthy instance');
    assert.deepEqual(rdata((await dig(all, NAME, 'A')).answers).sort(), [...others, victim.host].sort());
    assert.deepEqual(rdata((await dig(aware, NAME, 'A')).answers).sort(), [...others].sort());
    assert.equal((await dig(aware, SRV, 'SRV')).answerCount, 2);
    assert.equal((await masterTask(victim.id)).healthy, false);

    const killedAt = await waitFor(
      () => seen.find((s) => s.at >= since && s.e.eventType === 'unhealthy_task_kill_event' && s.e['taskId'] === victim.id)?.at,
      { what: 'Marathon to kill the unhealthy instance', timeoutMs: 15_000, intervalMs: 20 },
    );
    const unhealthyAt = healthEventAt(victim.id, false, since);
    t.diagnostic(`left DNS ${droppedAt - (unhealthyAt ?? since)} ms after the failed check, ${killedAt - droppedAt} ms before the kill`);
    assert.ok(droppedAt < killedAt, 'it left DNS before it was killed');

    // The replacement lands on the freed agent; it joins once its check passes.
    const replacement = await waitFor(
      async () => (await m.app(APP))?.tasks?.find((x) => x.host === victim.host && x.id !== victim.id && x.state === 'TASK_RUNNING'),
      { what: 'a replacement on the same agent', timeoutMs: 30_000 },
    );
    await waitFor(async () => (await addresses(allClient)).includes(replacement.host), { what: 'answer-all to answer the replacement', timeoutMs: FRESH_MS, intervalMs: 20 });
    assert.deepEqual(await addresses(awareClient), [...others].sort(), 'not answered before it is healthy');
    await setHealth(replacement.id, true);
    await waitFor(async () => (await addresses(awareClient)).length === 3, { what: 'the replacement to resolve once healthy', timeoutMs: 10_000, intervalMs: 20 });
    assert.equal((await dig(aware, SRV, 'SRV')).answerCount, 3);
  });

  test('removing the app: the name goes from both servers', async () => {
    assert.equal((await m.request('DELETE', `/v2/apps${APP}`)).status, 200);
    await waitFor(async () => (await addresses(awareClient)).length === 0 && (await addresses(allClient)).length === 0, { what: 'the name to go', timeoutMs: 15_000, intervalMs: 50 });
    assert.equal((await dig(aware, NAME, 'A')).status, 'NXDOMAIN');
    assert.equal((await dig(all, NAME, 'A')).status, 'NXDOMAIN');
  });
});
