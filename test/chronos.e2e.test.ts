import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { SERVICE_NAMES, TaskEvent } from '@agora/contracts';
import { ConsulClient } from '@agora/consul';
import { CORE_COMPONENTS, chronosComponent } from '@agora/launcher';
import { startTestCluster, waitFor, type TestCluster } from '@agora/testing';
import { ChronosClient, FAR_FUTURE, holdsFor, iso, ms, sandboxFile, secondFromNow, type Run } from './chronos-helpers';

const run = promisify(execFile);
const FIXTURES = path.resolve(__dirname, '../../test/fixtures/chronos');
const CLI = path.resolve(__dirname, '../cli/src/main.js');

/**
 * Chronos against a real cluster (nats-server, Consul, a master, two agents, DNS, Chronos): schedules,
 * dependencies, retries, concurrency policies, run timeouts, the REST API's answers to bad input,
 * Chronos job JSON as users write it, and the `agora job` commands.
 */
describe('Chronos end to end', () => {
  let c: TestCluster | undefined;
  let api: ChronosClient;

  before(async () => {
    c = await startTestCluster({
      agents: 2,
      agentResources: 'cpus:8;mem:8192;disk:20000',
      components: [...CORE_COMPONENTS, chronosComponent],
      logLevel: process.env.AGORA_LOG_LEVEL ?? 'info',
    });
    const inst = c.cluster.instance('chronos', 0);
    assert.ok(inst, 'chronos runs');
    api = new ChronosClient(inst.url);
  });
  after(async () => {
    await c?.stop();
  });

  test('the leader names itself, is in the Consul catalog; /scheduler is an alias of /v1/scheduler', async () => {
    assert.ok(c);
    const l = await api.call<{ leader: string }>('GET', '/leader');
    assert.equal(l.status, 200);
    assert.equal(l.body.leader, new URL(api.url).host);
    const listed = await waitFor(async () => (await new ConsulClient(c?.consul ?? '').healthyServices(SERVICE_NAMES.chronos))[0], { what: 'chronos in the catalog' });
    assert.equal(`${listed.address}:${listed.port}`, new URL(api.url).host);
    const old = await fetch(`${api.url}/scheduler/jobs`);
    assert.equal(old.status, 200);
    assert.deepEqual(await old.json(), []);
  });

  test('Chronos job JSON as users write it is accepted, reads back, and posts back unchanged', async () => {
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();
    assert.ok(files.length >= 4);
    const names: string[] = [];
    for (const f of files) {
      const job = JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')) as Record<string, unknown>;
      const r = await api.call('POST', Array.isArray(job.parents) ? '/dependency' : '/iso8601', job);
      assert.equal(r.status, 204, `${f}: ${r.text}`);
      names.push(String(job.name));
    }
    const strip = (j: Record<string, unknown>) => {
      const { successCount: _a, errorCount: _b, lastSuccess: _c, lastError: _d, errorsSinceLastSuccess: _e, ...rest } = j;
      return rest;
    };
    for (const name of names) {
      const first = await api.job(name);
      await api.save(first);
      assert.deepEqual(strip(await api.job(name)), strip(first), `${name} reads back the same after a re-post`);
    }
    const nightly = await api.job('nightly-report');
    assert.deepEqual([nightly.cpus, nightly.mem, nightly.retries, nightly.owner], [0.1, 64, 1, 'data-team@example.com']);
    assert.deepEqual(nightly.environmentVariables, [{ name: 'REPORT_KIND', value: 'daily' }]);
    assert.deepEqual((await api.job('publish-report')).parents, ['nightly-report']);
    assert.equal(((await api.job('dockerjob')).container as { image: string }).image, 'library/busybox');
    const tz = await api.job('berlin-morning');
    assert.deepEqual([tz.scheduleTimeZone, tz.concurrent, tz.concurrencyPolicy], ['Europe/Berlin', true, 'Allow']);
    const cron = await api.job('business-hours-tick');
    assert.deepEqual([cron.schedule, cron.concurrencyPolicy, cron.shell], ['*/15 9-17 * * 1-5', 'Replace', false]);
    const summary = await api.call<{ jobs: Array<{ name: string; nextRunAt: string | null }> }>('GET', '/jobs/summary');
    assert.ok(summary.body.jobs.find((j) => j.name === 'business-hours-tick')?.nextRunAt, 'a cron job has a next run');
    const found = await api.call<Array<{ name: string }>>('GET', '/jobs/search?name=REPORT');
    assert.deepEqual(found.body.map((j) => j.name), ['nightly-report', 'publish-report']);
    for (const name of ['publish-report', ...names.filter((n) => n !== 'publish-report')]) await api.ok('DELETE', `/job/${name}`);
    assert.deepEqual((await api.call('GET', '/jobs')).body, []);
  });

  test('bad job JSON gets 400 naming the field and changes nothing; unknown jobs get 404', async () => {
    await api.save({ name: 'keep-a', command: 'true', schedule: FAR_FUTURE, cpus: 0.2 });
    await api.save({ name: 'keep-b', command: 'true', parents: ['keep-a'] });
    const before = (await api.call('GET', '/jobs')).text;
    const cases: Array<[string, unknown, RegExp]> = [
      ['/iso8601', '{"name": "x", ', /JSON/],
      ['/iso8601', { name: 'bad name', command: 'true', schedule: FAR_FUTURE }, /^name: /],
      ['/iso8601', { name: 'both', command: 'true', schedule: FAR_FUTURE, parents: ['keep-a'] }, /^schedule: .*parents/],
      ['/iso8601', { name: 'badsched', command: 'true', schedule: 'R/not-a-date/PT1M' }, /^schedule/],
      ['/iso8601', { name: 'badcron', command: 'true', schedule: '61 * * * *' }, /^schedule/],
      ['/iso8601', { name: 'nocmd', schedule: FAR_FUTURE }, /^command: /],
      ['/iso8601', { name: 'keep-a', command: 'true', schedule: FAR_FUTURE, cpus: 'lots' }, /^cpus: /],
      ['/dependency', { name: 'orphan', command: 'true', parents: ['nope'] }, /^parents: unknown parent job: nope/],
      ['/dependency', { name: 'keep-a', command: 'true', parents: ['keep-b'] }, /^parents: would form a cycle/],
      ['/iso8601', { name: 'tz', command: 'true', schedule: FAR_FUTURE, scheduleTimeZone: 'Mars/Olympus' }, /scheduleTimeZone|schedule/],
    ];
    for (const [p, body, message] of cases) {
      const r = await api.call<{ message: string }>('POST', p, body);
      assert.equal(r.status, 400, `${p} ${JSON.stringify(body)} → ${r.status} ${r.text}`);
      assert.match(r.body.message, message);
    }
    assert.equal((await api.call('GET', '/jobs')).text, before, 'nothing changed');
    const del = await api.call<{ message: string }>('DELETE', '/job/keep-a');
    assert.equal(del.status, 400, 'a parent cannot be deleted under its child');
    assert.match(del.body.message, /keep-b/);
    for (const [m, p] of [['GET', '/job/nope'], ['PUT', '/job/nope'], ['DELETE', '/job/nope'], ['DELETE', '/task/kill/nope'], ['GET', '/job/stat/nope'], ['GET', '/job/nope/runs'], ['POST', '/job/success/nope']] as const) {
      assert.equal((await api.call(m, p)).status, 404, `${m} ${p}`);
    }
    await api.ok('DELETE', '/job/keep-b');
    await api.ok('DELETE', '/job/keep-a');
  });

  test('an R/…/PT2S job runs at each scheduled time, once, with its logs in the sandbox', async () => {
    const start = secondFromNow(2500);
    await api.save({ name: 'every2s', command: 'echo "run $CHRONOS_JOB_RUN_TIME of $CHRONOS_JOB_NAME"', schedule: `R/${iso(start)}/PT2S` });
    const runs = await api.waitRuns('every2s', (rs) => rs.filter((r) => r.status === 'succeeded').length >= 3, 'three successful runs', 30_000);
    await api.ok('DELETE', '/job/every2s');
    const first = runs.slice(0, 3);
    assert.deepEqual(first.map((r) => r.scheduledTime), [iso(start), iso(start + 2000), iso(start + 4000)], 'consecutive times, none missed');
    assert.equal(new Set(runs.map((r) => r.scheduledTime)).size, runs.length, 'no time twice');
    for (const r of first) {
      assert.equal(r.status, 'succeeded');
      const late = ms(r.startedAt) - ms(r.scheduledTime);
      assert.ok(late >= 0 && late < 1500, `started ${late} ms after its time`);
      assert.equal(await sandboxFile(r), `run ${ms(r.scheduledTime)} of every2s\n`);
    }
  });

  test('launch ahead: the task waits on its agent before its time, and the command starts on time', async () => {
    assert.ok(c);
    const bus = await c.bus();
    const seen: Array<{ taskId: string; state: string; at: number }> = [];
    const sub = bus.on(TaskEvent, TaskEvent.subject(), (m) => {
      if (m.status.taskId.includes(':ahead:')) seen.push({ taskId: m.status.taskId, state: m.status.state, at: m.status.timestamp * 1000 });
    });
    try {
      // within --launch-ahead-seconds (5) of its time when saved: decided and launched at once
      const start = secondFromNow(3500);
      await api.save({ name: 'ahead', command: 'date +%s.%N', schedule: `R1/${iso(start)}/PT1M`, cpus: 0.05, mem: 16 });
      const [r] = await api.waitRuns('ahead', (rs) => rs[0]?.status === 'succeeded', 'the run to succeed', 20_000);
      assert.ok(r);
      assert.equal(r.scheduledTime, iso(start));
      assert.equal(r.startedAt, iso(start), 'the run starts at its scheduled time, not when it was launched');
      const starting = seen.find((e) => e.state === 'TASK_STARTING');
      const running = seen.find((e) => e.state === 'TASK_RUNNING');
      assert.ok(starting && running, JSON.stringify(seen));
      assert.ok(starting.at < start - 1000, `on its agent ${start - starting.at} ms before its time`);
      assert.ok(Math.abs(running.at - start) < 300, `TASK_RUNNING ${running.at - start} ms after its time`);
      const began = Number((await sandboxFile(r)).trim()) * 1000;
      assert.ok(began >= start && began - start < 300, `the command began ${began - start} ms after its time`);
      assert.equal(new Set(seen.map((e) => e.taskId)).size, 1, 'one task');
    } finally {
      sub.unsubscribe();
    }
    await api.ok('DELETE', '/job/ahead');
  });

  test('a chain A → B → C runs in order, and C waits for both of its parents', async () => {
    await api.save({ name: 'chain-a', command: 'sleep 1', schedule: FAR_FUTURE });
    await api.save({ name: 'chain-x', command: 'true', schedule: FAR_FUTURE });
    await api.save({ name: 'chain-b', command: 'sleep 1', parents: ['chain-a'] });
    await api.save({ name: 'chain-c', command: 'echo c', parents: ['chain-b', 'chain-x'] });
    await api.ok('PUT', '/job/chain-a');
    const [b] = await api.waitRuns('chain-b', (rs) => rs.some((r) => r.status === 'succeeded'), 'B to succeed after A');
    // B is done, X has not run: C must keep waiting.
    await holdsFor(2000, async () => (await api.runs('chain-c')).length === 0, 'C not running while X has not run');
    await api.ok('PUT', '/job/chain-x');
    const [cRun] = await api.waitRuns('chain-c', (rs) => rs.some((r) => r.status === 'succeeded'), 'C to succeed after B and X');
    const [a] = await api.runs('chain-a');
    const [x] = await api.runs('chain-x');
    assert.ok(a && b && cRun && x);
    assert.ok(ms(a.endedAt) <= ms(b.startedAt), 'B started after A ended');
    assert.ok(ms(b.endedAt) <= ms(cRun.startedAt), 'C started after B ended');
    assert.ok(ms(x.endedAt) <= ms(cRun.startedAt), 'C started after X ended');
    assert.equal(cRun.trigger, 'dependency');
    await holdsFor(1000, async () => (await api.runs('chain-c')).length === 1 && (await api.runs('chain-b')).length === 1, 'B and C ran once each');
    const dot = await api.call('GET', '/graph/dot');
    assert.match(dot.text, /"chain-a" -> "chain-b"/);
    assert.match(dot.text, /"chain-x" -> "chain-c"/);
    // Marking A successful by hand triggers B again (chronos#600).
    await api.ok('POST', '/job/success/chain-a');
    await api.waitRuns('chain-b', (rs) => rs.filter((r) => r.status === 'succeeded').length === 2, 'B to run again after A was marked successful');
    assert.equal((await api.job('chain-a')).successCount, 2);
    for (const n of ['chain-c', 'chain-b', 'chain-x', 'chain-a']) await api.ok('DELETE', `/job/${n}`);
  });

  test('a failing job is retried, then recorded as failed', async () => {
    await api.save({ name: 'fails', command: 'echo "attempt $AGORA_RUN_ATTEMPT"; exit 3', schedule: FAR_FUTURE, retries: 2, retryDelaySeconds: 1 });
    await api.ok('PUT', '/job/fails');
    const [r] = await api.waitRuns('fails', (rs) => rs[0]?.status === 'failed', 'the run to fail for good', 40_000);
    assert.ok(r);
    assert.equal(r.attempts.length, 3, 'retries: 2 means three attempts');
    assert.deepEqual(r.attempts.map((a) => a.exitCode), [3, 3, 3]);
    assert.match(r.reason ?? '', /exit code 3/);
    for (let i = 1; i < r.attempts.length; i++) {
      const gap = ms(r.attempts[i]?.startedAt) - ms(r.attempts[i - 1]?.endedAt);
      assert.ok(gap >= 900, `attempt ${i + 1} waited the retry delay (${gap} ms)`);
    }
    const job = await api.job('fails');
    assert.deepEqual([job.errorCount, job.successCount, job.errorsSinceLastSuccess], [1, 0, 1]);
    assert.notEqual(job.lastError, '');
    await api.ok('DELETE', '/job/fails');
  });

  test('Forbid skips a time while the previous run is still going', async () => {
    const start = secondFromNow(2500);
    await api.save({ name: 'forbid', command: 'sleep 3', schedule: `R/${iso(start)}/PT2S`, concurrent: false });
    const runs = await api.waitRuns(
      'forbid',
      (rs) => rs.some((r) => r.status === 'skipped') && rs.filter((r) => r.status === 'succeeded').length >= 1 && rs.filter((r) => r.attempts.length > 0).length >= 2,
      'a skipped time and a second run',
      30_000,
    );
    await api.ok('DELETE', '/job/forbid');
    const skipped = runs.find((r) => r.status === 'skipped');
    assert.match(skipped?.reason ?? '', /Forbid/);
    const started = runs.filter((r) => r.attempts.length > 0);
    for (let i = 1; i < started.length; i++) {
      const prev = started[i - 1];
      const cur = started[i];
      assert.ok(prev && cur && prev.endedAt !== undefined && ms(cur.startedAt) >= ms(prev.endedAt), 'runs never overlap');
    }
  });

  test('Replace kills the previous run and starts the new one', async () => {
    const start = secondFromNow(2500);
    await api.save({ name: 'replace', command: 'sleep 60', schedule: `R/${iso(start)}/PT2S`, concurrencyPolicy: 'Replace' });
    const runs = await api.waitRuns('replace', (rs) => rs.some((r) => r.status === 'killed') && rs.some((r) => r.status === 'running'), 'a replaced run and a running one', 30_000);
    await api.ok('DELETE', '/job/replace');
    const killed = runs.find((r) => r.status === 'killed');
    assert.ok(killed);
    assert.match(killed.reason ?? '', /replaced/);
    const newer = runs.filter((r) => r.scheduledTime > killed.scheduledTime && r.attempts.length > 0);
    assert.ok(newer.length >= 1, 'a newer run started');
    assert.equal((await api.call('GET', '/job/replace')).status, 404);
  });

  test('a run past maxCompletionTime is killed and counts as failed', async () => {
    await api.save({ name: 'slow', command: 'sleep 60', schedule: FAR_FUTURE, maxCompletionTime: 2, retries: 0 });
    await api.ok('PUT', '/job/slow');
    const [r] = await api.waitRuns('slow', (rs) => rs[0]?.status === 'failed', 'the slow run to be stopped', 30_000);
    assert.ok(r);
    const took = ms(r.endedAt) - ms(r.startedAt);
    assert.ok(took >= 1500 && took < 10_000, `ran ${took} ms before it was stopped`);
    assert.match(r.reason ?? '', /time/i);
    assert.equal((await api.job('slow')).errorCount, 1);
    await api.ok('DELETE', '/job/slow');
  });

  test('kill all tasks of a job ends its run as killed, without retries', async () => {
    await api.save({ name: 'killme', command: 'sleep 60', schedule: FAR_FUTURE, retries: 3 });
    await api.ok('PUT', '/job/killme');
    await api.waitRuns('killme', (rs) => rs[0]?.status === 'running', 'the run to be running');
    await api.ok('DELETE', '/task/kill/killme');
    const [r] = await api.waitRuns('killme', (rs) => rs[0]?.status === 'killed', 'the run to be killed');
    assert.equal(r?.attempts.length, 1);
    const stat = await api.call<{ histogram: { count: number }; taskStatHistory: unknown[] }>('GET', '/job/stat/killme');
    assert.equal(stat.status, 200);
    assert.equal(stat.body.taskStatHistory.length, 1);
    await api.ok('DELETE', '/job/killme');
  });

  test('agora job add / list / run / history / log / graph / remove', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-chronos-cli-'));
    try {
      const file = path.join(dir, 'jobs.json');
      fs.writeFileSync(file, JSON.stringify([
        { name: 'cli-job', command: 'echo "hello from $CHRONOS_JOB_NAME"', schedule: FAR_FUTURE },
        { name: 'cli-child', command: 'true', parents: ['cli-job'] },
      ]));
      const agora = async (...args: string[]) => (await run(process.execPath, [CLI, ...args, '--chronos', api.url], { timeout: 30_000 })).stdout;
      assert.equal(await agora('job', 'add', file), 'job cli-job saved\njob cli-child saved\n');
      assert.match(await agora('job', 'run', 'cli-job'), /^run cli-job@manual-\S+ started\n$/);
      await api.waitRuns('cli-child', (rs) => rs[0]?.status === 'succeeded', 'the child to run');
      const list = await agora('job', 'list');
      assert.match(list, /^NAME\s+SCHEDULE\s+NEXT RUN/);
      assert.match(list, /cli-job\s+R\/2035-01-01T00:00:00.000Z\/P1D\s+2035-01-01 00:00:00\s+success\s+idle\s+1\s+0/);
      assert.match(list, /cli-child\s+after cli-job/);
      const json = JSON.parse(await agora('job', 'list', '--json')) as Array<{ name: string; successCount: number }>;
      assert.deepEqual(json.map((j) => [j.name, j.successCount]), [['cli-child', 1], ['cli-job', 1]]);
      assert.match(await agora('job', 'history', 'cli-job'), /1\s+\S+ \S+\s+manual\s+succeeded\s+1\s/);
      assert.equal(await agora('job', 'log', 'cli-job'), 'hello from cli-job\n');
      assert.equal(await agora('job', 'log', 'cli-job', '--run', '1', '--follow'), 'hello from cli-job\n');
      assert.match(await agora('job', 'graph'), /"cli-job" -> "cli-child"/);
      await assert.rejects(agora('job', 'remove', 'cli-job'), /cli-child/);
      assert.equal(await agora('job', 'remove', 'cli-child'), 'job cli-child removed\n');
      assert.equal(await agora('job', 'remove', 'cli-job'), 'job cli-job removed\n');
      await assert.rejects(agora('job', 'history', 'cli-job'), /404/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every run is in the history with its attempt, task id and agent', async () => {
    await api.save({ name: 'hist', command: 'true', schedule: FAR_FUTURE, successfulRunsHistoryLimit: 2 });
    for (let i = 0; i < 3; i++) {
      await api.ok('PUT', '/job/hist');
      await api.waitRuns('hist', (rs) => rs.filter((r) => r.status === 'succeeded').length >= Math.min(i + 1, 2) && rs.every((r) => r.status === 'succeeded'), `run ${i + 1}`);
    }
    await waitFor(async () => (await api.job('hist')).successCount === 3, { what: 'three successes counted' });
    const runs: Run[] = await api.runs('hist');
    assert.equal(runs.length, 2, 'the history keeps successfulRunsHistoryLimit runs');
    for (const r of runs) {
      assert.match(r.taskId ?? '', /^ct:\d+:1:hist:manual$/);
      assert.ok(r.agentUrl && r.sandbox?.endsWith(r.taskId ?? '-'));
    }
    await api.ok('DELETE', '/job/hist');
  });
});
