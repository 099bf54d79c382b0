import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameworkInfoSchema, TaskInfoSchema } from '@agora/contracts';
import { createLogger } from '@agora/logging';
import type { PendingUpdate } from '../status-updates/update-queues';
import type { TaskCheckpoint } from '../tasks/task-record';
import { CheckpointStore } from './checkpoint-store';

const log = createLogger('test', 'silent');
const cp = (taskId: string, state: TaskCheckpoint['state'] = 'TASK_RUNNING'): TaskCheckpoint => ({
  frameworkId: 'fw',
  framework: FrameworkInfoSchema.parse({ name: 'f' }),
  task: TaskInfoSchema.parse({ taskId, name: taskId, agentId: 'a', resources: {}, command: { value: 'true' } }),
  sandbox: `/w/sandboxes/fw/${taskId}`,
  state,
  statuses: [],
  cgroups: [],
  launchedAt: 1,
  pid: 42,
});
const upd = (taskId: string, uuid: string): PendingUpdate => ({
  frameworkId: 'fw',
  status: { taskId, frameworkId: 'fw', state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid, timestamp: 1 },
});

describe('CheckpointStore (task journal)', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-journal-'));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  test('the last state of each task survives a restart; dropped tasks are gone', () => {
    const dir = tmp();
    const a = new CheckpointStore(dir, log);
    a.writeTask(cp('t1'));
    a.writeUpdates('fw', 't1', [upd('t1', 'u1')]);
    a.writeTask(cp('t2'));
    a.flush();
    a.writeTask(cp('t1', 'TASK_FINISHED'));
    a.writeUpdates('fw', 't1', [upd('t1', 'u1'), upd('t1', 'u2')]);
    a.removeTask('fw', 't2');
    a.close();
    const b = new CheckpointStore(dir, log);
    assert.deepEqual(b.loadTasks().map((t) => [t.task.taskId, t.state]), [['t1', 'TASK_FINISHED']]);
    assert.deepEqual(b.loadUpdates().map((l) => l.map((u) => u.status.uuid)), [['u1', 'u2']]);
    b.close();
  });

  test('a torn last line (crash mid-append) is ignored', () => {
    const dir = tmp();
    const a = new CheckpointStore(dir, log);
    a.writeTask(cp('t1'));
    a.close();
    fs.appendFileSync(path.join(dir, 'meta', 'tasks.journal'), '{"f":"fw","id":"t1","cp":{"trunc');
    const b = new CheckpointStore(dir, log);
    assert.deepEqual(b.loadTasks().map((t) => t.state), ['TASK_RUNNING']);
    b.close();
  });

  test('compaction keeps exactly the live state', () => {
    const dir = tmp();
    const a = new CheckpointStore(dir, log);
    for (let i = 0; i < 50; i++) {
      a.writeTask(cp(`t${i}`));
      a.flush();
      if (i % 2) a.removeTask('fw', `t${i}`);
    }
    a.flush();
    const before = fs.statSync(path.join(dir, 'meta', 'tasks.journal')).size;
    a.compact();
    assert.ok(fs.statSync(path.join(dir, 'meta', 'tasks.journal')).size < before);
    a.writeTask(cp('late'));
    a.close();
    const b = new CheckpointStore(dir, log);
    assert.equal(b.loadTasks().length, 26);
    b.close();
  });

  test('agent meta round-trips', () => {
    const dir = tmp();
    const a = new CheckpointStore(dir, log);
    assert.equal(a.readAgentMeta(), undefined);
    a.writeAgentMeta({ agentId: 'X-S1', registeredAt: 5 });
    assert.deepEqual(new CheckpointStore(dir, log).readAgentMeta(), { agentId: 'X-S1', registeredAt: 5 });
  });
});
