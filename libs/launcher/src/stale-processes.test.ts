import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ManagedProcess } from './managed-process';
import { killStaleProcesses, recordProcess } from './stale-processes';
import { isAlive } from './task-sweeper';

test('a later launcher kills what an earlier one recorded, and nothing it did not start', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-stale-'));
  const p = ManagedProcess.spawn({ name: 'left-over', command: 'sleep', args: ['300'], logFile: path.join(dir, 'logs', 'l.log') });
  try {
    recordProcess(dir, 'left-over', p.pid);
    // an entry whose pid now belongs to another process (start time differs): must be left alone
    const file = path.join(dir, 'processes.json');
    const entries = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ name: string; pid: number; startTicks: string }>;
    entries.push({ name: 'reused', pid: process.pid, startTicks: '1' });
    fs.writeFileSync(file, JSON.stringify(entries));

    assert.deepEqual(await killStaleProcesses(dir, 1000), ['left-over']);
    await p.exited;
    assert.equal(isAlive(p.pid), false);
    assert.equal(fs.existsSync(file), false);
    assert.deepEqual(await killStaleProcesses(dir), []);
  } finally {
    await p.stop('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
