/**
 * DNS throughput and latency (issue 5): `dnsperf` against Agora's DNS server and, in the same run, against
 * NSD (Debian's C authoritative server) serving the same records on loopback.
 *
 *  - records: a test cluster (2 agents) runs `--tasks` sleep tasks with one port each; the zone NSD serves is
 *    written from Agora's own /v1/axfr, so both answer the same names with the same data;
 *  - queries: a fixed mix over those names — task A (plain and canonical), task SRV (with additional A),
 *    cluster names (leader, slave, SOA), and 10 % names that do not exist (NXDOMAIN + SOA);
 *  - throughput: dnsperf with `--clients` × 100 outstanding queries for `--seconds`, each server measured
 *    twice, alternating, the better run kept;
 *  - latency: dnsperf at a fixed `--rate` (below both servers' capacity) with per-query output; p50/p90/p99 of
 *    the median of 5 alternating rounds per server.
 * Target: Agora ≥ 0.5× NSD's qps, p99 ≤ 2× NSD's. Both servers use one process (NSD `server-count: 1`).
 *
 * Run: bash scripts/build-part.sh services/dns/src bench/dns-throughput.bench.ts && node dist/bench/dns-throughput.bench.js
 *      [--tasks 100] [--seconds 10] [--clients 4] [--rate 10000]
 * Needs dnsperf and nsd (deploy/install-system.sh installs them).
 */
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ManagedProcess, findFreePort, httpJson, waitFor, CORE_COMPONENTS, dnsComponent } from '@agora/launcher';
import { startTestCluster, type TestCluster } from '@agora/testing';
import { TaskFleet } from '../services/dns/src/testing/task-fleet';
import { dig, rdata } from '../services/dns/src/testing/dig';

/** The cluster core plus the DNS server (test clusters run only the core unless asked). */
const WITH_DNS = [...CORE_COMPONENTS, dnsComponent];

/** Latency rounds per server: a busy neighbour on a shared machine can spoil any single round of either. */
const ROUNDS = 5;

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

interface Axfr {
  TTL: number;
  Serial: number;
  Mname: string;
  Rname: string;
  Domain: string;
  Records: { As: Record<string, string[]>; AAAAs: Record<string, string[]>; SRVs: Record<string, string[]> };
}

/** The same records as an RFC 1035 zone file for NSD (SOA/NS as Agora serves them, TTL 60). */
function zoneFile(z: Axfr, nsIp: string): string {
  const lines = [`$ORIGIN ${z.Domain}.`, `$TTL ${z.TTL}`, `@ IN SOA ${z.Mname} ${z.Rname} ${z.Serial} 60 600 86400 60`, `@ IN NS ${z.Mname}`];
  if (!z.Records.As[z.Mname]) lines.push(`${z.Mname} IN A ${nsIp}`);
  for (const [name, ips] of Object.entries(z.Records.As)) for (const ip of ips) lines.push(`${name} IN A ${ip}`);
  for (const [name, ips] of Object.entries(z.Records.AAAAs)) for (const ip of ips) lines.push(`${name} IN AAAA ${ip}`);
  for (const [name, targets] of Object.entries(z.Records.SRVs)) {
    for (const t of targets) {
      const i = t.lastIndexOf(':');
      lines.push(`${name} IN SRV 0 1 ${t.slice(i + 1)} ${t.slice(0, i)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** A deterministic query mix over the zone's names (dnsperf input: `name type` per line). */
function queryMix(z: Axfr, count: number): string {
  const taskA = Object.keys(z.Records.As).filter((n) => n.endsWith(`.fleet.${z.Domain}.`) && !n.includes('.slave.'));
  const taskSrv = Object.keys(z.Records.SRVs).filter((n) => n.includes('._tcp.fleet.') && !n.includes('.slave.'));
  const cluster = [`leader.${z.Domain}. A`, `slave.${z.Domain}. A`, `_leader._tcp.${z.Domain}. SRV`, `${z.Domain}. SOA`];
  const out: string[] = [];
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < count; i++) {
    const k = rnd(100);
    if (k < 50 && taskA.length) out.push(`${taskA[rnd(taskA.length)]} A`);
    else if (k < 75 && taskSrv.length) out.push(`${taskSrv[rnd(taskSrv.length)]} SRV`);
    else if (k < 90) out.push(cluster[rnd(cluster.length)] as string);
    else out.push(`missing-${rnd(1000)}.fleet.${z.Domain}. A`);
  }
  return out.join('\n') + '\n';
}

interface PerfResult {
  qps: number;
  lost: number;
  latencies: number[];
}

function dnsperf(port: number, queries: string, args: string[]): Promise<PerfResult> {
  return new Promise((resolve, reject) => {
    const p = spawn('dnsperf', ['-s', '127.0.0.1', '-p', String(port), '-d', queries, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const latencies: number[] = [];
    let partial = '';
    p.stdout.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) {
        if (l.startsWith('> ')) {
          const v = Number(l.slice(l.lastIndexOf(' ') + 1));
          if (Number.isFinite(v)) latencies.push(v * 1000);
        } else out += l + '\n';
      }
    });
    p.stderr.on('data', () => undefined);
    p.once('error', reject);
    p.once('exit', () => {
      const qps = Number(/Queries per second:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
      const lost = Number(/Queries lost:\s+(\d+)/.exec(out)?.[1] ?? NaN);
      if (!Number.isFinite(qps)) reject(new Error(`dnsperf printed no result:\n${out}`));
      else resolve({ qps, lost, latencies });
    });
  });
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function which(cmd: string): Promise<boolean> {
  return new Promise((r) => execFile('sh', ['-c', `command -v ${cmd} || test -x /usr/sbin/${cmd}`], (e) => r(!e)));
}

async function startNsd(dir: string, zone: string, domain: string, port: number): Promise<ManagedProcess> {
  fs.writeFileSync(path.join(dir, 'zone'), zone);
  fs.writeFileSync(
    path.join(dir, 'nsd.conf'),
    [
      'server:',
      `  ip-address: 127.0.0.1@${port}`,
      '  server-count: 1',
      '  username: ""',
      '  chroot: ""',
      `  zonesdir: "${dir}"`,
      '  database: ""',
      `  pidfile: "${dir}/nsd.pid"`,
      `  xfrdfile: "${dir}/xfrd.state"`,
      `  zonelistfile: "${dir}/zone.list"`,
      '  verbosity: 0',
      '  hide-version: yes',
      // No response rate limiting: a benchmark client is not an attacker.
      '  rrl-ratelimit: 0',
      '  rrl-whitelist-ratelimit: 0',
      'remote-control:',
      '  control-enable: no',
      'zone:',
      `  name: ${domain}`,
      '  zonefile: zone',
      '',
    ].join('\n'),
  );
  const nsd = (await which('nsd')) && fs.existsSync('/usr/sbin/nsd') ? '/usr/sbin/nsd' : 'nsd';
  return ManagedProcess.spawn({ name: 'nsd', command: nsd, args: ['-d', '-c', path.join(dir, 'nsd.conf')], logFile: path.join(dir, 'nsd.log'), cwd: dir });
}

async function main(): Promise<void> {
  const nTasks = arg('--tasks', 100);
  const seconds = arg('--seconds', 10);
  const clients = arg('--clients', 4);
  const rate = arg('--rate', 10000);
  for (const tool of ['dnsperf', 'nsd']) {
    if (!(await which(tool))) throw new Error(`${tool} is not installed (run deploy/install-system.sh)`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-dns-bench-'));
  let cluster: TestCluster | undefined;
  let fleet: TaskFleet | undefined;
  let nsd: ManagedProcess | undefined;
  const cleanup = async (): Promise<void> => {
    await nsd?.stop('SIGTERM', 3000).catch(() => undefined);
    await fleet?.stop().catch(() => undefined);
    await cluster?.stop().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    const perAgent = `cpus:${Math.max(4, nTasks * 0.02)};mem:${Math.max(2048, nTasks * 8)};disk:1000;ports:[31000-${31000 + nTasks + 100}]`;
    cluster = await startTestCluster({ components: WITH_DNS, agents: 2, agentResources: perAgent, logLevel: 'warn' });
    const plan = cluster.cluster.portPlan.services;
    const agora = { host: plan.dns.ip, port: plan.dns.port };
    const http = `http://${plan.dnsHttp.ip}:${plan.dnsHttp.port}`;
    fleet = new TaskFleet(await cluster.bus(), 'fleet');
    await fleet.start();
    fleet.add(Array.from({ length: nTasks }, (_, i) => `svc${i % Math.max(1, Math.floor(nTasks / 2))}`));
    await waitFor(() => fleet!.running().length === nTasks, { what: `${nTasks} tasks running`, timeoutMs: 120_000, intervalMs: 200 });
    const zone = await waitFor(
      async () => {
        const z = await httpJson<Axfr>(`${http}/v1/axfr`);
        const taskNames = Object.keys(z.Records.As).filter((n) => n.endsWith(`.fleet.${z.Domain}.`) && !n.includes('.slave.') && /-[a-z0-9]{5}-/.test(n));
        return taskNames.length >= nTasks ? z : undefined;
      },
      { what: 'every task in the zone', timeoutMs: 10_000 },
    );

    const nsdPort = await findFreePort({ udp: true });
    nsd = await startNsd(work, zoneFile(zone, agora.host), zone.Domain, nsdPort);
    const nsdAddr = { host: '127.0.0.1', port: nsdPort };
    await waitFor(async () => (await dig(nsdAddr, `leader.${zone.Domain}`, 'A')).status === 'NOERROR', { what: 'nsd to answer', timeoutMs: 10_000 });

    // Same data from both (answer order aside).
    const sample = [`leader.${zone.Domain}`, `slave.${zone.Domain}`, Object.keys(zone.Records.As).find((n) => n.includes('.fleet.')) ?? ''];
    for (const n of sample) {
      const [a, b] = await Promise.all([dig(agora, n, 'A'), dig(nsdAddr, n, 'A')]);
      if (JSON.stringify(rdata(a.answers).sort()) !== JSON.stringify(rdata(b.answers).sort())) throw new Error(`answers differ for ${n}: ${a.raw}\n${b.raw}`);
    }

    const qfile = path.join(work, 'queries.txt');
    fs.writeFileSync(qfile, queryMix(zone, 20_000));
    const names = Object.keys(zone.Records.As).length + Object.keys(zone.Records.SRVs).length;

    // Warm-up (JIT, caches) for both, untimed.
    await dnsperf(agora.port, qfile, ['-l', '2', '-c', String(clients)]);
    await dnsperf(nsdPort, qfile, ['-l', '2', '-c', String(clients)]);
    const runs = { agora: [] as PerfResult[], nsd: [] as PerfResult[] };
    for (let i = 0; i < 2; i++) {
      runs.agora.push(await dnsperf(agora.port, qfile, ['-l', String(seconds), '-c', String(clients), '-q', '100']));
      runs.nsd.push(await dnsperf(nsdPort, qfile, ['-l', String(seconds), '-c', String(clients), '-q', '100']));
    }
    const best = (r: PerfResult[]): PerfResult => r.reduce((a, b) => (b.qps > a.qps ? b : a));
    const ta = best(runs.agora);
    const tn = best(runs.nsd);

    // Latency: five alternating rounds per server at the same fixed rate; the median round (by p99) is kept,
    // since a busy neighbour on a shared machine can spoil any single round of either server.
    const latSeconds = Math.max(3, Math.round(seconds / 2));
    const lat = { agora: [] as number[][], nsd: [] as number[][] };
    const lost = { agora: 0, nsd: 0 };
    for (let i = 0; i < ROUNDS; i++) {
      const a = await dnsperf(agora.port, qfile, ['-l', String(latSeconds), '-c', String(clients), '-Q', String(rate), '-v']);
      const b = await dnsperf(nsdPort, qfile, ['-l', String(latSeconds), '-c', String(clients), '-Q', String(rate), '-v']);
      lat.agora.push(a.latencies.sort((x, y) => x - y));
      lat.nsd.push(b.latencies.sort((x, y) => x - y));
      lost.agora += a.lost;
      lost.nsd += b.lost;
    }
    const medianRound = (rounds: number[][]): number[] => [...rounds].sort((x, y) => pct(x, 99) - pct(y, 99))[Math.floor(rounds.length / 2)] as number[];
    const sa = medianRound(lat.agora);
    const sn = medianRound(lat.nsd);
    const health = await httpJson<{ cache: { hits: number; misses: number } }>(`${http}/health`);

    const f = (x: number): string => x.toFixed(3);
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}, ${new Date().toISOString()}`);
    console.log(`zone: ${names} names from ${nTasks} tasks on 2 agents; query mix 50% task A, 25% task SRV, 15% cluster names, 10% NXDOMAIN`);
    console.log(`throughput (dnsperf -c ${clients} -q 100, ${seconds} s, best of 2):`);
    console.log(`  agora  ${ta.qps.toFixed(0).padStart(8)} qps  (runs ${runs.agora.map((r) => r.qps.toFixed(0)).join(', ')}; lost ${ta.lost})`);
    console.log(`  nsd    ${tn.qps.toFixed(0).padStart(8)} qps  (runs ${runs.nsd.map((r) => r.qps.toFixed(0)).join(', ')}; lost ${tn.lost})`);
    console.log(`  ratio agora/nsd: ${(ta.qps / tn.qps).toFixed(2)}× (target ≥ 0.5×)`);
    console.log(`latency at ${rate} qps (${latSeconds} s × ${ROUNDS} rounds each, alternating, median round by p99; ms): p50 / p90 / p99 / max`);
    console.log(`  agora  ${f(pct(sa, 50))} / ${f(pct(sa, 90))} / ${f(pct(sa, 99))} / ${f(sa[sa.length - 1] ?? NaN)}  (p99 of the rounds: ${lat.agora.map((r) => f(pct(r, 99))).join(', ')}; lost ${lost.agora})`);
    console.log(`  nsd    ${f(pct(sn, 50))} / ${f(pct(sn, 90))} / ${f(pct(sn, 99))} / ${f(sn[sn.length - 1] ?? NaN)}  (p99 of the rounds: ${lat.nsd.map((r) => f(pct(r, 99))).join(', ')}; lost ${lost.nsd})`);
    console.log(`  p99 ratio agora/nsd: ${(pct(sa, 99) / pct(sn, 99)).toFixed(2)}× (target ≤ 2×)`);
    console.log(`agora answer cache: ${health.cache.hits} hits, ${health.cache.misses} misses`);
  } finally {
    await cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
