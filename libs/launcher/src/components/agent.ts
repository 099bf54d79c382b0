import { httpRequest } from '../http-json';
import { killLeftoverTasks } from '../task-sweeper';
import type { ComponentDef, Instance } from '../types';
import { spawnNodeService } from './node-service';
import { waitUntilReady } from './readiness';

const MAIN = 'services/agent/src/main';

/**
 * The agents, all started at once. Agent N binds and advertises 127.0.1.N with that address as its
 * hostname, and keeps its own work dir, so several agents on one machine behave like several hosts.
 * Ready when /health answers and (when a master runs) the master lists it as an active agent.
 */
export const agentComponent: ComponentDef = {
  kind: 'agent',
  main: MAIN,
  count: (o) => o.agents,
  parallel: true,
  stopGraceMs: 15_000,
  spawn(ctx, index) {
    const ep = ctx.endpoints.agents[index];
    if (!ep) throw new Error(`no agent ${index + 1} in the plan`);
    const { opts } = ctx;
    const resources = opts.agentResources[index];
    const attributes = opts.agentAttributes[index];
    return spawnNodeService(ctx, MAIN, ep, [
      '--nats', ctx.endpoints.nats,
      '--consul', ctx.endpoints.consul,
      '--work-dir', ep.workDir,
      '--ip', ep.ip,
      '--hostname', ep.ip,
      '--port', String(ep.port),
      '--log-level', opts.logLevel,
      ...(resources ? ['--resources', resources] : []),
      ...(attributes ? ['--attributes', attributes] : []),
      ...(ctx.dockerSocket && !opts.agentFlags.includes('--docker-socket') ? ['--docker-socket', ctx.dockerSocket] : []),
      ...opts.agentFlags,
    ]);
  },
  async ready(ctx, inst) {
    await waitUntilReady(ctx, inst, 'GET /health', async () => (await httpRequest(`${inst.url}/health`, { timeoutMs: 2000 })).status === 200);
    const masters = ctx.running('master');
    if (masters.length === 0) return;
    await waitUntilReady(ctx, inst, 'active in /master/slaves', async () => {
      for (const m of masters) {
        try {
          const res = await httpRequest(`${m.url}/master/slaves`, { timeoutMs: 3000 });
          if (res.status === 200) return isListedActive(res.body, inst);
        } catch {
          // that master is down: ask the next one
        }
      }
      return false;
    });
  },
  async afterStop(_ctx, instances) {
    await killLeftoverTasks(instances.map((i) => i.workDir));
  },
};

/** Mesos shape `{slaves: [...]}`; tolerate a bare array or `{agents: [...]}` too. */
export function listedAgents(body: unknown): Array<Record<string, unknown>> {
  const arr = Array.isArray(body)
    ? body
    : typeof body === 'object' && body !== null
      ? ((body as { slaves?: unknown }).slaves ?? (body as { agents?: unknown }).agents)
      : undefined;
  return Array.isArray(arr) ? arr.filter((a): a is Record<string, unknown> => typeof a === 'object' && a !== null) : [];
}

function isListedActive(body: unknown, inst: Instance): boolean {
  return listedAgents(body).some(
    (a) => a.active === true && (a.hostname === inst.ip || a.ip === inst.ip) && (a.port === undefined || a.port === inst.port),
  );
}
