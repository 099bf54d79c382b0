import type { TaskInfo } from '@agora/contracts';
import { taskPorts } from '../process/task-env';

/** Where the sandbox appears inside every container (Mesos' docker containerizer uses the same path). */
export const CONTAINER_SANDBOX = '/mnt/mesos/sandbox';

export interface ContainerEnvInput {
  task: TaskInfo;
  frameworkId: string;
  agentId: string;
  hostname: string;
  containerName: string;
}

/**
 * The environment of a task's container. Unlike a process task it inherits nothing from the agent: the
 * image's own PATH, HOME … must stay in effect. Precedence, lowest first: HOST and the ports the task
 * was given (host ports, also under BRIDGE networking), the task's `command.environment`, and last the
 * identity variables, which a task must not be able to misstate.
 */
export function containerEnv(i: ContainerEnvInput): Record<string, string> {
  const env: Record<string, string> = { HOST: i.hostname };
  const ports = taskPorts(i.task);
  ports.forEach((p, n) => (env[`PORT${n}`] = String(p)));
  if (ports.length > 0) {
    env.PORT = String(ports[0]);
    env.PORTS = ports.join(',');
  }
  Object.assign(env, i.task.command?.environment ?? {});
  env.MESOS_TASK_ID = i.task.taskId;
  env.AGORA_TASK_ID = i.task.taskId;
  env.MESOS_SANDBOX = CONTAINER_SANDBOX;
  env.MESOS_CONTAINER_NAME = i.containerName;
  env.MESOS_AGENT_ID = i.agentId;
  env.MESOS_FRAMEWORK_ID = i.frameworkId;
  return env;
}

/** Docker's `Env` form. */
export function envList(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}
