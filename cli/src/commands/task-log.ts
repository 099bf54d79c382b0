import { TASK_STATES, TaskState, isTerminal } from '@agora/model';
import { AgentFiles, byteLength, readTail } from '../cluster/agent-files';
import { agentUrlFromPid, fetchMasterState } from '../cluster/master-state';
import { findTask, TaskRow } from '../cluster/views';
import { CliError } from '../errors';

export interface TaskLogRequest {
  master: string;
  taskId: string;
  file: 'stdout' | 'stderr';
  lines: number | undefined;
  follow: boolean;
  out: NodeJS.WritableStream;
  /** How often --follow polls the file (ms). */
  pollMs?: number;
  /** How often --follow asks the master whether the task has ended (ms). */
  stateEveryMs?: number;
}

export function isTerminalName(state: string): boolean {
  return (TASK_STATES as readonly string[]).includes(state) && isTerminal(state as TaskState);
}

/**
 * `agora task log`: finds the task's agent and sandbox through the master, then reads the file through
 * the agent's files API. With `follow`, polls until the task is terminal and a read after that finds
 * nothing new (so the last lines a task writes before exiting are not cut off).
 */
export async function showTaskLog(req: TaskLogRequest): Promise<void> {
  const { state } = await fetchMasterState(req.master);
  const task = findTask(state, req.taskId);
  if ('error' in task) throw new CliError(task.error);
  const agent = state.slaves.find((a) => a.id === task.agentId);
  if (!agent) throw new CliError(`the agent of task ${task.id} (${task.agentId}) is no longer registered: its sandbox cannot be read`);
  const agentUrl = agentUrlFromPid(agent.pid);
  if (!agentUrl) throw new CliError(`cannot tell the address of agent ${agent.id} from its pid "${agent.pid}"`);
  if (!task.sandbox) throw new CliError(`the master does not say where the sandbox of task ${task.id} is`);
  const files = new AgentFiles(agentUrl);
  const path = `${task.sandbox}/${req.file}`;

  let tail = await readTail(files, path, req.lines);
  if (!tail) {
    if (!req.follow) throw new CliError(`task ${task.id} has no ${req.file} (yet) at ${agentUrl}:${path}`);
    tail = { text: '', end: 0 };
  }
  req.out.write(tail.text);
  if (!req.follow) return;

  const pollMs = req.pollMs ?? 500;
  const stateEveryMs = req.stateEveryMs ?? 2000;
  let offset = tail.end;
  let ended = isTerminalName(task.state);
  let checkedAt = Date.now();
  for (;;) {
    const r = await files.read(path, offset);
    if (r && r.data.length > 0) {
      req.out.write(r.data);
      offset += byteLength(r.data);
      continue;
    }
    if (ended) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    if (Date.now() - checkedAt >= stateEveryMs) {
      checkedAt = Date.now();
      ended = await hasEnded(req.master, task);
    }
  }
}

async function hasEnded(master: string, task: TaskRow): Promise<boolean> {
  const { state } = await fetchMasterState(master);
  const now = findTask(state, task.id);
  // A task the master forgot is as good as ended: nothing will write to its sandbox any more.
  return 'error' in now || isTerminalName(now.state);
}
