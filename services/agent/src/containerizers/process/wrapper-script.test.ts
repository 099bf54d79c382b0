import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CommandSchema } from '@agora/contracts';
import { commandLine, DELAYED_ARGV0, EXIT_STATUS_FILE, shellQuote, uptimeCentiseconds, wrapperScript } from './wrapper-script';

const sh = (script: string, cwd?: string) => spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', cwd });
const cmd = (c: Record<string, unknown>) => CommandSchema.parse(c);

describe('shellQuote', () => {
  test('any string survives /bin/sh as one word, unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0')), (s) => {
        const out = sh(`printf '%s' ${shellQuote(s)}`);
        assert.equal(out.stdout, s);
      }),
      { numRuns: 60 },
    );
  });
});

describe('commandLine', () => {
  test('shell=true evaluates the value in the wrapper shell', () => {
    assert.equal(commandLine(cmd({ value: 'echo $HOME' })), `eval 'echo $HOME'`);
  });

  test('shell=false: arguments are argv (argv[0] dropped when it names the value)', () => {
    assert.equal(commandLine(cmd({ shell: false, value: '/bin/echo', arguments: ['echo', 'a b'] })), `'/bin/echo' 'a b'`);
    assert.equal(commandLine(cmd({ shell: false, value: '/bin/echo', arguments: ['/bin/echo', 'x'] })), `'/bin/echo' 'x'`);
    assert.equal(commandLine(cmd({ shell: false, value: '/bin/echo', arguments: ['x', 'y'] })), `'/bin/echo' 'x' 'y'`);
    assert.equal(commandLine(cmd({ shell: false, value: 'ls' })), `'ls'`);
  });

  test('nothing to run is an error', () => {
    assert.deepEqual(commandLine(undefined), { error: 'the task has no command to run' });
    assert.deepEqual(commandLine(cmd({ value: '  ' })), { error: 'the task has no command to run' });
  });
});

describe('wrapperScript', () => {
  test('runs the command with stdout/stderr appended in the sandbox and exits with its status', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-wrapper-'));
    try {
      const r = sh(wrapperScript(`eval ${shellQuote("echo out; echo err >&2; exit 7")}`, dir, []), dir);
      assert.equal(r.status, 7);
      assert.equal(fs.readFileSync(path.join(dir, 'stdout'), 'utf8'), 'out\n');
      assert.equal(fs.readFileSync(path.join(dir, 'stderr'), 'utf8'), 'err\n');
      assert.equal(fs.existsSync(path.join(dir, EXIT_STATUS_FILE)), false, 'its parent reaps it: no status file needed');
      const again = sh(wrapperScript(`eval ${shellQuote('echo again')}`, dir, []), dir);
      assert.equal(again.status, 0);
      assert.equal(fs.readFileSync(path.join(dir, 'stdout'), 'utf8'), 'out\nagain\n', 'appends');
      assert.equal(sh(wrapperScript(`eval ${shellQuote('sh -c "kill -9 \\$\\$"')}`, dir, []), dir).status, 137);
      assert.equal(sh(wrapperScript(`eval ${shellQuote('if')}`, dir, []), dir).status, 2, 'a syntax error is status 2, as with sh -c');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('records the exit status in the sandbox when its parent is gone by the time it ends', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-wrapper-'));
    try {
      const wrapper = wrapperScript(`eval ${shellQuote('sleep 0.4; exit 6')}`, dir, []);
      // the intermediate shell plays the spawner: alive when the wrapper starts, gone when it ends
      sh(`sh -c "$0" & sleep 0.1`.replace('"$0"', shellQuote(wrapper)));
      const file = path.join(dir, EXIT_STATUS_FILE);
      const deadline = Date.now() + 5000;
      while (!fs.existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(fs.readFileSync(file, 'utf8'), '6\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fails with 125 before running anything when it cannot join its cgroup', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-wrapper-'));
    try {
      const r = sh(wrapperScript(`touch ran`, dir, [path.join(dir, 'no-such-cgroup', 'cgroup.procs')]), dir);
      assert.equal(r.status, 125);
      assert.equal(fs.existsSync(path.join(dir, 'ran')), false);
      assert.match(fs.readFileSync(path.join(dir, 'stderr'), 'utf8'), /could not join/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('writes its own pid into every cgroup.procs file before the command runs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-wrapper-'));
    try {
      const files = [path.join(dir, 'a.procs'), path.join(dir, "b 'x'.procs")];
      const r = sh(wrapperScript(`cat ${files.map(shellQuote).join(' ')}`, dir, files), dir);
      assert.equal(r.status, 0);
      const [a, b] = fs.readFileSync(path.join(dir, 'stdout'), 'utf8').trim().split('\n');
      assert.ok(a && /^\d+$/.test(a));
      assert.equal(a, b);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Runs a delayed wrapper due `dueInMs` from now with fd 3 a pipe; `wake` decides what reaches the pipe. */
  const runDelayed = async (dir: string, dueInMs: number, wake: (pipe: NodeJS.WritableStream & { destroy(): void }) => void) => {
    const script = wrapperScript(`eval ${shellQuote('echo "$0|$#|$1|${u-unset}|${r-unset}"; [ -e /dev/fd/3 ] && echo fd3-open; exit 4')}`, dir, [], { delayed: true });
    const t0 = Date.now();
    const at = uptimeCentiseconds(t0 + dueInMs, t0, fs.readFileSync('/proc/uptime', 'utf8'));
    const child = spawn('/bin/sh', ['-c', script, DELAYED_ARGV0, String(at)], { cwd: dir, stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    const pipe = child.stdio[3] as unknown as NodeJS.WritableStream & { destroy(): void };
    wake(pipe);
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, waited: Date.now() - t0, out: fs.readFileSync(path.join(dir, 'stdout'), 'utf8'), err: fs.readFileSync(path.join(dir, 'stderr'), 'utf8') };
  };

  test('delayed (launch ahead): a line on fd 3 starts the command at once, with no positional parameters and fd 3 closed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-wrapper-'));
    try {
      const r = await runDelayed(dir, 5000, (pipe) => setTimeout(() => pipe.write('\n'), 150));
      assert.equal(r.code, 4);
      assert.ok(r.waited >= 140 && r.waited < 2000, `woken by the line, not the clock: ${r.waited} ms`);
      assert.equal(r.out, '/bin/sh|0||unset|unset\n', 'the same as an undelayed wrapper sees');
      assert.equal(r.err, '');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('delayed (launch ahead): when fd 3 ends without a line (the spawner died) the wrapper waits out $1 itself', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-wrapper-'));
    try {
      const r = await runDelayed(dir, 400, (pipe) => setTimeout(() => pipe.destroy(), 50));
      assert.equal(r.code, 4);
      assert.ok(r.waited >= 390 && r.waited < 1500, `waited ${r.waited} ms`);
      assert.equal(r.out, '/bin/sh|0||unset|unset\n');
      assert.equal(r.err, '');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('delayed (launch ahead): $1 = 0 runs at once without reading fd 3', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-wrapper-'));
    try {
      const t0 = Date.now();
      assert.equal(uptimeCentiseconds(t0 - 1, t0, '100.00 5.00'), 0);
      assert.equal(uptimeCentiseconds(t0 + 1234, t0, '100.00 5.00'), 10124);
      const script = wrapperScript(`eval ${shellQuote('echo "$0|$#|$1"; exit 4')}`, dir, [], { delayed: true });
      const plain = spawnSync('/bin/sh', ['-c', script, DELAYED_ARGV0, '0'], { encoding: 'utf8', cwd: dir });
      assert.equal(plain.status, 4);
      assert.equal(fs.readFileSync(path.join(dir, 'stdout'), 'utf8'), '/bin/sh|0|\n');
      assert.equal(fs.readFileSync(path.join(dir, 'stderr'), 'utf8'), '');
      assert.equal(sh(`echo "$0|$#|$1"`).stdout, '/bin/sh|0|\n', 'the same as an undelayed wrapper sees');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
