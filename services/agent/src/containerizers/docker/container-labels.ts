/**
 * Labels on every container the agent creates. They are how a restarted agent finds its containers
 * again (and tells them from other agents' on the same daemon): `agora.agent.dir` scopes a container to
 * one agent's work directory, which outlives agent ids (a wiped work dir means a new id, and its old
 * containers are then orphans to remove); the framework and task ids tie a container to a task.
 */
export const LABEL_AGENT_ID = 'agora.agent.id';
export const LABEL_AGENT_DIR = 'agora.agent.dir';
export const LABEL_FRAMEWORK_ID = 'agora.framework.id';
export const LABEL_TASK_ID = 'agora.task.id';

export interface ContainerOwner {
  agentId: string;
  /** realpath of the agent's work directory. */
  agentDir: string;
  frameworkId: string;
  taskId: string;
}

/** The task's own labels first (Mesos passes them to Docker), ours last so a task cannot forge them. */
export function containerLabels(owner: ContainerOwner, taskLabels: Readonly<Record<string, string>>): Record<string, string> {
  return {
    ...taskLabels,
    [LABEL_AGENT_ID]: owner.agentId,
    [LABEL_AGENT_DIR]: owner.agentDir,
    [LABEL_FRAMEWORK_ID]: owner.frameworkId,
    [LABEL_TASK_ID]: owner.taskId,
  };
}

/** The (framework, task) a container belongs to according to its labels, if it carries ours. */
export function ownerOf(labels: Readonly<Record<string, string>> | undefined): { frameworkId: string; taskId: string } | undefined {
  const frameworkId = labels?.[LABEL_FRAMEWORK_ID];
  const taskId = labels?.[LABEL_TASK_ID];
  return frameworkId && taskId ? { frameworkId, taskId } : undefined;
}

/** A container name for a task: readable in `docker ps`, unique through the random suffix. */
export function containerName(taskId: string, random: string): string {
  const readable = taskId.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 100);
  return `agora-${readable || 'task'}-${random}`;
}
