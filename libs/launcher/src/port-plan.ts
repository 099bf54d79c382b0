import { DEFAULT_PORTS } from '@agora/contracts';
import { findFreePort, findFreePorts } from './free-ports';
import type { PortPlan, ResolvedClusterOptions } from './types';

/** NATS' conventional monitoring port; not in DESIGN.md's table because only operators look at it. */
export const NATS_MONITOR_PORT = 8222;
/**
 * Extra masters (HA on one machine) sit 100 ports apart: 5050, 5150, 5250. (Not 10: 5060 is one of the
 * ports browsers and fetch() refuse, see FETCH_BLOCKED_PORTS.)
 */
export const MASTER_PORT_STEP = 100;

/**
 * The WHATWG Fetch standard's "bad ports": browsers and Node's fetch() refuse to connect to them, so an
 * HTTP endpoint (web UI, APIs the CLI calls) must never land on one.
 */
export const FETCH_BLOCKED_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117,
  119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
  989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6697, 10080,
]);

/** Throws a message naming the component when a planned HTTP port is one fetch() and browsers refuse. */
export function checkHttpPorts(plan: PortPlan, portOffset: number): void {
  const http: Array<[string, number]> = [
    ['consul', plan.consul.http],
    ['nats monitor', plan.natsMonitor.port],
    ...plan.masters.map((m, i): [string, number] => [`master-${i + 1}`, m.port]),
    ...plan.agents.map((a, i): [string, number] => [`agent-${i + 1}`, a.port]),
    ['marathon', plan.services.marathon.port],
    ['chronos', plan.services.chronos.port],
    ['dns http', plan.services.dnsHttp.port],
  ];
  for (const [name, port] of http) {
    if (port < 1 || port > 65535) throw new Error(`port offset ${portOffset} puts ${name} on port ${port}, outside 1-65535; choose another offset`);
    if (FETCH_BLOCKED_PORTS.has(port)) {
      throw new Error(`port offset ${portOffset} puts ${name} on port ${port}, which browsers and fetch() refuse to connect to; choose another offset`);
    }
  }
}

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
  const plan: PortPlan = {
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
  checkHttpPorts(plan, k);
  return plan;
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
