import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ManagedProcess } from './managed-process';
import { isAlive } from './task-sweeper';
import { waitFor } from './wait-for';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'agora-mp-'));
}

test('output goes to the log file; exited resolves with the code', async () => {
  const dir = tmp();
  try {
    const p = ManagedProcess.spawn({ name: 'echo', command: 'sh', args: ['-c', 'echo out; echo err >&2; exit 4'], logFile: path.join(dir, 'logs', 'echo.log') });
    assert.deepEqual(await p.exited, { code: 4, signal: null });
    assert.equal(p.running, false);
    assert.match(p.logTail(), /out\nerr$/);
    assert.equal(p.describeExit(), 'echo exited with code 4');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the tail covers only this run when the log is appended to', async () => {
  const dir = tmp();
  const logFile = path.join(dir, 'x.log');
  try {
    await ManagedProcess.spawn({ name: 'a', command: 'sh', args: ['-c', 'echo first-run'], logFile }).exited;
    const p = ManagedProcess.spawn({ name: 'a', command: 'sh', args: ['-c', 'echo second-run'], logFile });
    await p.exited;
    assert.doesNotMatch(p.logTail(), /first-run/);
    assert.match(p.logTail(), /second-run/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('stop escalates to SIGKILL when SIGTERM is ignored', async () => {
  const dir = tmp();
  try {
    const p = ManagedProcess.spawn({
      name: 'stubborn',
      command: process.execPath,
      args: ['-e', "process.on('SIGTERM', () => console.log('ignoring')); console.log('READY'); setInterval(() => {}, 1000)"],
      logFile: path.join(dir, 's.log'),
    });
    await waitFor(() => /^READY$/m.test(p.logTail()), { timeoutMs: 5000, what: 'the child to install its handler' });
    const t0 = Date.now();
    const exit = await p.stop('SIGTERM', 300);
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok(Date.now() - t0 >= 250);
    assert.equal(isAlive(p.pid), false);
    assert.match(p.logTail(), /ignoring/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a binary that does not exist exits with 127 and says why in its log', async () => {
  const dir = tmp();
  try {
    const p = ManagedProcess.spawn({ name: 'nope', command: 'agora-no-such-binary', args: [], logFile: path.join(dir, 'n.log') });
    assert.equal((await p.exited).code, 127);
    assert.match(p.logTail(), /ENOENT/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
