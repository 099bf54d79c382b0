import { DEFAULT_PORTS } from '@agora/contracts';
import { findFreePort, findFreePorts } from './free-ports';
import type { PortPlan, ResolvedClusterOptions } from './types';

/** NATS' conventional monitoring port; not in DESIGN.md's table because only operators look at it. */
export const NATS_MONITOR_PORT = 8222;
/** Extra masters (HA on one machine) sit 10 ports apart: 5050, 5060, 5070. */
export const MASTER_PORT_STEP = 10;

const LOOPBACK = '127.0.0.1';

/** Agent N (1-based) is its own "host": it binds and advertises 127.0.1.N. */
export function agentIp(index: number): string {
  if (index < 0 || index > 253) throw new Error(`at most 254 agents on one machine (asked for agent ${index + 1})`);
  return `127.0.1.${index + 1}`;
}

export async function planPorts(opts: ResolvedClusterOptions): Promise<PortPlan> {
  return opts.ports === 'free' ? planFree(opts) : planFixed(opts);
}

function planFixed(opts: ResolvedClusterOptions): PortPlan {
  const k = opts.portOffset;
  const at = (port: number, ip = LOOPBACK) => ({ ip, port: port + k });
  return {
    nats: at(DEFAULT_PORTS.nats),
    natsMonitor: at(NATS_MONITOR_PORT),
    consul: {
      ip: LOOPBACK,
      http: DEFAULT_PORTS.consulHttp + k,
      serfLan: DEFAULT_PORTS.consulSerfLan + k,
      serfWan: DEFAULT_PORTS.consulSerfWan + k,
      server: DEFAULT_PORTS.consulServer + k,
    },
    masters: range(opts.masters).map((i) => at(DEFAULT_PORTS.master + MASTER_PORT_STEP * i)),
    agents: range(opts.agents).map((i) => at(DEFAULT_PORTS.agent, agentIp(i))),
    services: {
      marathon: at(DEFAULT_PORTS.marathon),
      chronos: at(DEFAULT_PORTS.chronos),
      dns: at(DEFAULT_PORTS.dns),
      dnsHttp: at(DEFAULT_PORTS.dnsHttp),
    },
  };
}

async function planFree(opts: ResolvedClusterOptions): Promise<PortPlan> {
  // nats, its monitor, consul http + server, marathon, chronos, dns http, then one per master
  const tcp = await findFreePorts(7 + opts.masters);
  // serf gossips over UDP as well, DNS answers over both
  const udp = await findFreePorts(3, { udp: true });
  const agents: PortPlan['agents'] = [];
  for (let i = 0; i < opts.agents; i++) {
    const ip = agentIp(i);
    agents.push({ ip, port: await findFreePort({ host: ip }) });
  }
  const next = (): number => {
    const p = tcp.shift();
    if (p === undefined) throw new Error('port plan: ran out of free ports');
    return p;
  };
  const at = (port: number) => ({ ip: LOOPBACK, port });
  return {
    nats: at(next()),
    natsMonitor: at(next()),
    consul: { ip: LOOPBACK, http: next(), server: next(), serfLan: udp[0] as number, serfWan: udp[1] as number },
    masters: range(opts.masters).map(() => at(next())),
    agents,
    services: {
      marathon: at(next()),
      chronos: at(next()),
      dns: at(udp[2] as number),
      dnsHttp: at(next()),
    },
  };
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
