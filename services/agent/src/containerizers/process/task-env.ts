import type { TaskInfo } from '@agora/contracts';

/** Variables of the agent's own environment a task inherits; the rest (NODE_OPTIONS, AGORA_*) stays private. */
export const INHERITED_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'TERM'] as const;

/** More PORTn variables than this would only bloat the environment of a task that took a whole range. */
export const MAX_PORT_VARS = 1000;

export interface TaskEnvInput {
  task: TaskInfo;
  frameworkId: string;
  agentId: string;
  hostname: string;
  sandbox: string;
  agentEnv: Readonly<Record<string, string | undefined>>;
}

/**
 * The environment a task runs with. Precedence, lowest first: inherited agent variables, the ports and
 * HOST the agent hands out, the task's own `command.environment`, and last the identity variables
 * (MESOS_TASK_ID …), which a task must not be able to misstate.
 */
export function buildTaskEnv(i: TaskEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of INHERITED_ENV) {
    const v = i.agentEnv[k];
    if (v !== undefined) env[k] = v;
  }
  if (env.PATH === undefined) env.PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  env.HOST = i.hostname;
  const ports = taskPorts(i.task);
  ports.forEach((p, n) => (env[`PORT${n}`] = String(p)));
  if (ports.length > 0) {
    env.PORT = String(ports[0]);
    env.PORTS = ports.join(',');
  }
  Object.assign(env, i.task.command?.environment ?? {});
  env.MESOS_TASK_ID = i.task.taskId;
  env.AGORA_TASK_ID = i.task.taskId;
  env.MESOS_SANDBOX = i.sandbox;
  env.MESOS_AGENT_ID = i.agentId;
  env.MESOS_FRAMEWORK_ID = i.frameworkId;
  return env;
}

/** The task's ports in the order its ranges were given (not sorted), capped at MAX_PORT_VARS. */
export function taskPorts(task: TaskInfo): number[] {
  const out: number[] = [];
  for (const r of task.resources.ports) {
    for (let p = r.begin; p <= r.end; p++) {
      if (out.length >= MAX_PORT_VARS) return out;
      out.push(p);
    }
  }
  return out;
}
