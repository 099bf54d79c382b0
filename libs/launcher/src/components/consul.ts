import * as path from 'node:path';
import { httpRequest } from '../http-json';
import { ManagedProcess } from '../managed-process';
import type { ComponentDef } from '../types';
import { waitUntilReady } from './readiness';

/**
 * Consul on loopback with every port given, so two clusters can run side by side.
 * - 'dev' (tests): in-memory `consul agent -dev`, leader within a fraction of a second, nothing on disk.
 * - 'persistent' (`agora up`): a one-server cluster with its data in <workDir>/consul, so the KV store
 *   (app and job definitions, the master registry) survives a restart of the cluster. A fixed node name
 *   keeps raft happy when the machine's hostname changes; raft_multiplier 1 (dev timing) elects the lone
 *   server in about 2 s instead of 7.
 */
export const consulComponent: ComponentDef = {
  kind: 'consul',
  count: () => 1,
  stopGraceMs: 10_000,
  spawn(ctx) {
    const c = ctx.plan.consul;
    const workDir = path.join(ctx.opts.workDir, 'consul');
    const logFile = path.join(ctx.opts.logDir, 'consul.log');
    const common = [
      '-node', 'agora',
      '-bind', c.ip,
      '-client', c.ip,
      '-http-port', String(c.http),
      '-dns-port', '-1',
      '-serf-lan-port', String(c.serfLan),
      '-serf-wan-port', String(c.serfWan),
      '-server-port', String(c.server),
      '-grpc-port', '-1',
      '-hcl', 'disable_update_check = true',
    ];
    const mode =
      ctx.opts.consul === 'dev'
        ? ['-dev']
        : ['-server', '-bootstrap-expect', '1', '-data-dir', path.join(workDir, 'data'), '-ui', '-hcl', 'performance { raft_multiplier = 1 }'];
    const proc = ManagedProcess.spawn({ name: 'consul', command: 'consul', args: ['agent', ...mode, ...common], cwd: workDir, logFile });
    return {
      kind: 'consul',
      index: 0,
      name: 'consul',
      ip: c.ip,
      port: c.http,
      url: ctx.endpoints.consul,
      listens: `${ctx.endpoints.consul}  (ui ${ctx.endpoints.consul}/ui, server ${c.server}, serf ${c.serfLan}/${c.serfWan})`,
      workDir,
      logFile,
      proc,
    };
  },
  ready(ctx, inst) {
    return waitUntilReady(ctx, inst, 'GET /v1/status/leader', async () => {
      const res = await httpRequest<string>(`${ctx.endpoints.consul}/v1/status/leader`, { timeoutMs: 2000 });
      return res.status === 200 && typeof res.body === 'string' && res.body.length > 0;
    });
  },
};
