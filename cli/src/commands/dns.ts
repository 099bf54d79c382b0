import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_PORTS } from '@agora/contracts';
import { causeOf } from '../cluster/master-state';
import { action, CliError } from '../errors';
import { jsonOption } from '../options';
import { renderJson, renderTable } from '../output/table';

export const DEFAULT_DNS_HTTP = `http://127.0.0.1:${DEFAULT_PORTS.dnsHttp}`;

interface HostEntry {
  host: string;
  ip: string;
}
interface ServiceEntry {
  service: string;
  host: string;
  ip: string;
  port: string;
}
interface Enumeration {
  frameworks: { name: string; tasks: { name: string; id: string; records: { name: string; host: string; rtype: string }[] }[] }[];
}
interface Axfr {
  Records: { As: Record<string, string[]>; AAAAs: Record<string, string[]>; SRVs: Record<string, string[]> };
}

export interface RecordRow {
  framework: string;
  task: string;
  name: string;
  type: string;
  value: string;
}

function dnsHttpOption(): Option {
  return new Option('--dns-http <url>', "the DNS server's HTTP API (Mesos-DNS API)").default(DEFAULT_DNS_HTTP).env('AGORA_DNS_HTTP');
}

function parseType(value: string): 'A' | 'SRV' {
  const t = value.toUpperCase();
  if (t !== 'A' && t !== 'SRV') throw new InvalidArgumentError('--type must be A or SRV.');
  return t;
}

async function getJson<T>(base: string, path: string): Promise<T> {
  const origin = base.replace(/\/+$/, '');
  let res: Response;
  try {
    res = await fetch(`${origin}${path}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new CliError(`cannot reach the DNS HTTP API at ${origin}: ${causeOf(e)}`);
  }
  const text = await res.text();
  if (res.status === 503) throw new CliError(`the DNS server at ${origin} has not loaded the cluster state yet (503); try again shortly`);
  if (res.status === 404 && /enumerat/i.test(text)) throw new CliError(`enumeration is off on the DNS server at ${origin} (EnumerationOn)`);
  if (!res.ok) throw new CliError(`the DNS server at ${origin} answered ${res.status} for ${path}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new CliError(`the DNS server at ${origin} did not answer JSON for ${path}`);
  }
}

/** `web.marathon` → `web.marathon.mesos.`; names already in the domain stay as they are (with a trailing dot). */
export function qualify(name: string, domain: string): string {
  const n = name.toLowerCase().replace(/\.+$/, '');
  const d = domain.toLowerCase().replace(/^\.+|\.+$/g, '');
  return n === d || n.endsWith(`.${d}`) ? `${n}.` : `${n}.${d}.`;
}

/** Enumeration (task records) and, with the zone dump, the cluster's other names, as table rows. */
export function recordRows(en: Enumeration, axfr?: Axfr): RecordRow[] {
  const rows: RecordRow[] = [];
  const seen = new Set<string>();
  for (const f of en.frameworks) {
    for (const t of f.tasks) {
      for (const r of t.records) {
        rows.push({ framework: f.name, task: t.id, name: r.name, type: r.rtype, value: r.host });
        seen.add(`${r.name}|${r.rtype}|${r.host}`);
      }
    }
  }
  if (axfr) {
    const add = (type: string, m: Record<string, string[]>): void => {
      for (const [name, values] of Object.entries(m)) {
        for (const v of values) if (!seen.has(`${name}|${type}|${v}`)) rows.push({ framework: '', task: '', name, type, value: v });
      }
    };
    add('A', axfr.Records.As);
    add('AAAA', axfr.Records.AAAAs);
    add('SRV', axfr.Records.SRVs);
  }
  return rows;
}

export function registerDnsCommands(program: Command): void {
  const dns = program.command('dns').description("the cluster's DNS names (through the DNS server's HTTP API)");
  dns
    .command('lookup')
    .description('look a name up: A (addresses) or SRV (targets and ports); the domain is added when missing')
    .argument('<name>', 'e.g. web.marathon.mesos, web.marathon, _web._tcp.marathon.mesos')
    .addOption(new Option('--type <type>', 'A or SRV (default: SRV for names starting with "_", else A)').argParser(parseType))
    .addOption(dnsHttpOption())
    .addOption(jsonOption())
    .action(
      action(async (name: string, opts: { type?: 'A' | 'SRV'; dnsHttp: string; json?: boolean }) => {
        const config = await getJson<{ Domain?: string }>(opts.dnsHttp, '/v1/config');
        const fqdn = qualify(name, config.Domain ?? 'mesos');
        const type = opts.type ?? (fqdn.startsWith('_') ? 'SRV' : 'A');
        if (type === 'A') {
          const entries = (await getJson<HostEntry[]>(opts.dnsHttp, `/v1/hosts/${encodeURIComponent(fqdn)}`)).filter((e) => e.ip !== '');
          if (opts.json) process.stdout.write(renderJson(entries));
          else if (entries.length > 0) process.stdout.write(renderTable(['NAME', 'TYPE', 'ADDRESS'], entries.map((e) => [e.host, e.ip.includes(':') ? 'AAAA' : 'A', e.ip])));
          if (entries.length === 0) process.stderr.write(`agora: ${fqdn} has no A/AAAA records\n`);
          return entries.length > 0 ? 0 : 1;
        }
        const entries = (await getJson<ServiceEntry[]>(opts.dnsHttp, `/v1/services/${encodeURIComponent(fqdn)}`)).filter((e) => e.host !== '');
        if (opts.json) process.stdout.write(renderJson(entries));
        else if (entries.length > 0) process.stdout.write(renderTable(['NAME', 'TARGET', 'ADDRESS', 'PORT'], entries.map((e) => [fqdn, e.host, e.ip, e.port])));
        if (entries.length === 0) process.stderr.write(`agora: ${fqdn} has no SRV records\n`);
        return entries.length > 0 ? 0 : 1;
      }),
    );
  dns
    .command('records')
    .alias('ls')
    .description("every task's records (Mesos-DNS enumeration); --all adds leader, masters, agents and frameworks")
    .option('-a, --all', 'include the records that belong to no task')
    .addOption(dnsHttpOption())
    .addOption(jsonOption())
    .action(
      action(async (opts: { all?: boolean; dnsHttp: string; json?: boolean }) => {
        const en = await getJson<Enumeration>(opts.dnsHttp, '/v1/enumerate');
        const axfr = opts.all ? await getJson<Axfr>(opts.dnsHttp, '/v1/axfr') : undefined;
        const rows = recordRows(en, axfr);
        process.stdout.write(
          opts.json ? renderJson(rows) : renderTable(['FRAMEWORK', 'TASK', 'NAME', 'TYPE', 'VALUE'], rows.map((r) => [r.framework || '-', r.task || '-', r.name, r.type, r.value])),
        );
      }),
    );
}
