import { kv } from '@agora/contracts';

/**
 * Chronos' keys in Consul KV, one per object under `agora/chronos/`:
 *   framework-id                 the framework id the master gave us (failover needs it)
 *   jobs/<name>                  the normalised Job
 *   schedule/<name>              ScheduleState (scheduled jobs)
 *   deps/<name>                  DependencyState (dependent jobs)
 *   stats/<name>                 JobStats
 *   runs/<name>/<run key>        RunRecord (created once, CAS 0)
 * The leader lock (kv.leaderLock('chronos') = agora/chronos/leader) lives beside them.
 */
export const CHRONOS_ROOT = kv.componentRoot('chronos');

export const chronosKeys = {
  root: CHRONOS_ROOT,
  leaderLock: () => kv.leaderLock('chronos'),
  frameworkId: () => `${CHRONOS_ROOT}framework-id`,
  job: (name: string) => `${CHRONOS_ROOT}jobs/${name}`,
  schedule: (name: string) => `${CHRONOS_ROOT}schedule/${name}`,
  deps: (name: string) => `${CHRONOS_ROOT}deps/${name}`,
  stats: (name: string) => `${CHRONOS_ROOT}stats/${name}`,
  runsOf: (name: string) => `${CHRONOS_ROOT}runs/${name}/`,
  run: (name: string, runKey: string) => `${CHRONOS_ROOT}runs/${name}/${runKey}`,
} as const;

export type ChronosKey =
  | { kind: 'framework-id' }
  | { kind: 'job' | 'schedule' | 'deps' | 'stats'; name: string }
  | { kind: 'run'; name: string; runKey: string }
  | { kind: 'other' };

/** What a stored key holds (for loading everything with one recursive list). */
export function classifyKey(key: string): ChronosKey {
  if (!key.startsWith(CHRONOS_ROOT)) return { kind: 'other' };
  const rest = key.slice(CHRONOS_ROOT.length);
  if (rest === 'framework-id') return { kind: 'framework-id' };
  const parts = rest.split('/');
  const [dir, name, runKey] = parts;
  if (!name) return { kind: 'other' };
  if (parts.length === 2 && (dir === 'jobs' || dir === 'schedule' || dir === 'deps' || dir === 'stats')) return { kind: dir === 'jobs' ? 'job' : dir, name };
  if (parts.length === 3 && dir === 'runs' && runKey) return { kind: 'run', name, runKey };
  return { kind: 'other' };
}
