import * as fs from 'node:fs';
import { Command, Option } from 'commander';
import { DEFAULT_PORTS } from '@agora/contracts';
import { appPath, MarathonClient, MarathonError, type AppJson, type DeploymentJson } from '../../../frameworks/marathon/src/client/marathon-client';
import { action, CliError } from '../errors';
import { integerAtLeast, jsonOption, numberAtLeast } from '../options';
import { cell } from '../output/format';
import { renderJson, renderTable } from '../output/table';
import { watchDeployment } from './app-progress';

export const DEFAULT_MARATHON = `http://127.0.0.1:${DEFAULT_PORTS.marathon}`;

interface CommonOpts {
  marathon: string;
}
interface ChangeOpts extends CommonOpts {
  force?: boolean;
  wait: boolean;
  timeout: number;
}

function marathonOption(): Option {
  return new Option('--marathon <url>', 'Marathon URL (a standby forwards to the leader)').default(DEFAULT_MARATHON).env('AGORA_MARATHON');
}

/** Options of every command that starts a deployment. */
function changeOptions(cmd: Command): Command {
  return cmd
    .addOption(marathonOption())
    .option('--force', 'override the lock of a running deployment (it is cancelled)')
    .option('--no-wait', 'return as soon as the deployment has started')
    .option('--timeout <seconds>', 'stop waiting after this long (0: wait until done)', numberAtLeast(0, '--timeout'), 600);
}

function client(opts: CommonOpts): MarathonClient {
  return new MarathonClient(opts.marathon);
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliError(`${file} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Marathon's error (422 details, 409 lock) as one readable message. */
async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof MarathonError) {
      const hint = e.status === 409 && (e.body as { deployments?: unknown } | undefined)?.deployments ? ' (use --force to cancel it)' : '';
      throw new CliError(`${e.message}${hint}`);
    }
    if (e instanceof TypeError) throw new CliError(`cannot reach Marathon: ${e.message} (is it running? --marathon)`);
    throw e;
  }
}

/** After a change: follow its deployment (unless --no-wait) and turn the outcome into an exit status. */
async function follow(m: MarathonClient, deploymentId: string, apps: string[], opts: ChangeOpts, what: string): Promise<number> {
  process.stdout.write(`${what}: deployment ${deploymentId}\n`);
  if (!opts.wait) return 0;
  const r = await watchDeployment(m, { deploymentId, appIds: apps, timeoutMs: opts.timeout * 1000, out: (l) => process.stdout.write(`${l}\n`) });
  if (r.ok) {
    process.stdout.write(`deployment ${deploymentId} finished in ${(r.ms / 1000).toFixed(1)} s\n`);
    return 0;
  }
  process.stderr.write(`agora: ${r.message}\n`);
  return 1;
}

function q(force?: boolean): string {
  return force ? '?force=true' : '';
}

export function renderApps(apps: readonly AppJson[]): string {
  return renderTable(
    ['ID', 'INSTANCES', 'RUNNING', 'HEALTHY', 'CPUS', 'MEM', 'DEPLOYING', 'CMD'],
    apps.map((a) => [
      a.id,
      String(a.instances),
      String(a.tasksRunning ?? 0),
      (a.healthChecks ?? []).length > 0 ? String(a.tasksHealthy ?? 0) : '-',
      String(a['cpus'] ?? ''),
      String(a['mem'] ?? ''),
      (a.deployments ?? []).length > 0 ? 'yes' : '-',
      cell(typeof a['cmd'] === 'string' ? truncate(a['cmd'], 60) : Array.isArray(a['args']) ? truncate((a['args'] as string[]).join(' '), 60) : undefined),
    ]),
  );
}

export function renderDeployments(deps: readonly DeploymentJson[]): string {
  return renderTable(
    ['ID', 'APPS', 'STEP', 'ACTIONS', 'WAITING'],
    deps.map((d) => [
      d.id,
      d.affectedApps.join(','),
      `${d.currentStep}/${d.totalSteps}`,
      d.currentActions.map((a) => `${a.action} ${a.app}`).join(', '),
      cell(d.currentActions.map((a) => a.waitingReason).filter(Boolean).join('; ') || undefined),
    ]),
  );
}

function renderAppDetail(a: AppJson): string {
  const lines = [
    `id:          ${a.id}`,
    `version:     ${a.version}`,
    `command:     ${typeof a['cmd'] === 'string' ? a['cmd'] : JSON.stringify(a['args'] ?? [])}`,
    `resources:   cpus ${String(a['cpus'])}, mem ${String(a['mem'])} MB, disk ${String(a['disk'])} MB`,
    `instances:   ${a.instances} (running ${a.tasksRunning ?? 0}, healthy ${a.tasksHealthy ?? 0}, unhealthy ${a.tasksUnhealthy ?? 0}, staged ${a.tasksStaged ?? 0})`,
    `deployments: ${(a.deployments ?? []).map((d) => d.id).join(', ') || '-'}`,
  ];
  const failure = a['lastTaskFailure'] as { state: string; message: string; timestamp: string; host: string } | undefined;
  if (failure) lines.push(`last failure: ${failure.state} on ${failure.host} at ${failure.timestamp}${failure.message ? `: ${failure.message}` : ''}`);
  const tasks = a.tasks ?? [];
  const table =
    tasks.length === 0
      ? 'no tasks\n'
      : renderTable(
          ['TASK', 'STATE', 'HOST', 'PORTS', 'HEALTH', 'VERSION'],
          tasks.map((t) => [
            t.id,
            t.state,
            t.host,
            t.ports.join(','),
            t.healthCheckResults.length === 0 ? '-' : t.healthCheckResults.every((h) => h.alive) ? 'healthy' : 'unhealthy',
            t.version,
          ]),
        );
  return `${lines.join('\n')}\n\n${table}`;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/** `agora app …`: Marathon apps through Marathon's v2 API. */
export function registerAppCommands(program: Command): void {
  const app = program.command('app').description('long-running apps (Marathon)');

  changeOptions(app.command('add').description('create an app from a Marathon app JSON file ("-" reads stdin)').argument('<file>', 'app definition (JSON)')).action(
    action(async (file: string, opts: ChangeOpts) => {
      const m = client(opts);
      const body = readJsonFile(file);
      const r = await call(() => m.ok<AppJson>('POST', `/v2/apps${q(opts.force)}`, body));
      const id = r.body.id;
      const dep = r.headers.get('marathon-deployment-id') ?? r.body.deployments?.[0]?.id;
      if (!dep) return 0;
      return follow(m, dep, [id], opts, `created ${id}`);
    }),
  );

  app
    .command('list')
    .alias('ls')
    .description('list apps with their instance and health counts')
    .addOption(marathonOption())
    .addOption(jsonOption())
    .action(
      action(async (opts: CommonOpts & { json?: boolean }) => {
        const apps = await call(() => client(opts).apps());
        process.stdout.write(opts.json ? renderJson(apps) : renderApps(apps));
      }),
    );

  app
    .command('show')
    .description('an app with its tasks')
    .argument('<id>', 'app id, e.g. /prod/web')
    .addOption(marathonOption())
    .addOption(jsonOption())
    .action(
      action(async (id: string, opts: CommonOpts & { json?: boolean }) => {
        const a = await call(() => client(opts).app(id));
        if (!a) throw new CliError(`app ${id} does not exist`);
        process.stdout.write(opts.json ? renderJson(a) : renderAppDetail(a));
      }),
    );

  changeOptions(app.command('scale').description('change the number of instances').argument('<id>', 'app id').argument('<instances>', 'instance count', integerAtLeast(0, 'instances'))).action(
    action(async (id: string, instances: number, opts: ChangeOpts) => {
      const m = client(opts);
      const r = await call(() => m.ok<{ deploymentId: string }>('PATCH', `/v2/apps${appPath(id)}${q(opts.force)}`, { instances }));
      return follow(m, r.body.deploymentId, [id.startsWith('/') ? id : `/${id}`], opts, `scaling ${id} to ${instances}`);
    }),
  );

  changeOptions(app.command('restart').description('replace every task of the app (rolling, as its upgradeStrategy allows)').argument('<id>', 'app id')).action(
    action(async (id: string, opts: ChangeOpts) => {
      const m = client(opts);
      const r = await call(() => m.ok<{ deploymentId: string }>('POST', `/v2/apps${appPath(id)}/restart${q(opts.force)}`));
      return follow(m, r.body.deploymentId, [id.startsWith('/') ? id : `/${id}`], opts, `restarting ${id}`);
    }),
  );

  changeOptions(
    app
      .command('update')
      .description('change an app: the fields in the file replace the current ones ("-" reads stdin)')
      .argument('<id>', 'app id')
      .argument('<file>', 'app definition or partial update (JSON)'),
  ).action(
    action(async (id: string, file: string, opts: ChangeOpts) => {
      const m = client(opts);
      const body = readJsonFile(file);
      const r = await call(() => m.ok<{ deploymentId: string }>('PUT', `/v2/apps${appPath(id)}${q(opts.force)}`, body));
      return follow(m, r.body.deploymentId, [id.startsWith('/') ? id : `/${id}`], opts, `updating ${id}`);
    }),
  );

  changeOptions(app.command('remove').alias('rm').description('destroy an app and stop its tasks').argument('<id>', 'app id')).action(
    action(async (id: string, opts: ChangeOpts) => {
      const m = client(opts);
      const r = await call(() => m.ok<{ deploymentId: string }>('DELETE', `/v2/apps${appPath(id)}${q(opts.force)}`));
      return follow(m, r.body.deploymentId, [], opts, `removing ${id}`);
    }),
  );

  app
    .command('deployments')
    .description('running deployments, with why they wait')
    .addOption(marathonOption())
    .addOption(jsonOption())
    .action(
      action(async (opts: CommonOpts & { json?: boolean }) => {
        const deps = await call(() => client(opts).deployments());
        process.stdout.write(opts.json ? renderJson(deps) : deps.length === 0 ? 'no deployments running\n' : renderDeployments(deps));
      }),
    );
}
