import * as path from 'node:path';
import { httpRequest } from '../http-json';
import type { ComponentDef, ComponentEndpoint } from '../types';
import { spawnNodeService } from './node-service';
import { waitUntilReady } from './readiness';

const MAIN = 'frameworks/chronos/src/main';

/**
 * Chronos (issue 4): one instance on the planned chronos port (4400 with fixed ports), started after the
 * agents because it subscribes to the master as a framework. Only when a master runs. Ready when
 * `/v1/scheduler/jobs` answers 200: it has been elected through Consul and has loaded its jobs.
 */
export const chronosComponent: ComponentDef = {
  kind: 'chronos',
  main: MAIN,
  count: (o) => (o.masters > 0 ? 1 : 0),
  stopGraceMs: 10_000,
  spawn(ctx, index) {
    const ep = chronosEndpoint(ctx.plan.services.chronos, ctx.opts.workDir, ctx.opts.logDir, index);
    return spawnNodeService(ctx, MAIN, ep, [
      '--nats', ctx.endpoints.nats,
      '--consul', ctx.endpoints.consul,
      '--ip', ep.ip,
      '--port', String(ep.port),
      '--hostname', ep.ip,
      '--log-level', ctx.opts.logLevel,
      // The web UI on the masters calls this API from the browser (CORS).
      '--access-control-allow-origin', ctx.endpoints.masters.map((m) => m.url).join(','),
    ]);
  },
  ready(ctx, inst) {
    return waitUntilReady(ctx, inst, 'GET /v1/scheduler/jobs (elected, jobs loaded)', async () => {
      const res = await httpRequest(`${inst.url}/v1/scheduler/jobs`, { timeoutMs: 3000 });
      return res.status === 200;
    });
  },
};

export function chronosEndpoint(hp: { ip: string; port: number }, workDir: string, logDir: string, index = 0): ComponentEndpoint {
  const name = `chronos-${index + 1}`;
  const url = `http://${hp.ip}:${hp.port}`;
  return { kind: 'chronos', index, name, ip: hp.ip, port: hp.port, url, listens: url, workDir: path.join(workDir, name), logFile: path.join(logDir, `${name}.log`) };
}
