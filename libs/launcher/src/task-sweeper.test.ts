import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findLeftoverTasks, isAlive, killLeftoverTasks, readCheckpointedTasks } from './task-sweeper';

function sleeper(cwd: string): number {
  // like the agent does: detached, leading its own process group
  const child = spawn('sh', ['-c', 'sleep 60 & wait'], { cwd, detached: true, stdio: 'ignore' });
  child.unref();
  if (child.pid === undefined) throw new Error('spawn failed');
  return child.pid;
}

function checkpoint(agentDir: string, fw: string, task: string, pid: number, pidStartTime?: string): string {
  const file = path.join(agentDir, 'meta', 'tasks', fw, `${task}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ frameworkId: fw, task: { taskId: task }, pid, pidStartTime }));
  return file;
}

function startTicks(pid: number): string {
  const raw = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return raw.slice(raw.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

test('reads the agent journal: the last line of a task wins, drop forgets it, a torn line is skipped', async () => {
  const agentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-sweep-'));
  const sandbox = path.join(agentDir, 'sandboxes', 'fw1', 'a');
  fs.mkdirSync(sandbox, { recursive: true });
  const ours = sleeper(sandbox);
  try {
    const lines = [
      { f: 'fw1', id: 'a', cp: { state: 'TASK_STAGING' } },
      { f: 'fw1', id: 'b', cp: { pid: 999_999_998 } },
      { f: 'fw1', id: 'a', cp: { state: 'TASK_RUNNING', pid: ours, pidStartTime: startTicks(ours) } },
      { f: 'fw1', id: 'c', cp: { pid: ours } },
      { f: 'fw1', id: 'c', drop: true },
    ];
    fs.mkdirSync(path.join(agentDir, 'meta'), { recursive: true });
    fs.writeFileSync(path.join(agentDir, 'meta', 'tasks.journal'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n{"f":"fw1","id":"d","cp":{"pid":1');
    assert.deepEqual(
      readCheckpointedTasks(agentDir).map((t) => t.pid).sort(),
      [ours, 999_999_998].sort(),
    );
    assert.deepEqual(await killLeftoverTasks([agentDir], 1000), [ours]);
    assert.equal(isAlive(ours), false);
  } finally {
    try {
      process.kill(-ours, 'SIGKILL');
    } catch {
      // already gone
    }
    fs.rmSync(agentDir, { recursive: true, force: true });
  }
});

test('kills checkpointed tasks (and their children) but not a pid reused by a stranger', async () => {
  const agentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-sweep-'));
  const sandbox = path.join(agentDir, 'sandboxes', 'fw1', 't1');
  fs.mkdirSync(sandbox, { recursive: true });
  const ours = sleeper(sandbox);
  // a process outside the agent's dir, started after its "checkpoint" was last written: a reused pid
  const stranger = sleeper(os.tmpdir());
  try {
    checkpoint(agentDir, 'fw1', 't1', ours);
    const stale = checkpoint(agentDir, 'fw1', 't2', stranger);
    const hourAgo = new Date(Date.now() - 3600_000);
    fs.utimesSync(stale, hourAgo, hourAgo);
    checkpoint(agentDir, 'fw1', 't3', 999_999_999); // long gone

    assert.deepEqual(findLeftoverTasks([agentDir]), [ours]);
    assert.deepEqual(await killLeftoverTasks([agentDir], 1000), [ours]);
    assert.equal(isAlive(ours), false);
    assert.equal(isAlive(stranger), true);

    // with a recorded start time, only an exact match counts, wherever the process runs
    const strangerFile = checkpoint(agentDir, 'fw2', 't4', stranger, '1');
    assert.deepEqual(findLeftoverTasks([agentDir]), []);
    fs.rmSync(strangerFile);
    checkpoint(agentDir, 'fw2', 't5', stranger, startTicks(stranger));
    assert.deepEqual(findLeftoverTasks([agentDir]), [stranger]);
  } finally {
    for (const pid of [ours, stranger]) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    fs.rmSync(agentDir, { recursive: true, force: true });
  }
});
