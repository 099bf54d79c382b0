/**
 * Identifier shapes. Ids are made by the caller from randomness passed in, so cores stay deterministic;
 * services pass `crypto.randomUUID()`.
 */
export type AgentId = string;
export type FrameworkId = string;
export type OfferId = string;
export type TaskId = string;

/** Agent ids look like Mesos': `<master-run-uuid>-S<n>`; framework ids `<master-run-uuid>-<nnnn>`. */
export function agentIdFrom(uuid: string, n: number): AgentId {
  return `${uuid}-S${n}`;
}
export function frameworkIdFrom(uuid: string, n: number): FrameworkId {
  return `${uuid}-${String(n).padStart(4, '0')}`;
}
export function offerIdFrom(uuid: string, n: number): OfferId {
  return `${uuid}-O${n}`;
}

/** Task ids travel in NATS subjects only as payload, but they also name sandbox dirs: keep them path-safe. */
export const TASK_ID_PATTERN = /^[A-Za-z0-9_.\-:]{1,200}$/;
export function isValidTaskId(id: string): boolean {
  return TASK_ID_PATTERN.test(id) && id !== '.' && id !== '..';
}

/** Roles: `*` or path segments without `.`/`..`, leading `-` or whitespace (mesos roles.cpp). */
export function isValidRole(role: string): boolean {
  if (role === '*') return true;
  if (role.length === 0 || role.startsWith('/') || role.endsWith('/')) return false;
  return role.split('/').every((seg) => seg.length > 0 && seg !== '.' && seg !== '..' && !seg.startsWith('-') && !/[\s*]/.test(seg));
}
