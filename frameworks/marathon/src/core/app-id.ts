/**
 * App and group ids are paths (`/prod/web`). Clients send them in many spellings — `prod/web`,
 * `//prod/web/`, `%2Fprod%2Fweb`, relative `../db` inside a group — and every one must land on the same
 * canonical absolute id, because ids key the state store, the URL routes and the DNS names.
 */

export const ROOT_ID = '/';

/**
 * One path segment: dot-separated DNS labels (lowercase letters, digits, inner hyphens), so that the
 * reversed id (`web.prod`) is a valid DNS name for Mesos-DNS.
 */
const LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
export const ID_SEGMENT_PATTERN = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

/** Last segments that would collide with the sub-resources of `/v2/apps/{id}/…`. */
export const RESERVED_LAST_SEGMENTS: readonly string[] = ['restart', 'tasks', 'versions'];

export interface ParsedId {
  segments: string[];
  absolute: boolean;
}

/** Decodes percent-escapes when present; a malformed escape leaves the text as it was. */
export function decodeId(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export function parseId(raw: string): ParsedId {
  const text = decodeId(raw.trim());
  return { segments: text.split('/').filter((s) => s.length > 0), absolute: text.startsWith('/') };
}

/**
 * The canonical absolute form of `raw`. A relative id is resolved against `base` (an absolute group id);
 * `.` and `..` are resolved, `..` at the root stays at the root.
 */
export function canonicalId(raw: string, base: string = ROOT_ID): string {
  const parsed = parseId(raw);
  const start = parsed.absolute ? [] : parseId(base).segments;
  const out: string[] = [...start];
  for (const seg of parsed.segments) {
    if (seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

export function idSegments(id: string): string[] {
  return parseId(id).segments;
}

export function isRootId(id: string): boolean {
  return idSegments(id).length === 0;
}

/** `/prod/web` → `/prod`; a top-level id and the root both give `/`. */
export function parentId(id: string): string {
  const segs = idSegments(id);
  return '/' + segs.slice(0, -1).join('/');
}

/** Every ancestor group of `id`, nearest first, ending with `/` (empty for the root itself). */
export function ancestorIds(id: string): string[] {
  const segs = idSegments(id);
  const out: string[] = [];
  for (let n = segs.length - 1; n >= 0; n--) out.push('/' + segs.slice(0, n).join('/'));
  return out;
}

/** True when `id` lies strictly inside group `groupId`. */
export function isInside(id: string, groupId: string): boolean {
  const a = idSegments(id);
  const g = idSegments(groupId);
  return a.length > g.length && g.every((s, i) => a[i] === s);
}

export function isSameOrInside(id: string, groupId: string): boolean {
  return canonicalId(id) === canonicalId(groupId) || isInside(id, groupId);
}

/** The last segment (`/prod/web` → `web`). */
export function baseName(id: string): string {
  const segs = idSegments(id);
  return segs[segs.length - 1] ?? '';
}

/**
 * Problems with an id as the user wrote it (before canonicalisation): empty, bad segment characters,
 * a reserved last segment. Relative `.`/`..` segments are allowed here; they are resolved later.
 */
export function idErrors(raw: string): string[] {
  const parsed = parseId(raw);
  const errors: string[] = [];
  if (parsed.segments.length === 0) errors.push('Path must contain at least one path element');
  const bad = parsed.segments.filter((s) => s !== '.' && s !== '..' && !ID_SEGMENT_PATTERN.test(s));
  if (bad.length > 0) errors.push(`must fully match regular expression '${ID_SEGMENT_PATTERN.source}'`);
  const last = parsed.segments[parsed.segments.length - 1];
  if (last !== undefined && (RESERVED_LAST_SEGMENTS.includes(last) || last === '.' || last === '..')) {
    errors.push(`must not end with any of the following reserved keywords: ${[...RESERVED_LAST_SEGMENTS, '.', '..'].join(', ')}`);
  }
  return errors;
}

/** The Mesos task name of an app, which Mesos-DNS turns into `<name>.marathon.mesos`: `/prod/web` → `web.prod`. */
export function mesosTaskName(appId: string): string {
  return idSegments(appId).reverse().join('.');
}

/** Segments joined with `_`: reversible because `_` is not allowed inside a segment. */
export function safeAppId(appId: string): string {
  return idSegments(appId).join('_');
}

export function appIdFromSafe(safe: string): string {
  return '/' + safe.split('_').filter(Boolean).join('/');
}

/** Marathon's task id shape: `prod_web.<uuid>`; the uuid comes from the caller (cores take no randomness). */
export function makeTaskId(appId: string, uuid: string): string {
  return `${safeAppId(appId)}.${uuid}`;
}

/** Inverse of makeTaskId. The uuid holds no dot, so the app part ends at the last dot. */
export function appIdOfTaskId(taskId: string): string | undefined {
  const dot = taskId.lastIndexOf('.');
  if (dot <= 0 || dot === taskId.length - 1) return undefined;
  return appIdFromSafe(taskId.slice(0, dot));
}

/** `id` relative to `groupId` when inside it, else the absolute id (for compact display in a group). */
export function relativeId(id: string, groupId: string): string {
  if (!isInside(id, groupId)) return canonicalId(id);
  return idSegments(id).slice(idSegments(groupId).length).join('/');
}

export type AppRoute =
  | { kind: 'app'; appId: string }
  | { kind: 'restart'; appId: string }
  | { kind: 'tasks'; appId: string; taskId?: string }
  | { kind: 'versions'; appId: string; version?: string };

/**
 * Splits the part of a URL after `/v2/apps` into the app id and its sub-resource, the way Marathon's
 * routes do: the id may span any number of segments, so the sub-resource is found from the end.
 * `/prod/web/tasks/prod_web.1` → tasks of `/prod/web`, task `prod_web.1`. Percent-escapes are decoded.
 */
export function parseAppRoute(rest: string): AppRoute {
  const segs = rest.split('/').filter((s) => s.length > 0).map(decodeId);
  // A fully escaped id (`%2Fprod%2Fweb`) decodes into one segment holding slashes: split it again.
  const flat = segs.flatMap((s) => s.split('/').filter((p) => p.length > 0));
  const n = flat.length;
  const idOf = (k: number): string => '/' + flat.slice(0, k).join('/');
  if (n >= 2 && flat[n - 1] === 'restart') return { kind: 'restart', appId: idOf(n - 1) };
  if (n >= 2 && flat[n - 1] === 'tasks') return { kind: 'tasks', appId: idOf(n - 1) };
  if (n >= 3 && flat[n - 2] === 'tasks') return { kind: 'tasks', appId: idOf(n - 2), taskId: flat[n - 1] as string };
  if (n >= 2 && flat[n - 1] === 'versions') return { kind: 'versions', appId: idOf(n - 1) };
  if (n >= 3 && flat[n - 2] === 'versions') return { kind: 'versions', appId: idOf(n - 2), version: flat[n - 1] as string };
  return { kind: 'app', appId: idOf(n) };
}
