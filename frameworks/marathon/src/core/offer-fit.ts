import { rangesContain, rangesSize, portsToRanges, subtractRanges, type Resources } from '@agora/model';
import type { AppDefinition, Constraint } from './app-definition';
import { requestedHostPorts } from './app-definition';
import { formatConstraint, meetsConstraint, type ConstraintContext, type Placement } from './constraints';

/**
 * Does one more task of an app fit into some free resources on an agent? Answers with every reason it
 * does not, named as in Marathon's `/v2/queue` `processedOffersSummary`, so the same list serves the
 * launch decision and the "why is my app not placed" explanation.
 */

export type RejectReason =
  | 'UnfulfilledRole'
  | 'UnfulfilledConstraint'
  | 'InsufficientCpus'
  | 'InsufficientMemory'
  | 'InsufficientDisk'
  | 'InsufficientGpus'
  | 'InsufficientPorts';

/** Marathon's order of reasons in the queue's summary. */
export const REJECT_REASONS: readonly RejectReason[] = [
  'UnfulfilledRole',
  'UnfulfilledConstraint',
  'InsufficientCpus',
  'InsufficientMemory',
  'InsufficientDisk',
  'InsufficientGpus',
  'InsufficientPorts',
];

export interface Rejection {
  reason: RejectReason;
  /** Human sentence: `needs mem 512, has 256`. */
  detail: string;
  resource?: 'cpus' | 'mem' | 'disk' | 'gpus' | 'ports';
  needed?: number;
  available?: number;
  constraint?: Constraint;
}

const SCALAR_REASONS = [
  ['cpus', 'InsufficientCpus'],
  ['mem', 'InsufficientMemory'],
  ['disk', 'InsufficientDisk'],
  ['gpus', 'InsufficientGpus'],
] as const;

export interface TaskNeeds {
  scalars: { cpus: number; mem: number; disk: number; gpus: number };
  /** Host ports that must be exactly these numbers. */
  fixedPorts: number[];
  /** How many more host ports of any number. */
  dynamicPorts: number;
}

export function taskNeeds(app: AppDefinition): TaskNeeds {
  const requested = requestedHostPorts(app);
  return {
    scalars: { cpus: app.cpus, mem: app.mem, disk: app.disk, gpus: app.gpus },
    fixedPorts: requested.filter((p) => p !== 0),
    dynamicPorts: requested.filter((p) => p === 0).length,
  };
}

/** The app's accepted roles: an offer of any role fits when the app names none. */
export function roleAccepted(app: AppDefinition, role: string): boolean {
  return app.acceptedResourceRoles === undefined || app.acceptedResourceRoles.includes(role);
}

export function resourceProblems(needs: TaskNeeds, available: Resources): Rejection[] {
  const out: Rejection[] = [];
  for (const [name, reason] of SCALAR_REASONS) {
    const needed = needs.scalars[name];
    const have = available.scalars[name] ?? 0;
    if (needed > 0 && Math.round(have * 1000) < Math.round(needed * 1000)) {
      out.push({ reason, resource: name, needed, available: have, detail: `needs ${name} ${needed}, has ${have}` });
    }
  }
  const fixedOk = rangesContain(available.ports, portsToRanges(needs.fixedPorts));
  const freeAfterFixed = rangesSize(subtractRanges(available.ports, portsToRanges(needs.fixedPorts)));
  if (!fixedOk) {
    const missing = needs.fixedPorts.filter((p) => !rangesContain(available.ports, [{ begin: p, end: p }]));
    out.push({ reason: 'InsufficientPorts', resource: 'ports', detail: `needs ports ${missing.join(',')}, which are not free` });
  } else if (freeAfterFixed < needs.dynamicPorts) {
    out.push({
      reason: 'InsufficientPorts',
      resource: 'ports',
      needed: needs.dynamicPorts,
      available: freeAfterFixed,
      detail: `needs ${needs.dynamicPorts} ports, has ${freeAfterFixed}`,
    });
  }
  return out;
}

export interface FitInput {
  app: AppDefinition;
  available: Resources;
  role: string;
  candidate: Placement;
  /** Placements of the app's active tasks, including ones launched earlier in the same round. */
  placed: readonly Placement[];
  ctx?: ConstraintContext;
}

export function fitProblems(input: FitInput): Rejection[] {
  const { app } = input;
  const out: Rejection[] = [];
  if (!roleAccepted(app, input.role)) {
    out.push({ reason: 'UnfulfilledRole', detail: `offer role ${input.role} is not in acceptedResourceRoles [${app.acceptedResourceRoles?.join(', ') ?? ''}]` });
  }
  const ctx = { instances: app.instances, ...input.ctx };
  for (const c of app.constraints) {
    if (!meetsConstraint(c, input.candidate, input.placed, ctx)) {
      out.push({ reason: 'UnfulfilledConstraint', constraint: c, detail: `${formatConstraint(c)} not met on ${input.candidate.hostname}` });
    }
  }
  out.push(...resourceProblems(taskNeeds(app), input.available));
  return out;
}
