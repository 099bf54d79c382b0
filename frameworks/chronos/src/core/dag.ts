/**
 * The dependency graph (jobs with `parents`) and its readiness bookkeeping.
 *
 * Rule: a dependent job runs when every parent has succeeded since the child's last run. Per child one
 * DependencyState records which parents have succeeded since then (a parent's success marks it, the
 * child's run start clears all). It is stored one key per child, so a leader change between the parent's
 * success and the child's start neither loses the child's run (the next leader sees a ready child) nor
 * doubles it (the run key derives from the state, see readyAtMs, and run records are created once).
 * Once a child is ready its state is frozen until the run starts: further parent successes in between
 * are absorbed, as Chronos does when it resets its edge counts.
 */
import type { Job } from './job-schema';
import type { JobStats } from './run-record';
import type { FieldError } from './validate-job';

export interface ParentSuccess {
  /** When the parent's run succeeded (ISO). */
  at: string;
  runKey: string;
}

export interface DependencyState {
  job: string;
  satisfied: Record<string, ParentSuccess>;
  /** When the child's last run started; parent successes at or before it belong to that run. */
  clearedAt?: string;
}

export type JobLookup = ReadonlyMap<string, Pick<Job, 'name' | 'parents'>>;

export function emptyDependencyState(job: string): DependencyState {
  return { job, satisfied: {} };
}

export function childrenOf(jobs: JobLookup, parent: string): string[] {
  const out: string[] = [];
  for (const j of jobs.values()) if (j.parents.includes(parent)) out.push(j.name);
  return out.sort();
}

/**
 * Parents of a job being created or replaced: they must exist, and the job must not become its own
 * ancestor. `jobs` is the current set (the job's old version, if any, is replaced by `job`).
 */
export function validateDependencies(job: Pick<Job, 'name' | 'parents'>, jobs: JobLookup): FieldError[] {
  if (job.parents.length === 0) return [];
  const unknown = job.parents.filter((p) => p !== job.name && !jobs.has(p));
  if (unknown.length > 0) return [{ field: 'parents', message: `unknown parent job${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}` }];
  const parentsOf = (name: string): readonly string[] => (name === job.name ? job.parents : (jobs.get(name)?.parents ?? []));
  // Depth-first search up the parents from the job; reaching the job again is a cycle.
  const path: string[] = [job.name];
  const done = new Set<string>();
  const visit = (name: string): string[] | null => {
    for (const p of parentsOf(name)) {
      if (p === job.name) return [...path, p];
      if (done.has(p)) continue;
      path.push(p);
      const found = visit(p);
      if (found) return found;
      path.pop();
      done.add(p);
    }
    return null;
  };
  const cycle = visit(job.name);
  return cycle ? [{ field: 'parents', message: `would form a cycle: ${cycle.reverse().join(' → ')}` }] : [];
}

/** Any cycle in the whole graph (for consistency checks of stored state), as a path, or null. */
export function findCycle(jobs: JobLookup): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    state.set(name, 'open');
    stack.push(name);
    for (const p of jobs.get(name)?.parents ?? []) {
      const s = state.get(p);
      if (s === 'open') return [...stack.slice(stack.indexOf(p)), p].reverse();
      if (s === undefined && jobs.has(p)) {
        const found = visit(p);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of [...jobs.keys()].sort()) {
    if (state.has(name)) continue;
    const found = visit(name);
    if (found) return found;
  }
  return null;
}

/**
 * A job that others depend on cannot be deleted (Chronos 3 silently purged the orphans, chronos#815):
 * the caller answers 400 with this message naming the dependents.
 */
export function removalErrors(jobs: JobLookup, name: string): FieldError[] {
  const children = childrenOf(jobs, name);
  return children.length === 0 ? [] : [{ field: 'name', message: `${name} is a parent of ${children.join(', ')}: delete them or change their parents first` }];
}

export function isReady(job: Pick<Job, 'parents'>, state: DependencyState | undefined): boolean {
  return job.parents.length > 0 && state !== undefined && job.parents.every((p) => state.satisfied[p] !== undefined);
}

/** When a ready child became ready: its last parent's success. Deterministic, so it names the run. */
export function readyAtMs(job: Pick<Job, 'parents'>, state: DependencyState): number {
  let max = 0;
  for (const p of job.parents) {
    const s = state.satisfied[p];
    if (s) max = Math.max(max, Date.parse(s.at));
  }
  return max;
}

/**
 * A parent's run succeeded (or the parent was marked successful): mark it on each child's state.
 * Returns only the states that changed. Redelivered or out-of-date successes change nothing.
 */
export function markParentSucceeded(
  jobs: ReadonlyMap<string, Pick<Job, 'name' | 'parents'>>,
  states: ReadonlyMap<string, DependencyState>,
  parent: string,
  success: { runKey: string; at: Date },
): DependencyState[] {
  const at = success.at.toISOString();
  const changed: DependencyState[] = [];
  for (const childName of childrenOf(jobs, parent)) {
    const child = jobs.get(childName);
    if (!child) continue;
    const state = states.get(childName) ?? emptyDependencyState(childName);
    if (isReady(child, state)) continue; // frozen until the child starts
    if (state.clearedAt !== undefined && at <= state.clearedAt) continue; // belongs to the child's previous run
    const prev = state.satisfied[parent];
    if (prev && (prev.runKey === success.runKey || prev.at >= at)) continue;
    changed.push({ ...state, satisfied: { ...state.satisfied, [parent]: { at, runKey: success.runKey } } });
  }
  return changed;
}

/** The child's run started: everything it waited for is consumed. */
export function clearOnStart(state: DependencyState, startedAt: Date): DependencyState {
  return { job: state.job, satisfied: {}, clearedAt: startedAt.toISOString() };
}

/** After a child's parents changed: forget successes of jobs that are no longer its parents. */
export function pruneDependencyState(job: Pick<Job, 'name' | 'parents'>, state: DependencyState): DependencyState {
  const satisfied: Record<string, ParentSuccess> = {};
  for (const p of job.parents) {
    const s = state.satisfied[p];
    if (s) satisfied[p] = s;
  }
  return { ...state, job: job.name, satisfied };
}

// ---- graph output --------------------------------------------------------------------------------

export type NodeStatus = 'fresh' | 'success' | 'failure' | 'running';

export function lastStatusOf(stats: Pick<JobStats, 'lastSuccess' | 'lastError'> | undefined): NodeStatus {
  if (!stats || (stats.lastSuccess === '' && stats.lastError === '')) return 'fresh';
  return stats.lastError > stats.lastSuccess ? 'failure' : 'success';
}

const COLOR: Readonly<Record<NodeStatus, string>> = { fresh: 'white', success: 'green', failure: 'red', running: 'yellow' };

/** Graphviz dot of the dependency graph (GET /graph/dot): every job a node coloured by its last result. */
export function toDot(jobs: ReadonlyMap<string, Pick<Job, 'name' | 'parents'>>, status: (name: string) => NodeStatus = () => 'fresh'): string {
  const names = [...jobs.keys()].sort();
  const lines = ['digraph G {', '  node [style=filled];'];
  for (const n of names) lines.push(`  "${n}" [fillcolor=${COLOR[status(n)]}];`);
  for (const n of names) for (const p of [...(jobs.get(n)?.parents ?? [])].sort()) lines.push(`  "${p}" -> "${n}";`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** CSV of the graph (GET /graph/csv): `node,<name>,<status>` lines then `link,<parent>,<child>` lines. */
export function toCsv(jobs: ReadonlyMap<string, Pick<Job, 'name' | 'parents'>>, status: (name: string) => NodeStatus = () => 'fresh'): string {
  const names = [...jobs.keys()].sort();
  const lines: string[] = names.map((n) => `node,${n},${status(n)}`);
  for (const n of names) for (const p of [...(jobs.get(n)?.parents ?? [])].sort()) lines.push(`link,${p},${n}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
