import { add, contains, emptyResources, isEmpty, isValidTaskId, rangesContain, rangesOverlap, resources, round3, subtract } from '@agora/model';
import type { PortRange, Resources } from '@agora/model';
import type { ErrorCode, TaskInfo } from '@agora/contracts';

/** The parts of an Accept request validation looks at (already schema-checked). */
export interface AcceptInput {
  frameworkId: string;
  offerIds: readonly string[];
  operations: ReadonlyArray<{ type: 'LAUNCH'; tasks: readonly TaskInfo[] }>;
}

/** What validation needs to know about the master's state, read-only. */
export interface AcceptContext {
  framework: { connected: boolean; hasActiveTask: (taskId: string) => boolean } | undefined;
  offer: (offerId: string) => { frameworkId: string; agentId: string; resources: Resources } | undefined;
}

export interface AcceptPlan {
  agentId: string;
  offerIds: string[];
  /** Tasks with normalized resources, in request order. */
  tasks: TaskInfo[];
  offered: Resources;
  used: Resources;
  /** offered − used: goes back to the pool (with a filter). */
  remainder: Resources;
}

export type AcceptResult = { ok: true; plan: AcceptPlan } | { ok: false; code: ErrorCode; message: string };

const fail = (code: ErrorCode, message: string): AcceptResult => ({ ok: false, code, message });

/**
 * Decides whether an Accept can be carried out, without changing anything: every check runs before the
 * caller touches the state, so a bad request leaves offers and tasks exactly as they were.
 */
export function validateAccept(req: AcceptInput, ctx: AcceptContext): AcceptResult {
  if (!ctx.framework || !ctx.framework.connected) return fail('UNKNOWN_FRAMEWORK', `framework ${req.frameworkId} is not subscribed (or not connected); subscribe first`);

  const seenOffers = new Set<string>();
  let agentId: string | undefined;
  let offered = emptyResources();
  for (const id of req.offerIds) {
    if (seenOffers.has(id)) return fail('INVALID_OPERATION', `offer ${id} is listed twice`);
    seenOffers.add(id);
    const offer = ctx.offer(id);
    if (!offer || offer.frameworkId !== req.frameworkId) return fail('UNKNOWN_OFFER', `offer ${id} is not outstanding for framework ${req.frameworkId} (expired, rescinded or already used)`);
    if (agentId !== undefined && offer.agentId !== agentId) return fail('INVALID_OPERATION', `offers of one accept must come from one agent; ${id} is from ${offer.agentId}, not ${agentId}`);
    agentId = offer.agentId;
    offered = add(offered, offer.resources);
  }
  if (agentId === undefined) return fail('INVALID_OPERATION', 'an accept needs at least one offer');

  const tasks: TaskInfo[] = [];
  const ids = new Set<string>();
  let used = emptyResources();
  let portsSoFar: PortRange[] = [];
  for (const op of req.operations) {
    for (const t of op.tasks) {
      const bad = checkTask(t, agentId);
      if (bad) return fail('INVALID_TASK', bad);
      if (ids.has(t.taskId)) return fail('INVALID_TASK', `task id ${t.taskId} appears twice in this accept`);
      ids.add(t.taskId);
      if (ctx.framework.hasActiveTask(t.taskId)) return fail('TASK_EXISTS', `task ${t.taskId} is already active in framework ${req.frameworkId}`);
      const res = resources(t.resources.scalars, t.resources.ports);
      if (rangesOverlap(portsSoFar, res.ports)) return fail('INSUFFICIENT_RESOURCES', `task ${t.taskId} asks for ports ${fmtRanges(res.ports)} that another task of this accept also asks for`);
      portsSoFar = [...portsSoFar, ...res.ports];
      used = add(used, res);
      tasks.push({ ...t, resources: res });
    }
  }

  if (!contains(offered, used)) return fail('INSUFFICIENT_RESOURCES', shortfall(used, offered));
  return { ok: true, plan: { agentId, offerIds: [...req.offerIds], tasks, offered, used, remainder: subtract(offered, used) } };
}

/** Why a task cannot run, or undefined when it is fine. */
function checkTask(t: TaskInfo, agentId: string): string | undefined {
  if (!isValidTaskId(t.taskId)) return `task id "${t.taskId}" is not valid`;
  if (t.agentId !== agentId) return `task ${t.taskId} names agent ${t.agentId} but the offers are from ${agentId}`;
  const hasCommand = (t.command?.value ?? '').trim().length > 0;
  const hasImage = (t.container?.docker?.image ?? '').trim().length > 0;
  if (!hasCommand && !hasImage) return `task ${t.taskId} has neither a command value nor a container.docker.image`;
  if (t.container?.type === 'DOCKER' && !hasImage) return `task ${t.taskId} is a DOCKER container without docker.image`;
  for (const r of t.resources.ports) if (r.begin > r.end) return `task ${t.taskId} has an empty port range ${r.begin}-${r.end}`;
  if (isEmpty(resources(t.resources.scalars, t.resources.ports))) return `task ${t.taskId} uses no resources`;
  return undefined;
}

function shortfall(want: Resources, have: Resources): string {
  for (const [name, v] of Object.entries(want.scalars)) {
    const h = have.scalars[name] ?? 0;
    if (round3(h) < round3(v)) return `insufficient ${name}: the tasks ask for ${round3(v)}, the offers hold ${round3(h)}`;
  }
  if (!rangesContain(have.ports, want.ports)) {
    const missing = subtract({ scalars: {}, ports: want.ports }, { scalars: {}, ports: have.ports }).ports;
    return `insufficient ports: the tasks ask for ${fmtRanges(want.ports)}, the offers hold ${fmtRanges(have.ports)} (missing ${fmtRanges(missing)})`;
  }
  return 'insufficient resources';
}

export function fmtRanges(r: readonly PortRange[]): string {
  return `[${r.map((p) => `${p.begin}-${p.end}`).join(',')}]`;
}
