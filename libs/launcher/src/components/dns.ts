import * as os from 'node:os';
import * as path from 'node:path';
import { httpRequest } from '../http-json';
import type { ComponentDef, ComponentEndpoint } from '../types';
import { spawnNodeService } from './node-service';
import { waitUntilReady } from './readiness';

const MAIN = 'services/dns/src/main';

/**
 * Two answering processes on the shared DNS sockets when there are two cores: one Node process queues every
 * query behind its own pauses (GC, losing its core to a neighbour), which tripled its p99 next to NSD's; two
 * readers brought it under NSD's 2× (bench/RESULTS.md, DNS). Costs one more process and NATS connection.
 */
const DNS_WORKERS = Math.min(2, os.availableParallelism());

/**
 * The DNS server (Mesos-DNS equivalent): DNS on the plan's `dns` port (UDP and TCP), its HTTP API on
 * `dnsHttp`. Ready when /health answers 200, i.e. it has loaded a cluster snapshot from the leader and
 * answers for the cluster domain (before that it answers SERVFAIL, never an empty NXDOMAIN).
 */
export const dnsComponent: ComponentDef = {
  kind: 'dns',
  main: MAIN,
  // Without a master there is nothing to serve (and it would never become ready).
  count: (o) => (o.masters > 0 ? 1 : 0),
  stopGraceMs: 5_000,
  spawn(ctx, index) {
    const dns = ctx.plan.services.dns;
    const http = ctx.plan.services.dnsHttp;
    const { opts } = ctx;
    const name = `dns-${index + 1}`;
    const ep: ComponentEndpoint = {
      kind: 'dns',
      index,
      name,
      ip: dns.ip,
      port: dns.port,
      url: `http://${http.ip}:${http.port}`,
      listens: `dns ${dns.ip}:${dns.port} udp+tcp, http://${http.ip}:${http.port}`,
      workDir: path.join(opts.workDir, name),
      logFile: path.join(opts.logDir, `${name}.log`),
    };
    return spawnNodeService(ctx, MAIN, ep, [
      '--nats', ctx.endpoints.nats,
      '--consul', ctx.endpoints.consul,
      '--ip', dns.ip,
      '--port', String(dns.port),
      '--http-port', String(http.port),
      '--log-level', opts.logLevel,
      '--workers', String(DNS_WORKERS),
      // The web UI on the masters calls this API from the browser (CORS).
      '--access-control-allow-origin', ctx.endpoints.masters.map((m) => m.url).join(','),
    ]);
  },
  ready(ctx, inst) {
    return waitUntilReady(ctx, inst, 'GET /health (cluster snapshot loaded)', async () => (await httpRequest(`${inst.url}/health`, { timeoutMs: 2000 })).status === 200);
  },
};
