import * as os from 'node:os';
import { isTerminal, sumResources } from '@agora/model';
import { Controller, Get, Inject } from './nest';
import { HTTP_DEPS, type HttpDeps } from './http-deps';
import { agentStateJson, countStates } from './state-view';

/** The agent's own view: /state (Mesos agent shape), /flags, /health, /metrics/snapshot. */
@Controller()
export class StateController {
  constructor(@Inject(HTTP_DEPS) private readonly d: HttpDeps) {}

  @Get(['state', 'state.json'])
  state(): Record<string, unknown> {
    const { core, config, registrar } = this.d;
    return agentStateJson({
      agentId: core.id,
      hostname: config.hostname,
      ip: config.ip,
      port: this.d.port(),
      version: this.d.version,
      startTime: this.d.startTime / 1000,
      resources: config.resources,
      attributes: config.attributes,
      flags: config.flags,
      masterHostname: registrar.master?.hostname,
      isolation: this.d.isolation,
      active: core.activeTasks(),
      completed: core.completedTasks(),
      frameworks: core.frameworkInfos(),
      shutDownFrameworks: core.shutDownFrameworks,
      pidOf: (t) => t.pid,
    });
  }

  @Get('flags')
  flags(): { flags: Record<string, string> } {
    return { flags: this.d.config.flags };
  }

  @Get('health')
  health(): { healthy: boolean; registered: boolean } {
    return { healthy: true, registered: this.d.registrar.registered };
  }

  @Get(['metrics/snapshot', 'metrics/snapshot.json'])
  metrics(): Record<string, number> {
    const { core, config, registrar } = this.d;
    const active = core.activeTasks();
    const running = active.filter((t) => !isTerminal(t.state));
    const states = countStates(running);
    const used = sumResources(running.map((t) => t.task.resources));
    const total = config.resources.scalars;
    const pct = (k: string) => ((total[k] ?? 0) > 0 ? (used.scalars[k] ?? 0) / (total[k] ?? 1) : 0);
    const c = core.counters;
    const load = os.loadavg();
    return {
      'slave/uptime_secs': (Date.now() - this.d.startTime) / 1000,
      'slave/registered': registrar.registered ? 1 : 0,
      'slave/registrations': registrar.registrations,
      'slave/tasks_staging': states.TASK_STAGING ?? 0,
      'slave/tasks_starting': states.TASK_STARTING ?? 0,
      'slave/tasks_running': states.TASK_RUNNING ?? 0,
      'slave/tasks_killing': states.TASK_KILLING ?? 0,
      'slave/tasks_finished': c.finished,
      'slave/tasks_failed': c.failed,
      'slave/tasks_killed': c.killed,
      'slave/tasks_lost': c.lost,
      'slave/tasks_error': c.error,
      'slave/tasks_launched': c.launched,
      'slave/executors_running': running.length,
      'slave/frameworks_active': new Set(running.map((t) => t.frameworkId)).size,
      'slave/valid_status_updates': c.validUpdates,
      'slave/status_updates_pending': core.updates.pendingCount,
      'slave/status_updates_published': core.updates.stats().published,
      'slave/status_updates_acknowledged': core.updates.stats().acked,
      'slave/cpus_total': total.cpus ?? 0,
      'slave/cpus_used': used.scalars.cpus ?? 0,
      'slave/cpus_percent': pct('cpus'),
      'slave/mem_total': total.mem ?? 0,
      'slave/mem_used': used.scalars.mem ?? 0,
      'slave/mem_percent': pct('mem'),
      'slave/disk_total': total.disk ?? 0,
      'slave/disk_used': used.scalars.disk ?? 0,
      'slave/disk_percent': pct('disk'),
      'system/cpus_total': os.cpus().length,
      'system/load_1min': load[0] ?? 0,
      'system/load_5min': load[1] ?? 0,
      'system/load_15min': load[2] ?? 0,
      'system/mem_total_bytes': os.totalmem(),
      'system/mem_free_bytes': os.freemem(),
    };
  }
}
