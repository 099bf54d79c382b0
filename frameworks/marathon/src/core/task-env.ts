import type { AppDefinition } from './app-definition';
import { networkMode, portEntries } from './app-definition';

/**
 * The environment Marathon gives every task (Marathon's task-environment-vars doc): the app's `env`,
 * HOST, the host ports (PORT0…, PORT, PORTS, PORT_<NAME>), app metadata (MARATHON_APP_*) and
 * MESOS_TASK_ID. Secret-valued env entries are left out: there is no secret store.
 */

/** Marathon drops label keys and values of 512 characters or more from the environment. */
const MAX_LABEL_LENGTH = 512;

export interface TaskEnvInput {
  app: AppDefinition;
  taskId: string;
  hostname: string;
  /** The task's host ports by port index (for container networking without a host port: the container port). */
  ports: number[];
}

export function labelEnvName(key: string): string {
  return key.replace(/[^a-zA-Z0-9_]+/g, '_').toUpperCase();
}

export function taskEnv(input: TaskEnvInput): Record<string, string> {
  const { app, ports } = input;
  const env: Record<string, string> = {};
  env['HOST'] = input.hostname;
  ports.forEach((p, i) => (env[`PORT${i}`] = String(p)));
  if (ports.length > 0) env['PORT'] = String(ports[0]);
  env['PORTS'] = ports.join(',');
  const entries = portEntries(app);
  entries.forEach((e, i) => {
    const port = ports[i];
    if (port === undefined) return;
    if (e.name !== undefined) env[`PORT_${e.name.toUpperCase()}`] = String(port);
  });
  if (networkMode(app) === 'host') {
    // Legacy per-port variables keyed by the requested (service) port number.
    app.portDefinitions.forEach((d, i) => {
      const port = ports[i];
      if (d.port !== 0 && port !== undefined) env[`PORT_${d.port}`] = String(port);
    });
  }
  for (const [k, v] of Object.entries(app.env)) if (typeof v === 'string') env[k] = v;
  env['MARATHON_APP_ID'] = app.id;
  env['MARATHON_APP_VERSION'] = app.version;
  if (app.container?.docker) env['MARATHON_APP_DOCKER_IMAGE'] = app.container.docker.image;
  env['MARATHON_APP_RESOURCE_CPUS'] = String(app.cpus);
  env['MARATHON_APP_RESOURCE_MEM'] = String(app.mem);
  env['MARATHON_APP_RESOURCE_DISK'] = String(app.disk);
  env['MARATHON_APP_RESOURCE_GPUS'] = String(app.gpus);
  const labels = Object.entries(app.labels).filter(([k, v]) => k.length < MAX_LABEL_LENGTH && v.length < MAX_LABEL_LENGTH);
  env['MARATHON_APP_LABELS'] = labels.map(([k]) => labelEnvName(k)).join(' ');
  for (const [k, v] of labels) env[`MARATHON_APP_LABEL_${labelEnvName(k)}`] = v;
  env['MESOS_TASK_ID'] = input.taskId;
  return env;
}
