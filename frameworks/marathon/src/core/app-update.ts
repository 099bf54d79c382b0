import type { AppDefinition } from './app-definition';
import { appToJson } from './app-definition';
import { checkAppShape, parseApp } from './validate-app';
import { OBJECT_NOT_VALID, failure, type ValidationFailure } from './validation-error';

/**
 * PUT and PATCH of an app, with Marathon's merge rules:
 * - a partial update (PATCH, and PUT with the default `partialUpdate=true`) replaces each top-level field
 *   it carries and keeps the others; `null` counts as "not given";
 * - a full update (PUT `?partialUpdate=false`) replaces the whole definition;
 * - a body with only `version` (and optionally `id`) is a rollback to that stored version; `version`
 *   next to any other field is an error.
 * Deviation from Marathon, on purpose: setting `cmd` drops a stored `args` and vice versa (Marathon
 * would keep both and then reject its own merge), and deprecated `ports`/`uris` replace their current
 * counterparts `portDefinitions`/`fetch`.
 */

export type AppUpdateResult =
  | { kind: 'rollback'; version: string }
  | { kind: 'create'; app: AppDefinition }
  | { kind: 'update'; app: AppDefinition }
  | { kind: 'not-found' }
  | { kind: 'invalid'; error: ValidationFailure };

export interface AppUpdateOptions {
  /** Canonical id from the URL. */
  id: string;
  /** ISO 8601 version for the result (the caller re-stamps with stampVersion to keep versionInfo). */
  now: string;
  /** true for PATCH and default PUT. */
  partial: boolean;
  /** PUT creates a missing app; PATCH does not. */
  allowCreate: boolean;
}

const READ_ONLY = ['versionInfo', 'tasksStaged', 'tasksRunning', 'tasksHealthy', 'tasksUnhealthy', 'deployments', 'tasks', 'lastTaskFailure', 'readinessCheckResults', 'tasksStats', 'taskStats'];

/** Is this body a rollback request (`{version}` or `{id, version}`)? Returns the version or an error. */
export function rollbackVersionOf(raw: unknown): { version: string } | { error: ValidationFailure } | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const body = raw as Record<string, unknown>;
  const version = body['version'];
  if (version === undefined || version === null) return undefined;
  const others = Object.keys(body).filter((k) => k !== 'id' && k !== 'version' && !READ_ONLY.includes(k) && body[k] !== null);
  if (others.length > 0) return { error: failure(OBJECT_NOT_VALID, '/', "The 'version' field may only be combined with the 'id' field.") };
  if (typeof version !== 'string') return { error: { message: 'Invalid JSON', details: [{ path: '/version', errors: ['error.expected.jsstring'] }] } };
  return { version };
}

export function applyAppUpdate(current: AppDefinition | undefined, raw: unknown, opts: AppUpdateOptions): AppUpdateResult {
  const rb = rollbackVersionOf(raw);
  if (rb && 'error' in rb) return { kind: 'invalid', error: rb.error };
  if (rb) return current ? { kind: 'rollback', version: rb.version } : { kind: 'not-found' };
  if (!current && !opts.allowCreate) return { kind: 'not-found' };
  const shape = checkAppShape(raw);
  if (!shape.ok) return { kind: 'invalid', error: shape.error };
  let body: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  delete body['version'];
  for (const k of READ_ONLY) delete body[k];
  if (current && opts.partial) body = mergePatch(appToJson(current), body);
  // The URL names the app; a body id, if any, must agree (checked by the caller) and is replaced.
  body['id'] = opts.id;
  const parsed = parseApp(body, { now: opts.now, id: opts.id });
  if (!parsed.ok) return { kind: 'invalid', error: parsed.error };
  return current ? { kind: 'update', app: parsed.value } : { kind: 'create', app: parsed.value };
}

/** Top-level replacement of the fields the patch carries (null = not given). */
export function mergePatch(currentJson: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...currentJson };
  for (const k of ['version', 'versionInfo']) delete out[k];
  const given = (k: string): boolean => patch[k] !== undefined && patch[k] !== null;
  for (const [k, val] of Object.entries(patch)) if (val !== undefined && val !== null) out[k] = val;
  if (given('cmd') && !given('args')) delete out['args'];
  if (given('args') && !given('cmd')) delete out['cmd'];
  if (given('ports') && !given('portDefinitions')) delete out['portDefinitions'];
  if (given('uris') && !given('fetch')) delete out['fetch'];
  const container = patch['container'] as { docker?: { network?: unknown } } | undefined | null;
  if (container?.docker?.network !== undefined && !given('networks')) delete out['networks'];
  // Moving between host and container networking invalidates the stored ports of the old mode.
  const modeOf = (j: Record<string, unknown>): string => {
    const nets = j['networks'] as { mode?: string }[] | undefined | null;
    const legacy = (j['container'] as { docker?: { network?: string } } | undefined | null)?.docker?.network;
    if (nets && nets.length > 0) return nets[0]?.mode ?? 'container';
    return legacy === 'BRIDGE' || legacy === 'USER' ? 'container' : 'host';
  };
  const hostBefore = modeOf(currentJson) === 'host';
  const hostAfter = modeOf(out) === 'host';
  if (hostBefore !== hostAfter && !given('portDefinitions') && !given('ports')) delete out['portDefinitions'];
  return out;
}
