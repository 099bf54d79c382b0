import * as path from 'node:path';
import { httpRequest } from '../http-json';
import { ManagedProcess } from '../managed-process';
import type { ComponentDef } from '../types';
import { waitUntilReady } from './readiness';

/** Debian's nats-server, one node, client port + monitoring port; ready when /healthz says so. */
export const natsComponent: ComponentDef = {
  kind: 'nats',
  count: () => 1,
  stopGraceMs: 5000,
  spawn(ctx) {
    const { nats, natsMonitor } = ctx.plan;
    const workDir = path.join(ctx.opts.workDir, 'nats');
    const logFile = path.join(ctx.opts.logDir, 'nats.log');
    const proc = ManagedProcess.spawn({
      name: 'nats',
      command: 'nats-server',
      args: ['-a', nats.ip, '-p', String(nats.port), '-m', String(natsMonitor.port), '--pid', path.join(workDir, 'nats.pid')],
      cwd: workDir,
      logFile,
    });
    return {
      kind: 'nats',
      index: 0,
      name: 'nats',
      ip: nats.ip,
      port: nats.port,
      url: ctx.endpoints.nats,
      listens: `${ctx.endpoints.nats}  (monitor ${ctx.endpoints.natsMonitor})`,
      workDir,
      logFile,
      proc,
    };
  },
  ready(ctx, inst) {
    return waitUntilReady(ctx, inst, 'GET /healthz', async () => (await httpRequest(`${ctx.endpoints.natsMonitor}/healthz`, { timeoutMs: 2000 })).status === 200);
  },
};
