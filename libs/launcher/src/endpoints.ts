import * as path from 'node:path';
import type { ClusterEndpoints, ComponentEndpoint, HostPort, PortPlan, ResolvedClusterOptions } from './types';

/** Where everything will listen and write, known before anything starts (the port plan decides it). */
export function planEndpoints(opts: ResolvedClusterOptions, plan: PortPlan): ClusterEndpoints {
  const http = (hp: HostPort) => `http://${hp.ip}:${hp.port}`;
  const node = (kind: string, index: number, hp: HostPort): ComponentEndpoint => {
    const name = `${kind}-${index + 1}`;
    return {
      kind,
      index,
      name,
      ip: hp.ip,
      port: hp.port,
      url: http(hp),
      listens: http(hp),
      workDir: path.join(opts.workDir, name),
      logFile: path.join(opts.logDir, `${name}.log`),
    };
  };
  return {
    workDir: opts.workDir,
    logDir: opts.logDir,
    nats: `nats://${plan.nats.ip}:${plan.nats.port}`,
    natsMonitor: http(plan.natsMonitor),
    consul: `http://${plan.consul.ip}:${plan.consul.http}`,
    masters: plan.masters.map((hp, i) => node('master', i, hp)),
    agents: plan.agents.map((hp, i) => node('agent', i, hp)),
  };
}
