import * as fs from 'node:fs';
import * as path from 'node:path';
import { AGORA_VERSION, SERVICE_NAMES } from '@agora/contracts';
import { ConsulClient, ServiceRegistration } from '@agora/consul';
import { createLogger, type Logger } from '@agora/logging';
import { Bus, sleep } from '@agora/nats';
import { AgentCore } from './agent';
import { startHttp } from './api/http-server';
import type { HttpDeps } from './api/http-deps';
import { CheckpointStore } from './checkpoint/checkpoint-store';
import { detectResources } from './config/detect-resources';
import { parseAgentFlags, type AgentConfig } from './config/flags';
import { selectDocker } from './containerizers/docker/select-docker';
import { DockerContainerizer } from './containerizers/docker/docker-containerizer';
import { ProcessContainerizer } from './containerizers/process/process-containerizer';
import { detectIsolator, NO_ISOLATION, type Isolator } from './isolation/cgroups';
import { Registrar } from './registration/registrar';
import { StatusUpdateManager } from './status-updates/status-update-manager';

/** Bound on waiting for final status updates to be acknowledged when the agent stops. */
const SHUTDOWN_ACK_WAIT_MS = 5000;
const CGROUP_ROOT = '/sys/fs/cgroup';

/** Composition root: flags → checkpoints → recovery → HTTP → NATS registration; signals → shutdown. */
async function main(): Promise<void> {
  const parsed = parseAgentFlags(process.argv.slice(2), detectResources);
  if (!parsed.ok) {
    (parsed.exitCode === 0 ? process.stdout : process.stderr).write(parsed.message.endsWith('\n') ? parsed.message : `${parsed.message}\n`);
    process.exit(parsed.exitCode);
  }
  const config = parsed.config;
  const log = createLogger('agent', config.logLevel);
  process.on('unhandledRejection', (e) => log.error({ err: e instanceof Error ? e.stack : String(e) }, 'unhandled rejection'));

  fs.mkdirSync(config.workDir, { recursive: true });
  const workDir = fs.realpathSync(config.workDir);
  const sandboxes = path.join(workDir, 'sandboxes');
  fs.mkdirSync(sandboxes, { recursive: true });
  const store = new CheckpointStore(workDir, log);

  const isolator = chooseIsolator(config, log);
  if (!isolator) {
    process.stderr.write('agora-agent: --isolation cgroups was asked for but no usable cgroups were found (see the log)\n');
    process.exit(1);
  }

  const docker = await selectDocker(config, process.env.DOCKER_HOST, log);
  if (!docker.ok) {
    process.stderr.write(`agora-agent: ${docker.message}\n`);
    process.exit(2);
  }
  config.flags.containerizers = docker.containerizers.join(',');

  const bus = await connectForever(config, log);

  const core = new AgentCore(store, { workDir, ip: config.ip, defaultGraceMs: config.defaultGraceMs, log });
  const containerizer = new ProcessContainerizer(
    { isolator, strictIsolation: config.isolation === 'cgroups', hostname: config.hostname, agentEnv: process.env, log },
    (rec, t) => core.taskEnded(rec, t),
  );
  const dockerContainerizer = docker.client
    ? new DockerContainerizer(
        {
          docker: docker.client,
          agentDir: workDir,
          hostname: config.hostname,
          ip: config.ip,
          defaultGraceMs: config.defaultGraceMs,
          allowPrivileged: config.dockerAllowPrivileged,
          allowParameters: config.dockerAllowParameters,
          cpuQuota: config.dockerCpuQuota,
          log,
        },
        (rec, t) => core.taskEnded(rec, t),
      )
    : undefined;
  const updates = new StatusUpdateManager(bus, store, config.statusRetryIntervalMs, log, (fid, tid) => core.terminalAcked(fid, tid));
  core.attach(containerizer, updates, dockerContainerizer);
  const meta = store.readAgentMeta();
  if (meta) core.setAgentId(meta.agentId);
  core.recover();

  const info = {
    hostname: config.hostname,
    ip: config.ip,
    port: config.port,
    resources: config.resources,
    attributes: config.attributes,
    workDir,
    version: AGORA_VERSION,
  };
  const registrar = new Registrar({ bus, core, store, updates, info, heartbeatMs: config.heartbeatIntervalMs, log });
  let boundPort = config.port;
  const deps: HttpDeps = {
    core,
    registrar,
    config,
    sandboxesRoot: fs.realpathSync(sandboxes),
    startTime: Date.now(),
    isolation: isolator.kind,
    version: AGORA_VERSION,
    port: () => boundPort,
  };
  const http = await startHttp(deps, config.ip, config.port, log);
  boundPort = http.port;
  info.port = http.port;
  log.info({ url: `http://${config.ip}:${http.port}`, workDir, isolation: isolator.kind, resources: config.resources }, 'agent HTTP API listening');
  registrar.start();

  let catalog: ServiceRegistration | undefined;
  if (config.consul) {
    catalog = new ServiceRegistration(
      new ConsulClient(config.consul),
      { id: `${SERVICE_NAMES.agent}-${config.hostname}-${http.port}`, name: SERVICE_NAMES.agent, address: config.ip, port: http.port, meta: meta ? { agentId: meta.agentId } : {} },
      log,
    );
    await catalog.start();
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting at once');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, killTasks: config.killTasksOnExit, running: core.runningCount() }, 'agent stopping');
    void (async () => {
      try {
        await core.shutdown(config.killTasksOnExit, SHUTDOWN_ACK_WAIT_MS);
        await registrar.stop();
        updates.stop();
        await containerizer.stop();
        await dockerContainerizer?.stop();
        await catalog?.stop();
        await http.app.close();
        await bus.close();
        store.close();
      } catch (e) {
        log.error({ err: e instanceof Error ? e.stack : String(e) }, 'error while stopping');
      }
      log.info({ pendingUpdates: updates.pendingCount }, 'agent stopped');
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** --isolation none: off; cgroups: required (undefined when unusable); auto: on when usable, else off (logged once). */
function chooseIsolator(config: AgentConfig, log: Logger): Isolator | undefined {
  if (config.isolation === 'none') return NO_ISOLATION;
  const found = detectIsolator(CGROUP_ROOT, log, config.resources.scalars.cpus);
  if ('kind' in found) {
    log.info({ isolation: found.kind }, 'cgroup isolation enabled');
    return found;
  }
  if (config.isolation === 'cgroups') {
    log.error({ reason: found.unavailable }, 'cgroup isolation unavailable');
    return undefined;
  }
  log.info({ reason: found.unavailable }, 'cgroup isolation unavailable: tasks run without resource limits');
  return NO_ISOLATION;
}

/** Tasks keep running while NATS is away; the agent just keeps trying to reach it. */
async function connectForever(config: AgentConfig, log: Logger): Promise<Bus> {
  let delay = 250;
  for (;;) {
    try {
      return await Bus.connect(config.nats, `agora-agent-${config.hostname}:${config.port}`, log);
    } catch (e) {
      log.warn({ err: e instanceof Error ? e.message : String(e), nats: config.nats }, 'cannot reach NATS; retrying');
      await sleep(delay);
      delay = Math.min(delay * 2, 5000);
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`agora-agent: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
