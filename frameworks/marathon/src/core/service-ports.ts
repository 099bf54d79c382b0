import type { AppDefinition } from './app-definition';
import { networkMode } from './app-definition';

/**
 * Service ports: cluster-wide port numbers a load balancer maps to the app (`portDefinitions[].port`
 * with host networking, `portMappings[].servicePort` otherwise). A 0 asks for one to be assigned from
 * Marathon's local port range, unique across all apps; assigned numbers then stick to the app.
 */
export interface PortRangeSpec {
  begin: number;
  end: number;
}

/** Marathon's `--local_port_min/--local_port_max` defaults. */
export const DEFAULT_SERVICE_PORT_RANGE: PortRangeSpec = { begin: 10000, end: 20000 };

export function servicePortsOf(app: AppDefinition): number[] {
  if (networkMode(app) === 'host') return app.portDefinitions.map((p) => p.port);
  return (app.container?.portMappings ?? []).map((m) => m.servicePort);
}

export type AssignResult = { ok: true; app: AppDefinition } | { ok: false; error: string };

/**
 * Replaces every 0 service port with the lowest free number of `range`. `used` holds the service ports
 * of all other apps. Fixed (non-zero) ports are kept even when another app uses them: Marathon allows
 * that (the load balancer resolves it), and refusing would break existing definitions.
 */
export function assignServicePorts(app: AppDefinition, used: ReadonlySet<number>, range: PortRangeSpec = DEFAULT_SERVICE_PORT_RANGE): AssignResult {
  const taken = new Set<number>(used);
  for (const p of servicePortsOf(app)) if (p !== 0) taken.add(p);
  let cursor = range.begin;
  const next = (): number | undefined => {
    while (cursor <= range.end && taken.has(cursor)) cursor++;
    if (cursor > range.end) return undefined;
    taken.add(cursor);
    return cursor;
  };
  if (networkMode(app) === 'host') {
    const defs = [];
    for (const d of app.portDefinitions) {
      if (d.port !== 0) {
        defs.push(d);
        continue;
      }
      const port = next();
      if (port === undefined) return { ok: false, error: `no free service port left in ${range.begin}-${range.end}` };
      defs.push({ ...d, port });
    }
    return { ok: true, app: { ...app, portDefinitions: defs } };
  }
  if (!app.container?.portMappings) return { ok: true, app };
  const mappings = [];
  for (const m of app.container.portMappings) {
    if (m.servicePort !== 0) {
      mappings.push(m);
      continue;
    }
    const servicePort = next();
    if (servicePort === undefined) return { ok: false, error: `no free service port left in ${range.begin}-${range.end}` };
    mappings.push({ ...m, servicePort });
  }
  return { ok: true, app: { ...app, container: { ...app.container, portMappings: mappings } } };
}

/**
 * Keeps the service ports the previous version already had, index by index, so an update that still
 * says `port: 0` does not move the app to new service ports (Marathon keeps them too).
 */
export function keepServicePorts(next: AppDefinition, previous: AppDefinition | undefined): AppDefinition {
  if (!previous || networkMode(next) !== networkMode(previous)) return next;
  const old = servicePortsOf(previous);
  if (networkMode(next) === 'host') {
    return { ...next, portDefinitions: next.portDefinitions.map((d, i) => (d.port === 0 && old[i] ? { ...d, port: old[i] } : d)) };
  }
  if (!next.container?.portMappings) return next;
  return {
    ...next,
    container: {
      ...next.container,
      portMappings: next.container.portMappings.map((m, i) => (m.servicePort === 0 && old[i] ? { ...m, servicePort: old[i] } : m)),
    },
  };
}
