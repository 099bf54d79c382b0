import { z } from 'zod';
import type { AppDefinition } from './app-definition';
import { appToJson } from './app-definition';
import { canonicalId, idErrors, idSegments, isInside, isSameOrInside, parentId, ROOT_ID } from './app-id';
import { parseApp } from './validate-app';
import { zodIssuesToViolations } from './zod-details';
import { INVALID_JSON, OBJECT_NOT_VALID, renderPath, Violations, type Validated, type ValidationFailure } from './validation-error';

/**
 * The group tree of /v2/groups: groups hold apps and sub-groups and may depend on other apps or groups.
 * A dependency on a group means every app inside it; a group's dependencies apply to every app inside
 * it. The dependency graph between apps orders deployments and must be acyclic.
 */

export interface Group {
  id: string;
  apps: AppDefinition[];
  groups: Group[];
  dependencies: string[];
  version?: string;
  enforceRole?: boolean;
}

export function emptyGroup(id: string = ROOT_ID): Group {
  return { id: canonicalId(id), apps: [], groups: [], dependencies: [] };
}

const GroupShape: z.ZodType<unknown> = z.lazy(() =>
  z
    .object({
      id: z.string().min(1).nullish(),
      apps: z.array(z.unknown()).nullish(),
      groups: z.array(GroupShape).nullish(),
      pods: z.array(z.unknown()).max(0).nullish(),
      dependencies: z.array(z.string().min(1)).nullish(),
      version: z.string().nullish(),
      enforceRole: z.boolean().nullish(),
      // Agora-wide operations on a group PUT; handled by the service, not part of the tree.
      scaleBy: z.number().positive().nullish(),
    })
    .strict(),
);

interface RawGroup {
  id?: string | null;
  apps?: unknown[] | null;
  groups?: RawGroup[] | null;
  dependencies?: string[] | null;
  enforceRole?: boolean | null;
}

export interface ParseGroupOptions {
  now: string;
  /** Id from the URL when the body has none; relative body ids resolve against `parent`. */
  id?: string;
  parent?: string;
}

/** Parses a /v2/groups body into a group tree with normalized apps; errors carry paths like `/groups(0)/apps(1)/cpus`. */
export function parseGroup(raw: unknown, opts: ParseGroupOptions): Validated<Group> {
  const shape = GroupShape.safeParse(raw);
  if (!shape.success) return { ok: false, error: zodIssuesToViolations(shape.error.issues, raw).toFailure(INVALID_JSON) };
  const v = new Violations();
  // App bodies that fail the shape phase make the whole answer an "Invalid JSON" one, as in Marathon.
  const shapeErrors = new Violations();
  const build = (g: RawGroup, parent: string, path: (string | number)[], fallbackId: string | undefined): Group => {
    const rawId = g.id ?? fallbackId ?? '';
    const id = canonicalId(rawId, parent);
    if (id !== ROOT_ID) for (const e of idErrors(rawId)) v.add(renderPath([...path, 'id']), e);
    if (path.length > 0 && !isInside(id, parent)) v.add(renderPath([...path, 'id']), `Identifier is not child of '${parent}'`);
    const apps: AppDefinition[] = [];
    (g.apps ?? []).forEach((a, i) => {
      const r = parseApp(a, { now: opts.now, base: id });
      const at = renderPath([...path, 'apps', i]);
      if (!r.ok) {
        (r.error.message === INVALID_JSON ? shapeErrors : v).addAll(at, r.error.details);
        return;
      }
      if (parentId(r.value.id) !== id) v.add(`${at}/id`, `Identifier is not child of '${id}'`);
      apps.push(r.value);
    });
    const groups = (g.groups ?? []).map((sub, i) => build(sub, id, [...path, 'groups', i], undefined));
    return {
      id,
      apps,
      groups,
      dependencies: [...new Set((g.dependencies ?? []).map((d) => canonicalId(d, parentId(id))))],
      ...(g.enforceRole ? { enforceRole: true } : {}),
    };
  };
  const group = build(raw as RawGroup, opts.parent ?? ROOT_ID, [], opts.id);
  if (!shapeErrors.empty) return { ok: false, error: shapeErrors.toFailure(INVALID_JSON) };
  checkUniqueIds(group, v);
  if (!v.empty) return { ok: false, error: v.toFailure(OBJECT_NOT_VALID) };
  return { ok: true, value: group };
}

export type GroupUpdateKind = { kind: 'rollback'; version: string } | { kind: 'scale'; factor: number } | { kind: 'update' } | { kind: 'invalid'; error: ValidationFailure };

/**
 * PUT /v2/groups/{id} bodies with special meaning: only `version` (and `id`) rolls the group back to that
 * stored version; only `scaleBy` scales every app below it. Either mixed with other fields is an error.
 */
export function groupUpdateKind(raw: unknown): GroupUpdateKind {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { kind: 'update' };
  const body = raw as Record<string, unknown>;
  const given = Object.keys(body).filter((k) => body[k] !== undefined && body[k] !== null && k !== 'id');
  const special = given.filter((k) => k === 'version' || k === 'scaleBy');
  if (special.length === 0) return { kind: 'update' };
  if (given.length > 1) {
    return { kind: 'invalid', error: { message: OBJECT_NOT_VALID, details: [{ path: '/', errors: [`'${special[0] ?? ''}' may only be combined with 'id'`] }] } };
  }
  if (special[0] === 'version') {
    const v = body['version'];
    if (typeof v !== 'string') return { kind: 'invalid', error: { message: INVALID_JSON, details: [{ path: '/version', errors: ['error.expected.jsstring'] }] } };
    return { kind: 'rollback', version: v };
  }
  const f = body['scaleBy'];
  if (typeof f !== 'number' || !(f > 0)) return { kind: 'invalid', error: { message: INVALID_JSON, details: [{ path: '/scaleBy', errors: ['error.min'] }] } };
  return { kind: 'scale', factor: f };
}

function checkUniqueIds(group: Group, v: Violations): void {
  const seen = new Set<string>();
  const walk = (g: Group): void => {
    for (const a of g.apps) {
      if (seen.has(a.id)) v.add('/', `${a.id} is defined more than once`);
      seen.add(a.id);
    }
    for (const s of g.groups) {
      if (seen.has(s.id)) v.add('/', `${s.id} is defined more than once`);
      seen.add(s.id);
      walk(s);
    }
  };
  walk(group);
}

export function allApps(group: Group): AppDefinition[] {
  return [...group.apps, ...group.groups.flatMap(allApps)];
}

export function allGroups(group: Group): Group[] {
  return [group, ...group.groups.flatMap(allGroups)];
}

export function findGroup(root: Group, id: string): Group | undefined {
  const want = canonicalId(id);
  if (root.id === want) return root;
  for (const g of root.groups) if (isSameOrInside(want, g.id)) return findGroup(g, want);
  return undefined;
}

export function findApp(root: Group, id: string): AppDefinition | undefined {
  const want = canonicalId(id);
  return findGroup(root, parentId(want))?.apps.find((a) => a.id === want);
}

/** Replaces `id`'s subtree via `f` (undefined = remove), creating missing parent groups on the way. */
function updateAt(root: Group, id: string, f: (g: Group | undefined) => Group | undefined): Group {
  if (root.id === id) return f(root) ?? emptyGroup(root.id);
  const childId = '/' + idSegments(id).slice(0, idSegments(root.id).length + 1).join('/');
  const existing = root.groups.find((g) => g.id === childId);
  const rest = root.groups.filter((g) => g.id !== childId);
  let next: Group | undefined;
  if (childId === id) next = f(existing);
  else next = updateAt(existing ?? emptyGroup(childId), id, f);
  return { ...root, groups: next ? [...rest, next].sort((a, b) => a.id.localeCompare(b.id)) : rest };
}

/** Inserts or replaces an app, creating its parent groups when missing. */
export function putApp(root: Group, app: AppDefinition): Group {
  return updateAt(root, parentId(app.id), (g) => {
    const base = g ?? emptyGroup(parentId(app.id));
    const apps = base.apps.filter((a) => a.id !== app.id);
    return { ...base, apps: [...apps, app].sort((a, b) => a.id.localeCompare(b.id)) };
  });
}

export function removeApp(root: Group, id: string): Group {
  const want = canonicalId(id);
  if (!findApp(root, want)) return root;
  return updateAt(root, parentId(want), (g) => (g ? { ...g, apps: g.apps.filter((a) => a.id !== want) } : g));
}

/** Inserts or replaces a whole group subtree. */
export function putGroup(root: Group, group: Group): Group {
  return updateAt(root, group.id, () => group);
}

export function removeGroup(root: Group, id: string): Group {
  const want = canonicalId(id);
  if (want === root.id) return emptyGroup(root.id);
  if (!findGroup(root, want)) return root;
  return updateAt(root, want, () => undefined);
}

/** Group PUT `{scaleBy: f}`: every app below the group gets ceil(instances × f). */
export function scaleGroup(root: Group, id: string, factor: number): Group {
  const g = findGroup(root, id);
  if (!g) return root;
  const scale = (x: Group): Group => ({
    ...x,
    apps: x.apps.map((a) => ({ ...a, instances: Math.ceil(a.instances * factor) })),
    groups: x.groups.map(scale),
  });
  return putGroup(root, scale(g));
}

/** The app ids `appId` depends on: its own dependencies and those of its enclosing groups, groups expanded. */
export function appDependencies(root: Group, appId: string): string[] {
  const app = findApp(root, appId);
  if (!app) return [];
  const declared = [...app.dependencies];
  for (const g of allGroups(root)) if (g.id !== ROOT_ID && isInside(appId, g.id)) declared.push(...g.dependencies);
  const out = new Set<string>();
  for (const d of declared) {
    const asApp = findApp(root, d);
    if (asApp) out.add(asApp.id);
    const asGroup = findGroup(root, d);
    if (asGroup) for (const a of allApps(asGroup)) out.add(a.id);
  }
  out.delete(appId);
  return [...out].sort();
}

export type DependencyOrder = { ok: true; levels: string[][] } | { ok: false; cycle: string[] };

/**
 * Apps grouped by the length of their longest dependency chain: level 0 depends on nothing, level n on
 * something at level n-1. Deploying level by level starts dependencies first.
 */
export function dependencyLevels(root: Group): DependencyOrder {
  const apps = allApps(root).map((a) => a.id).sort();
  const deps = new Map(apps.map((id) => [id, appDependencies(root, id)]));
  const level = new Map<string, number>();
  const onStack: string[] = [];
  let cycle: string[] | undefined;
  const visit = (id: string): number => {
    const known = level.get(id);
    if (known !== undefined) return known;
    const at = onStack.indexOf(id);
    if (at >= 0) {
      cycle ??= [...onStack.slice(at), id];
      return 0;
    }
    onStack.push(id);
    let l = 0;
    for (const d of deps.get(id) ?? []) l = Math.max(l, visit(d) + 1);
    onStack.pop();
    level.set(id, l);
    return l;
  };
  for (const id of apps) visit(id);
  if (cycle) return { ok: false, cycle };
  const levels: string[][] = [];
  for (const id of apps) {
    const l = level.get(id) ?? 0;
    (levels[l] ??= []).push(id);
  }
  return { ok: true, levels: levels.filter((x) => x !== undefined) };
}

/** Validation of a whole tree after a change: a dependency cycle is a 422. */
export function validateTree(root: Group): ValidationFailure | undefined {
  const order = dependencyLevels(root);
  if (order.ok) return undefined;
  return { message: OBJECT_NOT_VALID, details: [{ path: '/', errors: [`Dependency graph has cyclic dependencies: ${order.cycle.join(' -> ')}`] }] };
}

export interface GroupJsonOptions {
  /** Include apps (default true) and sub-groups (default true), as `embed=group.apps` / `group.groups`. */
  apps?: boolean;
  groups?: boolean;
  appJson?: (app: AppDefinition) => Record<string, unknown>;
}

export function groupToJson(g: Group, opts: GroupJsonOptions = {}): Record<string, unknown> {
  const toApp = opts.appJson ?? appToJson;
  return {
    id: g.id,
    apps: opts.apps === false ? [] : g.apps.map(toApp),
    groups: opts.groups === false ? [] : g.groups.map((s) => groupToJson(s, opts)),
    pods: [],
    dependencies: g.dependencies,
    ...(g.version !== undefined ? { version: g.version } : {}),
    enforceRole: g.enforceRole ?? false,
  };
}
