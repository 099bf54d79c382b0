import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { agentComponent, builtMain, consulComponent, marathonComponent, masterComponent, natsComponent } from '@agora/launcher';
import { httpRequest, startTestCluster, waitFor, type TestCluster } from '@agora/testing';
import { MarathonClient, type AppJson, type EventStream, type MarathonEventJson } from '../frameworks/marathon/src/client/marathon-client';

/**
 * Marathon against a real cluster (nats-server, Consul, a master, three agents on 127.0.1.1–3):
 * validation errors, an app with an HTTP health check served by the task itself, scaling, a rolling
 * update that kills old tasks only after new ones are healthy, rollback by version, restart, a task that
 * starts failing its check, UNIQUE hostname, an unplaceable app explained in /v2/queue, groups with
 * dependencies, rollback of a stalled deployment (by hand and by progress deadline), deletion, and the
 * SSE stream of a deployment.
 */

/** A tiny web server: `/health` (removable), `/env.txt` (the task's environment). Bound to the agent's address. */
const WEB_CMD = 'mkdir -p www && echo ok > www/health && env > www/env.txt && exec busybox httpd -f -p $HOST:$PORT0 -h www';
const CHECK = { protocol: 'HTTP', path: '/health', intervalSeconds: 1, timeoutSeconds: 1, gracePeriodSeconds: 5, maxConsecutiveFailures: 2 };

function webApp(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, cmd: WEB_CMD, cpus: 0.05, mem: 16, instances: 2, healthChecks: [CHECK], ...extra };
}

describe('marathon end to end', () => {
  let c: TestCluster | undefined;
  let m: MarathonClient;
  let stream: EventStream | undefined;
  const markerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-marathon-e2e-'));

  before(async () => {
    c = await startTestCluster({
      agents: 3,
      agentResources: 'cpus:2;mem:1024;disk:1000;ports:[31000-31199]',
      agentAttributes: ['rack:r1', 'rack:r2', 'rack:r3'],
      components: [natsComponent, consulComponent, masterComponent, agentComponent, marathonComponent],
      logLevel: 'warn',
    });
    const inst = c.cluster.instance('marathon', 0);
    assert.ok(inst, 'marathon runs');
    m = new MarathonClient(inst.url);
    stream = m.events();
    await stream.attached;
  });
  after(async () => {
    stream?.close();
    await c?.stop();
    fs.rmSync(markerDir, { recursive: true, force: true });
  });

  async function appNow(id: string): Promise<AppJson> {
    const a = await m.app(id);
    assert.ok(a, `${id} exists`);
    return a;
  }

  /** Waits until the app runs exactly `n` healthy tasks of its current config and no deployment touches it. */
  async function settled(id: string, n: number, timeoutMs = 30_000): Promise<AppJson> {
    return waitFor(
      async () => {
        const a = await appNow(id);
        const cfg = a.versionInfo?.lastConfigChangeAt;
        const tasks = a.tasks ?? [];
        const ok =
          (a.deployments ?? []).length === 0 &&
          tasks.length === n &&
          tasks.every((t) => t.state === 'TASK_RUNNING') &&
          (a.tasksHealthy === n || (a.healthChecks ?? []).length === 0) &&
          tasks.every((t) => cfg === undefined || t.version >= cfg);
        return ok ? a : undefined;
      },
      { timeoutMs, what: `${id} to run ${n} healthy tasks` },
    );
  }

  function eventsOf(type: string, pred: (e: MarathonEventJson) => boolean = () => true): MarathonEventJson[] {
    return (stream?.received ?? []).filter((e) => e.eventType === type && pred(e));
  }

  test('invalid bodies get Marathon error shapes: 400 for JSON syntax, 422 with details, 404, 409', async () => {
    let r = await m.request<{ message: string; details: unknown[] }>('POST', '/v2/apps', '{"id": "/x",');
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'Invalid JSON');
    assert.ok(r.body.details.length > 0);

    r = await m.request('POST', '/v2/apps', { id: '/x', cmd: 'sleep 1', cpus: -1, mem: 'lots', flavour: 'x' });
    assert.equal(r.status, 422);
    assert.equal(r.body.message, 'Invalid JSON');
    const paths = (r.body.details as { path: string; errors: string[] }[]).map((d) => `${d.path} ${d.errors.join(',')}`);
    assert.ok(paths.includes('/cpus error.min'), paths.join('; '));
    assert.ok(paths.includes('/mem error.expected.jsnumber'), paths.join('; '));
    assert.ok(paths.includes('/flavour error.unknown.property'), paths.join('; '));

    r = await m.request('POST', '/v2/apps', { id: '/x', cmd: 'a', args: ['b'] });
    assert.equal(r.status, 422);
    assert.equal(r.body.message, 'Object is not valid');

    r = await m.request('POST', '/v2/apps', { id: '/Bad_Id', cmd: 'a' });
    assert.equal(r.status, 422);
    assert.deepEqual((r.body.details as { path: string }[]).map((d) => d.path), ['/id']);

    assert.equal((await m.request('GET', '/v2/apps/no/such/app')).status, 404);
    assert.equal((await m.request('DELETE', '/v2/apps/no/such/app')).status, 404);
  });

  test('an app with an HTTP health check on $PORT0 reaches healthy; env, ids with slashes, scale up and down', async () => {
    const created = await m.request<AppJson>('POST', '/v2/apps', webApp('/e2e/web'));
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get('location'), '/v2/apps/e2e/web');
    assert.ok(created.headers.get('marathon-deployment-id'));
    assert.equal((await m.request('POST', '/v2/apps', webApp('/e2e/web'))).status, 409, 'duplicate id');

    let app = await settled('/e2e/web', 2);
    const t = app.tasks?.[0];
    assert.ok(t);
    const env = await httpRequest(`http://${t.host}:${t.ports[0]}/env.txt`);
    assert.equal(env.status, 200);
    for (const line of ['MARATHON_APP_ID=/e2e/web', `PORT0=${t.ports[0]}`, `PORTS=${t.ports.join(',')}`, `HOST=${t.host}`, `MESOS_TASK_ID=${t.id}`, `MARATHON_APP_VERSION=${app.version}`]) {
      assert.ok(env.text.includes(line), `task env has ${line}`);
    }

    // The same app under other spellings of its id.
    assert.equal((await m.request('GET', '/v2/apps//e2e/web')).status, 200);
    assert.equal((await m.request('GET', '/v2/apps/%2Fe2e%2Fweb')).status, 200);
    const tasks = await m.request<{ tasks: unknown[] }>('GET', '/v2/apps/e2e/web/tasks');
    assert.equal(tasks.body.tasks.length, 2);
    const text = await m.request('GET', '/v2/tasks', undefined, { accept: 'text/plain' });
    assert.match(text.text, new RegExp(`^e2e_web\\t\\d+\\t.*${t.host}:${t.ports[0]}`, 'm'));

    const up = await m.request<{ deploymentId: string; version: string }>('PATCH', '/v2/apps/e2e/web', { instances: 3 });
    assert.equal(up.status, 200, up.text);
    assert.ok(up.body.deploymentId);
    app = await settled('/e2e/web', 3);
    const ids = new Set((app.tasks ?? []).map((x) => x.id));
    for (const old of (tasks.body.tasks as { id: string }[]).map((x) => x.id)) assert.ok(ids.has(old), 'scaling up keeps the running tasks');

    const victim = app.tasks?.[1]?.id;
    assert.ok(victim);
    const down = await m.request('DELETE', `/v2/apps/e2e/web/tasks/${victim}?scale=true`);
    assert.equal(down.status, 200, down.text);
    app = await settled('/e2e/web', 2);
    assert.equal(app.instances, 2);
    assert.ok(!(app.tasks ?? []).some((x) => x.id === victim), 'the named task was the one killed');
  });

  test('a rolling update kills old tasks only after new ones are healthy; rollback by version; restart', async () => {
    const before = await settled('/e2e/web', 2);
    const v1 = before.version;
    const oldIds = new Set((before.tasks ?? []).map((t) => t.id));
    const seen = stream?.received.length ?? 0;
    const r = await m.request<{ deploymentId: string }>('PUT', '/v2/apps/e2e/web', { env: { RELEASE: '2' } });
    assert.equal(r.status, 200, r.text);
    const dep = r.body.deploymentId;
    const after = await settled('/e2e/web', 2);
    assert.ok((after.tasks ?? []).every((t) => !oldIds.has(t.id)), 'every task replaced');

    const evs = (stream?.received ?? []).slice(seen);
    const firstOldKill = evs.findIndex((e) => e.eventType === 'status_update_event' && oldIds.has(String(e['taskId'])) && e['taskStatus'] === 'TASK_KILLED');
    const firstNewHealthy = evs.findIndex((e) => e.eventType === 'health_status_changed_event' && !oldIds.has(String(e['taskId'])) && e['alive'] === true);
    assert.ok(firstNewHealthy >= 0 && firstOldKill > firstNewHealthy, 'no old task was killed before a new one was healthy');
    const kinds = new Set(evs.filter((e) => JSON.stringify(e).includes(dep)).map((e) => e.eventType));
    for (const k of ['deployment_info', 'deployment_step_success', 'deployment_success']) assert.ok(kinds.has(k), `SSE delivered ${k}`);
    assert.ok(evs.some((e) => e.eventType === 'api_post_event'));
    assert.ok(evs.some((e) => e.eventType === 'instance_changed_event'));

    const versions = await m.request<{ versions: string[] }>('GET', '/v2/apps/e2e/web/versions');
    assert.ok(versions.body.versions.includes(v1));
    const old = await m.request<{ env: Record<string, string> }>('GET', `/v2/apps/e2e/web/versions/${v1}`);
    assert.deepEqual(old.body.env, {});

    const rb = await m.request('PUT', '/v2/apps/e2e/web', { version: v1 });
    assert.equal(rb.status, 200, rb.text);
    const rolledBack = await waitFor(async () => {
      const a = await settled('/e2e/web', 2);
      return Object.keys((a['env'] as Record<string, string>) ?? {}).length === 0 ? a : undefined;
    }, { timeoutMs: 30_000, what: 'the rollback to finish' });
    const t = rolledBack.tasks?.[0];
    assert.ok(t);
    const env = await httpRequest(`http://${t.host}:${t.ports[0]}/env.txt`);
    assert.ok(!env.text.includes('RELEASE=2'), 'tasks run the old definition again');

    const beforeRestart = new Set((rolledBack.tasks ?? []).map((x) => x.id));
    const rs = await m.request<{ deploymentId: string }>('POST', '/v2/apps/e2e/web/restart');
    assert.equal(rs.status, 200, rs.text);
    const restarted = await waitFor(async () => {
      const a = await settled('/e2e/web', 2);
      return (a.tasks ?? []).every((x) => !beforeRestart.has(x.id)) ? a : undefined;
    }, { timeoutMs: 30_000, what: 'the restart to replace every task' });
    assert.equal(restarted.tasks?.length, 2);
  });

  test('a task that starts failing its health check is killed and replaced', async () => {
    const marker = path.join(markerDir, 'failed-once');
    // The first task to start marks the marker and breaks its own /health 3 s later; replacements stay healthy.
    const cmd = `if mkdir ${marker} 2>/dev/null; then (sleep 3; rm -f www/health) & fi; ${WEB_CMD}`;
    const r = await m.request('POST', '/v2/apps', { ...webApp('/e2e/flaky'), cmd, instances: 1, upgradeStrategy: { minimumHealthCapacity: 0, maximumOverCapacity: 1 } });
    assert.equal(r.status, 201, r.text);
    const kill = await waitFor(() => eventsOf('unhealthy_task_kill_event', (e) => e['appId'] === '/e2e/flaky')[0], { timeoutMs: 30_000, what: 'a health-check kill' });
    const app = await waitFor(async () => {
      const a = await settled('/e2e/flaky', 1);
      return (a.tasks ?? []).some((t) => t.id === kill['taskId']) ? undefined : a;
    }, { timeoutMs: 30_000, what: 'a healthy replacement' });
    assert.equal(app.tasksHealthy, 1);
    assert.ok(eventsOf('failed_health_check_event', (e) => e['taskId'] === kill['taskId']).length >= 2);
    assert.equal((await m.request('DELETE', '/v2/apps/e2e/flaky')).status, 200);
  });

  test('a COMMAND check runs on the agent in the task\'s sandbox with its environment; failing, the task is replaced', async () => {
    const marker = path.join(markerDir, 'command-failed-once');
    // `alive` is a file in the sandbox: a check run anywhere else cannot see it. The first task removes it 3 s in.
    const cmd = `touch alive; if mkdir ${marker} 2>/dev/null; then (sleep 3; rm -f alive) & fi; exec sleep 1000`;
    const check = { protocol: 'COMMAND', command: { value: 'test -f alive && [ -n "$PORT0" ] && [ "$MESOS_SANDBOX" = "$PWD" ]' }, delaySeconds: 0, intervalSeconds: 1, timeoutSeconds: 2, gracePeriodSeconds: 5, maxConsecutiveFailures: 2 };
    const r = await m.request('POST', '/v2/apps', { id: '/e2e/cmdcheck', cmd, cpus: 0.05, mem: 16, instances: 1, healthChecks: [check], upgradeStrategy: { minimumHealthCapacity: 0, maximumOverCapacity: 1 } });
    assert.equal(r.status, 201, r.text);
    const kill = await waitFor(() => eventsOf('unhealthy_task_kill_event', (e) => e['appId'] === '/e2e/cmdcheck')[0], { timeoutMs: 30_000, what: 'a health-check kill' });
    assert.ok(eventsOf('health_status_changed_event', (e) => e['taskId'] === kill['taskId'] && e['alive'] === true).length >= 1, 'it was healthy first');
    const app = await waitFor(async () => {
      const a = await settled('/e2e/cmdcheck', 1);
      return (a.tasks ?? []).some((t) => t.id === kill['taskId']) ? undefined : a;
    }, { timeoutMs: 30_000, what: 'a healthy replacement' });
    assert.equal(app.tasksHealthy, 1);
    assert.ok(eventsOf('failed_health_check_event', (e) => e['taskId'] === kill['taskId']).length >= 2);
    assert.equal((await m.request('DELETE', '/v2/apps/e2e/cmdcheck')).status, 200);
  });

  test('UNIQUE hostname spreads over the three agents; a fourth instance waits with its reason in /v2/queue', async () => {
    const r = await m.request('POST', '/v2/apps', { id: '/e2e/unique', cmd: 'sleep 3600', cpus: 0.01, mem: 8, instances: 3, constraints: [['hostname', 'UNIQUE']] });
    assert.equal(r.status, 201, r.text);
    const app = await settled('/e2e/unique', 3);
    assert.equal(new Set((app.tasks ?? []).map((t) => t.host)).size, 3);

    await m.ok('PATCH', '/v2/apps/e2e/unique?force=true', { instances: 4 });
    const entry = await waitFor(async () => (await m.queue()).find((q) => q.app.id === '/e2e/unique' && q.placement?.summary.includes('UNIQUE hostname')), {
      timeoutMs: 15_000,
      what: 'the queue to explain the waiting instance',
    });
    assert.equal(entry.count, 1);
    assert.match(entry.placement?.summary ?? '', /UNIQUE hostname excludes 3 of 3 agents/);
    const deps = await m.deployments();
    const waiting = deps.flatMap((d) => d.currentActions).find((a) => a.app === '/e2e/unique');
    assert.match(waiting?.waitingReason ?? '', /UNIQUE hostname/);

    // An app too big for any agent says so too.
    assert.equal((await m.request('POST', '/v2/apps', { id: '/e2e/big', cmd: 'sleep 3600', cpus: 0.01, mem: 4096 })).status, 201);
    const big = await waitFor(async () => (await m.queue()).find((q) => q.app.id === '/e2e/big' && q.placement), { timeoutMs: 15_000, what: '/e2e/big in the queue' });
    assert.match(big.placement?.summary ?? '', /needs mem 4096, largest offer \d+/);

    for (const id of ['/e2e/unique', '/e2e/big']) assert.equal((await m.request('DELETE', `/v2/apps${id}?force=true`)).status, 200);
    await waitFor(async () => (await m.app('/e2e/unique')) === undefined && (await m.queue()).length === 0, { what: 'the apps to be gone' });
  });

  test('groups: dependencies order the deployment; deleting the group stops everything', async () => {
    const group = {
      id: '/e2e/shop',
      apps: [
        { id: 'db', cmd: 'sleep 3600', cpus: 0.01, mem: 8, instances: 1 },
        { id: 'web', cmd: 'sleep 3600', cpus: 0.01, mem: 8, instances: 2, dependencies: ['db'] },
      ],
    };
    const r = await m.request<{ deploymentId: string }>('POST', '/v2/groups', group);
    assert.equal(r.status, 201, r.text);
    const info = await waitFor(() => eventsOf('deployment_info', (e) => (e['plan'] as { id: string }).id === r.body.deploymentId)[0], { what: 'the deployment_info event' });
    const steps = (info['plan'] as { steps: { actions: { action: string; app: string }[] }[] }).steps;
    const order = steps.map((st) => st.actions.map((a) => `${a.action} ${a.app}`).join(','));
    const db = order.findIndex((st) => st.includes('ScaleApplication /e2e/shop/db'));
    const web = order.findIndex((st) => st.includes('ScaleApplication /e2e/shop/web'));
    assert.ok(db >= 0 && web > db, `db is scaled in an earlier step than web: ${order.join(' | ')}`);
    await settled('/e2e/shop/web', 2);
    await settled('/e2e/shop/db', 1);
    const g = await m.request<{ id: string; apps: { id: string }[] }>('GET', '/v2/groups/e2e/shop');
    assert.deepEqual(g.body.apps.map((a) => a.id).sort(), ['/e2e/shop/db', '/e2e/shop/web']);
    assert.equal((await m.request('DELETE', '/v2/groups/e2e/shop')).status, 200);
    await waitFor(async () => (await m.request('GET', '/v2/groups/e2e/shop')).status === 404 && (await m.request<{ tasks: unknown[] }>('GET', '/v2/tasks')).body.tasks.every((t) => !String((t as { appId: string }).appId).startsWith('/e2e/shop')), {
      timeoutMs: 20_000,
      what: 'the group and its tasks to be gone',
    });
  });

  test('bulk PUT and PATCH of /v2/apps change several apps in one deployment', async () => {
    const put = await m.request<{ deploymentId: string }>('PUT', '/v2/apps', [
      { id: '/bulk/a', cmd: 'sleep 3600', cpus: 0.01, mem: 8 },
      { id: '/bulk/b', cmd: 'sleep 3600', cpus: 0.01, mem: 8 },
    ]);
    assert.equal(put.status, 200, put.text);
    await settled('/bulk/a', 1);
    await settled('/bulk/b', 1);
    const patch = await m.request('PATCH', '/v2/apps', [{ id: '/bulk/a', instances: 2 }]);
    assert.equal(patch.status, 200, patch.text);
    await settled('/bulk/a', 2);
    assert.equal((await m.request('PATCH', '/v2/apps', [{ id: '/bulk/missing', instances: 2 }])).status, 404);
    assert.equal((await m.request('DELETE', '/v2/groups/bulk')).status, 200);
    await waitFor(async () => (await m.app('/bulk/a')) === undefined, { what: '/bulk to be gone' });
  });

  test('a stalled update is rolled back by DELETE /v2/deployments/{id}, and by its progress deadline', async () => {
    const before = await settled('/e2e/web', 2);
    const oldIds = new Set((before.tasks ?? []).map((t) => t.id));
    // The new version serves no /health: it never becomes healthy, so no old task may be killed.
    const broken = { cmd: WEB_CMD.replace('echo ok > www/health && ', '') };
    const r = await m.request<{ deploymentId: string }>('PUT', '/v2/apps/e2e/web', broken);
    assert.equal(r.status, 200, r.text);
    await waitFor(async () => ((await appNow('/e2e/web')).tasks ?? []).length > 2, { what: 'new tasks next to the old ones' });
    assert.equal((await m.request('PUT', '/v2/apps/e2e/web', { instances: 5 })).status, 409, 'locked by the deployment');
    const cancel = await m.request<{ deploymentId: string }>('DELETE', `/v2/deployments/${r.body.deploymentId}`);
    assert.equal(cancel.status, 200, cancel.text);
    const back = await waitFor(async () => {
      const a = await settled('/e2e/web', 2);
      return (a.tasks ?? []).every((t) => oldIds.has(t.id)) ? a : undefined;
    }, { timeoutMs: 30_000, what: 'the rollback to leave only the old tasks' });
    assert.equal(back.tasksHealthy, 2);

    // Now with a deadline: Agora rolls back on its own.
    const withDeadline = await m.request<{ deploymentId: string }>('PUT', '/v2/apps/e2e/web', { ...broken, upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1, progressDeadlineSeconds: 4 } });
    assert.equal(withDeadline.status, 200, withDeadline.text);
    await waitFor(() => eventsOf('deployment_failed', (e) => e['id'] === withDeadline.body.deploymentId)[0], { timeoutMs: 30_000, what: 'the deadline to fail the deployment' });
    const healed = await waitFor(async () => {
      const a = await settled('/e2e/web', 2);
      return (a.tasks ?? []).every((t) => oldIds.has(t.id)) ? a : undefined;
    }, { timeoutMs: 30_000, what: 'the automatic rollback' });
    assert.equal(healed.tasksHealthy, 2);
  });

  test('a crash-looping app is relaunched with a growing delay, visible in /v2/queue', async () => {
    const r = await m.request('POST', '/v2/apps', { id: '/e2e/crash', cmd: 'exit 3', cpus: 0.01, mem: 8, backoffSeconds: 2, backoffFactor: 2, maxLaunchDelaySeconds: 60 });
    assert.equal(r.status, 201, r.text);
    const delayed = await waitFor(async () => (await m.queue()).find((q) => q.app.id === '/e2e/crash' && !q.delay.overdue && q.delay.timeLeftSeconds > 0), {
      timeoutMs: 20_000,
      what: 'a launch delay in the queue',
    });
    assert.ok(delayed.delay.timeLeftSeconds <= 60);
    const app = await appNow('/e2e/crash');
    const failure = app['lastTaskFailure'] as { state: string; appId: string } | undefined;
    assert.equal(failure?.state, 'TASK_FAILED');
    const reset = await m.request('DELETE', '/v2/queue/e2e/crash/delay');
    assert.equal(reset.status, 204);
    assert.equal((await m.request('DELETE', '/v2/apps/e2e/crash?force=true')).status, 200);
  });

  /** Runs the built `agora` CLI; resolves with its exit status and output. */
  function agora(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [builtMain('cli/src/main'), ...args, '--marathon', m.baseUrl], { timeout: 60_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  test('agora app add|list|show|scale|deployments|remove, with progress and the reason of a stall', async () => {
    const file = path.join(markerDir, 'cli-app.json');
    fs.writeFileSync(file, JSON.stringify({ id: '/e2e/cli', cmd: 'sleep 3600', cpus: 0.01, mem: 8, instances: 1, constraints: [['hostname', 'UNIQUE']] }));
    let r = await agora(['app', 'add', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /created \/e2e\/cli: deployment \S+/);
    assert.match(r.stdout, /finished in/);
    r = await agora(['app', 'list']);
    assert.match(r.stdout, /^\/e2e\/cli\s+1\s+1\s/m);
    r = await agora(['app', 'scale', '/e2e/cli', '3']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /running \d\/3/);
    r = await agora(['app', 'show', '/e2e/cli', '--json']);
    const shown = JSON.parse(r.stdout) as AppJson;
    assert.equal(shown.tasksRunning, 3);
    // A fourth instance cannot be placed: the command says why when it gives up.
    r = await agora(['app', 'scale', '/e2e/cli', '4', '--timeout', '3']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /UNIQUE hostname excludes 3 of 3 agents/);
    r = await agora(['app', 'deployments']);
    assert.match(r.stdout, /ScaleApplication \/e2e\/cli/);
    r = await agora(['app', 'remove', '/e2e/cli', '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await m.app('/e2e/cli'), undefined);
    fs.writeFileSync(file, JSON.stringify({ id: '/e2e/cli', cmd: 'x', args: ['y'] }));
    r = await agora(['app', 'add', file, '--no-wait']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /422 Object is not valid/);
  });

  test('DELETE removes the app and its tasks; the app is gone from every listing', async () => {
    const r = await m.request('DELETE', '/v2/apps/e2e/web');
    assert.equal(r.status, 200, r.text);
    await waitFor(async () => (await m.app('/e2e/web')) === undefined, { what: '/e2e/web to be gone' });
    await waitFor(async () => (await m.request<{ tasks: { appId: string }[] }>('GET', '/v2/tasks')).body.tasks.every((t) => t.appId !== '/e2e/web'), {
      timeoutMs: 15_000,
      what: 'its tasks to be gone',
    });
    assert.ok(eventsOf('app_terminated_event', (e) => e['appId'] === '/e2e/web').length >= 1);
    assert.equal((await m.request('GET', '/v2/apps/e2e/web/versions')).status, 404);
  });
});
