import { MarathonClient, type AppJson, type DeploymentJson } from '../../../frameworks/marathon/src/client/marathon-client';

export interface WatchOptions {
  deploymentId: string;
  /** Apps whose counts are shown (the deployment's affected apps when empty). */
  appIds: string[];
  /** Give up after this long (0 = never). */
  timeoutMs: number;
  /** Where progress lines go (one per change). */
  out: (line: string) => void;
  intervalMs?: number;
  /** No change for this long prints why the deployment waits. */
  stallMs?: number;
}

export type WatchResult = { ok: true; ms: number } | { ok: false; ms: number; message: string };

/**
 * Follows a deployment until it is gone from /v2/deployments: one line per change of its step or of
 * its apps' healthy/running/staged counts; after `stallMs` without change, the reason it waits (Agora's
 * waitingReason, else the queue's placement summary). A deployment that disappears while its apps
 * belong to another deployment was cancelled or rolled back: that is a failure.
 */
export async function watchDeployment(client: MarathonClient, opts: WatchOptions): Promise<WatchResult> {
  const t0 = Date.now();
  const interval = opts.intervalMs ?? 500;
  const stallMs = opts.stallMs ?? 10_000;
  let last = '';
  let lastChange = Date.now();
  let lastReason = '';
  let apps = opts.appIds;
  for (;;) {
    const deps = await client.deployments();
    const dep = deps.find((d) => d.id === opts.deploymentId);
    const elapsed = Date.now() - t0;
    if (!dep) {
      const others = deps.filter((d) => d.affectedApps.some((a) => apps.includes(a)));
      if (others.length > 0) {
        return { ok: false, ms: elapsed, message: `deployment ${opts.deploymentId} was cancelled or rolled back; now running: ${others.map((d) => d.id).join(', ')}` };
      }
      if (apps.length > 0) {
        const final = await Promise.all(apps.map((id) => client.app(id).catch(() => undefined)));
        opts.out(`[${(elapsed / 1000).toFixed(1)}s] done — ${countsText(apps, final)}`);
      }
      return { ok: true, ms: elapsed };
    }
    if (apps.length === 0) apps = dep.affectedApps;
    const counts = await Promise.all(apps.map((id) => client.app(id).catch(() => undefined)));
    const line = progressLine(dep, apps, counts);
    if (line !== last) {
      opts.out(`[${(elapsed / 1000).toFixed(1)}s] ${line}`);
      last = line;
      lastChange = Date.now();
    } else if (Date.now() - lastChange >= stallMs) {
      const reason = await stallReason(client, dep);
      if (reason && reason !== lastReason) {
        opts.out(`[${(elapsed / 1000).toFixed(1)}s] stalled: ${reason}`);
        lastReason = reason;
      }
    }
    if (opts.timeoutMs > 0 && elapsed > opts.timeoutMs) {
      const reason = await stallReason(client, dep);
      return { ok: false, ms: elapsed, message: `deployment ${dep.id} still running after ${Math.round(elapsed / 1000)} s${reason ? `: ${reason}` : ''} (it goes on; see \`agora app deployments\`)` };
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

export function progressLine(dep: DeploymentJson, apps: readonly string[], counts: readonly (AppJson | undefined)[]): string {
  const actions = dep.currentActions.map((a) => `${a.action} ${a.app}`).join(', ');
  return `step ${dep.currentStep}/${dep.totalSteps} ${actions} — ${countsText(apps, counts)}`;
}

export function countsText(apps: readonly string[], counts: readonly (AppJson | undefined)[]): string {
  return apps
    .map((id, i) => {
      const a = counts[i];
      if (!a) return `${id}: gone`;
      const checks = (a.healthChecks ?? []).length > 0 ? `, healthy ${a.tasksHealthy ?? 0}` : '';
      return `${id}: running ${a.tasksRunning ?? 0}/${a.instances}${checks}, staged ${a.tasksStaged ?? 0}`;
    })
    .join('; ');
}

async function stallReason(client: MarathonClient, dep: DeploymentJson): Promise<string | undefined> {
  const reasons = dep.currentActions.filter((a) => a.waitingReason).map((a) => `${a.app}: ${a.waitingReason ?? ''}`);
  if (reasons.length > 0) return reasons.join('; ');
  const queue = await client.queue().catch(() => []);
  const mine = queue.filter((q) => dep.affectedApps.includes(q.app.id));
  const fromQueue = mine.map((q) => {
    const delay = q.delay.overdue ? '' : ` (launch delayed ${q.delay.timeLeftSeconds} s after failures)`;
    return `${q.app.id}: ${q.count} waiting${q.placement ? `, ${q.placement.summary}` : ''}${delay}`;
  });
  if (fromQueue.length > 0) return fromQueue.join('; ');
  return 'waiting for tasks to become healthy (see `agora app show`)';
}
