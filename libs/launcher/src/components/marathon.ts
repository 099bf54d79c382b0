import * as path from 'node:path';
import { httpRequest } from '../http-json';
import type { ComponentDef, ComponentEndpoint } from '../types';
import { spawnNodeService } from './node-service';
import { waitUntilReady } from './readiness';

const MAIN = 'frameworks/marathon/src/main';

/**
 * Marathon (issue 3): one instance on the planned marathon port (8080 with fixed ports), started after
 * the agents because it subscribes to the master as a framework. Only when a master runs. Ready when
 * `/v2/leader` names a leader (it elects itself through Consul) and `/v2/apps` answers, i.e. its state
 * is loaded.
 */
export const marathonComponent: ComponentDef = {
  kind: 'marathon',
  main: MAIN,
  count: (o) => (o.masters > 0 ? 1 : 0),
  stopGraceMs: 10_000,
  spawn(ctx, index) {
    const ep = marathonEndpoint(ctx.plan.services.marathon, ctx.opts.workDir, ctx.opts.logDir, index);
    const master = ctx.endpoints.masters[0];
    return spawnNodeService(ctx, MAIN, ep, [
      '--nats', ctx.endpoints.nats,
      '--consul', ctx.endpoints.consul,
      '--ip', ep.ip,
      '--port', String(ep.port),
      '--hostname', ep.ip,
      '--log-level', ctx.opts.logLevel,
      ...(master ? ['--master-url', master.url] : []),
      // The web UI on the masters calls this API from the browser (CORS).
      '--access-control-allow-origin', ctx.endpoints.masters.map((m) => m.url).join(','),
    ]);
  },
  ready(ctx, inst) {
    return waitUntilReady(ctx, inst, 'GET /v2/apps with a leader', async () => {
      const res = await httpRequest(`${inst.url}/v2/apps`, { timeoutMs: 3000 });
      return res.status === 200;
    });
  },
};

export function marathonEndpoint(hp: { ip: string; port: number }, workDir: string, logDir: string, index = 0): ComponentEndpoint {
  const name = `marathon-${index + 1}`;
  const url = `http://${hp.ip}:${hp.port}`;
  return { kind: 'marathon', index, name, ip: hp.ip, port: hp.port, url, listens: url, workDir: path.join(workDir, name), logFile: path.join(logDir, `${name}.log`) };
}
