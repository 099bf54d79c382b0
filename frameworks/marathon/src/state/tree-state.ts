import { allApps, allGroups, emptyGroup, findGroup, idSegments, putApp, putGroup, stableJson, type AppDefinition, type Group } from '../core';
import { ops, type StoreOp } from './marathon-store';
import type { GroupRecord } from './records';

/**
 * The group tree is stored as separate keys (a record per group, a key per app); these helpers turn
 * the keys back into a tree and a change of the tree into the key writes it needs.
 */

export function groupRecord(g: Group): GroupRecord {
  return {
    id: g.id,
    dependencies: g.dependencies,
    ...(g.version !== undefined ? { version: g.version } : {}),
    ...(g.enforceRole ? { enforceRole: true } : {}),
  };
}

/** Rebuilds the tree: groups parent-first (so each exists before its children), then the apps. */
export function buildTree(groups: readonly GroupRecord[], apps: readonly AppDefinition[]): Group {
  let root = emptyGroup();
  const sorted = [...groups].sort((a, b) => idSegments(a.id).length - idSegments(b.id).length || a.id.localeCompare(b.id));
  for (const rec of sorted) {
    const existing = findGroup(root, rec.id);
    const base = existing && existing.id === rec.id ? existing : emptyGroup(rec.id);
    const next: Group = { ...base, dependencies: rec.dependencies };
    if (rec.version !== undefined) next.version = rec.version;
    if (rec.enforceRole) next.enforceRole = true;
    root = putGroup(root, next);
  }
  for (const app of apps) root = putApp(root, app);
  return root;
}

/**
 * The store writes that take the persisted tree from `before` to `after`: changed apps (definition and
 * a version key), removed apps (with their history, via `versionsOf`), changed and removed groups.
 */
export function treeOps(before: Group, after: Group, versionsOf: (appId: string) => readonly string[]): StoreOp[] {
  const out: StoreOp[] = [];
  const oldApps = new Map(allApps(before).map((a) => [a.id, a]));
  const newApps = new Map(allApps(after).map((a) => [a.id, a]));
  for (const [id, app] of newApps) {
    const prev = oldApps.get(id);
    if (!prev || stableJson(prev) !== stableJson(app)) out.push(...ops.putApp(app));
  }
  for (const id of oldApps.keys()) if (!newApps.has(id)) out.push(...ops.deleteApp(id, versionsOf(id)));
  const oldGroups = new Map(allGroups(before).map((g) => [g.id, stableJson(groupRecord(g))]));
  const newGroups = new Map(allGroups(after).map((g) => [g.id, groupRecord(g)]));
  for (const [id, rec] of newGroups) if (oldGroups.get(id) !== stableJson(rec)) out.push(ops.putGroup(rec));
  for (const id of oldGroups.keys()) if (!newGroups.has(id)) out.push(ops.deleteGroup(id));
  return out;
}
