import type { MasterInfo } from '@agora/contracts';

/** Paths any master answers itself, leader or not. */
export const ALWAYS_LOCAL = new Set(['/health', '/version', '/metrics/snapshot', '/master/health', '/master/version', '/master/metrics/snapshot']);

/**
 * The web UI (`/`, `/ui/…`) and `/agora/services` are answered by any master too: the page asks
 * /agora/services who leads and moves there itself, and says so when nobody leads (a redirect or a bare
 * 503 would leave a user on a standby with nothing to read).
 */
export function answeredByAnyMaster(path: string): boolean {
  return ALWAYS_LOCAL.has(path) || path === '/' || path === '/ui' || path.startsWith('/ui/') || path === '/agora/services';
}

export type StandbyAnswer = { kind: 'local' } | { kind: 'redirect'; location: string } | { kind: 'unavailable' };

/**
 * What a master does with an HTTP request: the leader answers; a standby redirects (307) to the same
 * path on the leader, or says 503 when nobody leads (or the lock still names this very process).
 */
export function standbyAnswer(path: string, originalUrl: string, leading: boolean, leader: MasterInfo | undefined, selfId: string): StandbyAnswer {
  if (leading || answeredByAnyMaster(path)) return { kind: 'local' };
  if (!leader || leader.id === selfId) return { kind: 'unavailable' };
  const base = leader.url.replace(/\/$/, '');
  if (path === '/master/redirect') return { kind: 'redirect', location: base };
  return { kind: 'redirect', location: base + originalUrl };
}
