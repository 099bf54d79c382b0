import { httpRequest } from '../http-json';
import type { ComponentDef } from '../types';
import { spawnNodeService } from './node-service';
import { waitUntilReady } from './readiness';

const MAIN = 'services/master/src/main';

/**
 * The masters. Ready when /master/state answers 200 with a leader: the leader itself, or a standby whose
 * 307 we follow to the leader, so every master is ready once the election is over.
 */
export const masterComponent: ComponentDef = {
  kind: 'master',
  main: MAIN,
  count: (o) => o.masters,
  stopGraceMs: 10_000,
  spawn(ctx, index) {
    const ep = ctx.endpoints.masters[index];
    if (!ep) throw new Error(`no master ${index + 1} in the plan`);
    const { opts } = ctx;
    return spawnNodeService(ctx, MAIN, ep, [
      '--nats', ctx.endpoints.nats,
      '--consul', ctx.endpoints.consul,
      '--ip', ep.ip,
      '--port', String(ep.port),
      '--work-dir', ep.workDir,
      '--log-level', opts.logLevel,
      ...opts.masterFlags,
    ]);
  },
  ready(ctx, inst) {
    return waitUntilReady(ctx, inst, 'GET /master/state with a leader', async () => {
      const res = await httpRequest<{ leader?: unknown }>(`${inst.url}/master/state`, { timeoutMs: 3000 });
      return res.status === 200 && typeof res.body === 'object' && res.body !== null && Boolean(res.body.leader);
    });
  },
};
