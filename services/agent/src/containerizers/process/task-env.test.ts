import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TaskInfoSchema } from '@agora/contracts';
import { buildTaskEnv, MAX_PORT_VARS, taskPorts } from './task-env';

const task = (over: Record<string, unknown> = {}) =>
  TaskInfoSchema.parse({ taskId: 't1', name: 't', agentId: 'a1', resources: { scalars: { cpus: 1 }, ports: [] }, command: { value: 'true' }, ...over });

describe('buildTaskEnv', () => {
  const input = (t = task()) => ({ task: t, frameworkId: 'fw', agentId: 'a1', hostname: 'host-1', sandbox: '/w/sandboxes/fw/t1', agentEnv: { PATH: '/bin', HOME: '/root', NODE_OPTIONS: '--inspect', AGORA_LOG_LEVEL: 'debug' } });

  test('identity variables, HOST, inherited PATH; agent-private variables stay out', () => {
    const env = buildTaskEnv(input());
    assert.equal(env.HOST, 'host-1');
    assert.equal(env.PATH, '/bin');
    assert.equal(env.HOME, '/root');
    assert.equal(env.MESOS_TASK_ID, 't1');
    assert.equal(env.AGORA_TASK_ID, 't1');
    assert.equal(env.MESOS_SANDBOX, '/w/sandboxes/fw/t1');
    assert.equal(env.MESOS_AGENT_ID, 'a1');
    assert.equal(env.MESOS_FRAMEWORK_ID, 'fw');
    assert.equal(env.NODE_OPTIONS, undefined);
    assert.equal(env.AGORA_LOG_LEVEL, undefined);
    assert.equal(env.PORT, undefined);
  });

  test('ports in the order of the ranges, PORT = PORT0, PORTS comma separated', () => {
    const env = buildTaskEnv(input(task({ resources: { scalars: {}, ports: [{ begin: 31010, end: 31011 }, { begin: 31000, end: 31000 }] } })));
    assert.equal(env.PORT0, '31010');
    assert.equal(env.PORT1, '31011');
    assert.equal(env.PORT2, '31000');
    assert.equal(env.PORT, '31010');
    assert.equal(env.PORTS, '31010,31011,31000');
    assert.equal(env.PORT3, undefined);
  });

  test('the task environment overrides ports and inherited values, never the identity', () => {
    const env = buildTaskEnv(
      input(task({ command: { value: 'true', environment: { PATH: '/opt/bin', PORT: '80', MESOS_TASK_ID: 'forged', X: 'y' } }, resources: { scalars: {}, ports: [{ begin: 5, end: 5 }] } })),
    );
    assert.equal(env.PATH, '/opt/bin');
    assert.equal(env.PORT, '80');
    assert.equal(env.PORT0, '5');
    assert.equal(env.X, 'y');
    assert.equal(env.MESOS_TASK_ID, 't1');
  });

  test('a whole range gives at most MAX_PORT_VARS variables', () => {
    assert.equal(taskPorts(task({ resources: { scalars: {}, ports: [{ begin: 1, end: 60000 }] } })).length, MAX_PORT_VARS);
  });
});
