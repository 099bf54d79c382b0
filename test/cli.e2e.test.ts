import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { startTestCluster, waitFor, type TestCluster } from '@agora/testing';

const AGORA = path.resolve(__dirname, '..', '..', 'bin', 'agora');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  done: Promise<number | null>;
}

/** Runs `agora …` as a real process (killed in after() if a test leaves it behind). */
function agora(args: string[], live: Set<ChildProcess>): Run {
  const env = { ...process.env };
  delete env.AGORA_MASTER;
  const child = spawn(process.execPath, [AGORA, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  live.add(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<number | null>((resolve) =>
    child.once('close', (code, signal) => {
      live.delete(child);
      resolve(code ?? (signal ? 128 : null));
    }),
  );
  return { child, stdout: () => out, stderr: () => err, done };
}

describe('agora CLI end to end', () => {
  let c: TestCluster | undefined;
  let master = '';
  const live = new Set<ChildProcess>();

  before(async () => {
    c = await startTestCluster({ agents: 1, agentResources: 'cpus:2;mem:1024;disk:1000;ports:[31000-31099]', agentAttributes: ['rack:r1'], logLevel: 'warn' });
    master = c.masters[0]?.url ?? '';
  });
  after(async () => {
    for (const child of live) child.kill('SIGKILL');
    await c?.stop();
  });

  test('execute runs a task to TASK_FINISHED and exits 0', async () => {
    const r = agora(['execute', '--master', master, '--name', 'hello', '--command', 'echo hello from $GREETING', '--env', 'GREETING=agora'], live);
    assert.equal(await r.done, 0, r.stderr());
    assert.match(r.stdout(), /^Launched task hello\.[0-9a-f]+ on 127\.0\.1\.1$/m);
    assert.match(r.stdout(), /^TASK_FINISHED/m);

    const id = /Launched task (\S+)/.exec(r.stdout())?.[1] ?? '';
    const list = agora(['task', 'list', '--all', '--json', '--master', master], live);
    assert.equal(await list.done, 0, list.stderr());
    const rows = JSON.parse(list.stdout()) as { id: string; state: string; framework: string; host: string }[];
    const row = rows.find((t) => t.id === id);
    assert.equal(row?.state, 'TASK_FINISHED');
    assert.equal(row?.framework, 'agora-execute');

    const log = agora(['task', 'log', id, '--master', master], live);
    assert.equal(await log.done, 0, log.stderr());
    assert.equal(log.stdout(), 'hello from agora\n');
  });

  test('execute exits with the command status when the task fails', async () => {
    const r = agora(['execute', '--master', master, '--name', 'fails', '--command', 'echo oops >&2; exit 3'], live);
    assert.equal(await r.done, 3, r.stderr());
    assert.match(r.stdout(), /^TASK_FAILED/m);
    const id = /Launched task (\S+)/.exec(r.stdout())?.[1] ?? '';
    const log = agora(['task', 'log', id, '--stderr', '--lines', '1', '--master', master], live);
    assert.equal(await log.done, 0, log.stderr());
    assert.match(log.stdout(), /oops/);
  });

  test('execute says why when nothing fits', async () => {
    const r = agora(['execute', '--master', master, '--name', 'huge', '--command', 'true', '--cpus', '64', '--offer-timeout', '3'], live);
    assert.equal(await r.done, 1);
    assert.match(r.stderr(), /^agora: no offer fits cpus:64;mem:32 within 3 s; the largest offer was .* \(cpus: asked 64, offered 2\)/m);
  });

  test('Ctrl-C kills the task, tears down and exits 130', async () => {
    const r = agora(['execute', '--master', master, '--name', 'sleeper', '--command', 'sleep 60', '--grace-period', '1'], live);
    await waitFor(() => /TASK_RUNNING/.test(r.stdout()), { what: 'the task to run', timeoutMs: 20_000 });
    r.child.kill('SIGINT');
    assert.equal(await r.done, 130, r.stderr());
    assert.match(r.stdout(), /^TASK_KILLED/m);
    const list = agora(['task', 'list', '--json', '--master', master], live);
    assert.equal(await list.done, 0);
    assert.equal((JSON.parse(list.stdout()) as unknown[]).length, 0, 'no task left running');
  });

  test('task log --follow prints until the task ends', async () => {
    const r = agora(['execute', '--master', master, '--name', 'ticker', '--command', 'for i in 1 2 3; do echo tick $i; sleep 0.5; done'], live);
    await waitFor(() => /Launched task (\S+)/.exec(r.stdout()), { what: 'the launch', timeoutMs: 20_000 });
    const id = /Launched task (\S+)/.exec(r.stdout())?.[1] ?? '';
    const follow = agora(['task', 'log', id, '--follow', '--master', master], live);
    assert.equal(await follow.done, 0, follow.stderr());
    assert.equal(follow.stdout(), 'tick 1\ntick 2\ntick 3\n');
    assert.equal(await r.done, 0);
  });

  test('node list shows the agent with its resources and attributes', async () => {
    const table = agora(['node', 'list', '--master', master], live);
    assert.equal(await table.done, 0, table.stderr());
    assert.match(table.stdout(), /^ID\s+HOSTNAME\s+CPUS\s+MEM\s+DISK\s+STATUS\s+ATTRIBUTES$/m);
    assert.match(table.stdout(), /127\.0\.1\.1\s+[\d.]+\/2\s+[\d.]+\/1024\s+[\d.]+\/1000\s+\S+\s+rack:r1/);
    const json = agora(['node', 'list', '--json', '--master', master], live);
    assert.equal(await json.done, 0);
    const nodes = JSON.parse(json.stdout()) as { hostname: string; cpus: { total: number } }[];
    assert.deepEqual(nodes.map((n) => [n.hostname, n.cpus.total]), [['127.0.1.1', 2]]);
  });

  test('errors: unreachable master, bad flags', async () => {
    const down = agora(['node', 'list', '--master', 'http://127.0.0.1:9'], live);
    assert.equal(await down.done, 1);
    assert.match(down.stderr(), /^agora: cannot reach the master at http:\/\/127\.0\.0\.1:9/);
    const bad = agora(['execute', '--name', 'x', '--command', 'true', '--mem', 'lots'], live);
    assert.equal(await bad.done, 1);
    assert.match(bad.stderr(), /^agora: option '--mem <mb>' argument 'lots' is invalid/);
  });
});
