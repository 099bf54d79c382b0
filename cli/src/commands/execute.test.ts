import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeFor, stateLine, taskFor, taskIdFor, type ExecuteOptions } from './execute';
import { buildProgram } from '../program';

test('task ids are path-safe and carry a random suffix', () => {
  assert.equal(taskIdFor('sleep', 'abcd1234'), 'sleep.abcd1234');
  assert.equal(taskIdFor('my job/1', 'ff'), 'my-job-1.ff');
  assert.equal(taskIdFor('...', 'ff'), 'task.ff');
});

test('exit status follows the terminal state', () => {
  assert.equal(exitCodeFor({ state: 'TASK_FINISHED' }), 0);
  assert.equal(exitCodeFor({ state: 'TASK_FAILED', exitCode: 3 }), 3);
  assert.equal(exitCodeFor({ state: 'TASK_FAILED' }), 1);
  assert.equal(exitCodeFor({ state: 'TASK_KILLED' }), 1);
  assert.equal(exitCodeFor({ state: 'TASK_LOST' }), 1);
});

test('state lines name the host while the task lives, and the message', () => {
  assert.equal(stateLine({ state: 'TASK_RUNNING' }, '127.0.1.1'), 'TASK_RUNNING on 127.0.1.1\n');
  assert.equal(stateLine({ state: 'TASK_FINISHED' }, '127.0.1.1'), 'TASK_FINISHED\n');
  assert.equal(stateLine({ state: 'TASK_FAILED', message: 'exited with status 3' }, 'h'), 'TASK_FAILED: exited with status 3\n');
});

const base: ExecuteOptions = {
  name: 'n',
  command: 'echo  hi there',
  cpus: 0.1,
  mem: 32,
  disk: 0,
  env: { A: '1' },
  shell: true,
  master: 'http://127.0.0.1:5050',
  offerTimeout: 30,
};

test('task definition: shell or argv, zero disk left out, kill policy only when asked', () => {
  const shell = taskFor(base, 'n.1');
  assert.deepEqual(shell.command, { value: 'echo  hi there', shell: true, environment: { A: '1' } });
  assert.deepEqual(shell.resources, { scalars: { cpus: 0.1, mem: 32 }, ports: [] });
  assert.equal(shell.killPolicy, undefined);
  const argv = taskFor({ ...base, shell: false, gracePeriod: 2 }, 'n.1');
  assert.deepEqual(argv.command, { value: 'echo', shell: false, arguments: ['echo', 'hi', 'there'], environment: { A: '1' } });
  assert.deepEqual(argv.killPolicy, { gracePeriodSeconds: 2 });
});

test('--docker-image runs the command in a DOCKER container with host networking', () => {
  const base: ExecuteOptions = { name: 'n', command: 'echo hi', cpus: 0.1, mem: 32, disk: 0, env: {}, shell: true, master: 'http://x', offerTimeout: 30, dockerImage: 'busybox:1' };
  const shell = taskFor(base, 'n.1');
  assert.deepEqual(shell.container, { type: 'DOCKER', docker: { image: 'busybox:1', network: 'HOST' } });
  assert.deepEqual(shell.command, { value: 'echo hi', shell: true, environment: {} });
  // exec form: the words are the container's CMD, the image's entrypoint stays
  assert.deepEqual(taskFor({ ...base, shell: false }, 'n.1').command, { shell: false, arguments: ['echo', 'hi'], environment: {} });
  assert.equal(taskFor({ ...base, dockerImage: undefined }, 'n.1').container, undefined);
});

test('flags parse into the options execute gets', async () => {
  let got: Record<string, unknown> | undefined;
  const program = buildProgram();
  program.exitOverride();
  const cmd = program.commands.find((c) => c.name() === 'execute');
  assert.ok(cmd);
  cmd.action((opts: Record<string, unknown>) => {
    got = opts;
  });
  await program.parseAsync(['node', 'agora', 'execute', '--name', 'x', '--command', 'true', '--env', 'A=1', '--env', 'B=x=y', '--no-shell', '--cpus', '0.5'], {
    from: 'node',
  });
  assert.deepEqual(got?.env, { A: '1', B: 'x=y' });
  assert.equal(got?.shell, false);
  assert.equal(got?.cpus, 0.5);
  assert.equal(got?.mem, 32);
  assert.equal(got?.master, 'http://127.0.0.1:5050');
});
