import { Controller, Get, Inject, Query, Res } from '../nest';
import { AGORA_VERSION } from '@agora/contracts';
import { Leadership } from '../leader/leadership';
import { ClusterStateView } from '../operations/cluster-state';
import { MasterIdentity } from '../identity';
import { Metrics } from '../metrics';
import { CONFIG } from '../tokens';
import { flagsView } from '../config';
import type { MasterConfig } from '../config';
import type { HttpResponse } from './http-types';
import { renderAgent, renderFramework, renderState, renderStateSummary, renderTask } from './render-mesos';
import { renderMetrics } from './render-metrics';
import { parseTasksQuery, selectTasks } from './tasks-query';

/**
 * Mesos-shaped HTTP endpoints. Only the leader gets here for state paths: standbys are turned away by
 * the middleware in http-app.ts (307 to the leader, or 503).
 */
@Controller()
export class MasterController {
  constructor(
    private readonly view: ClusterStateView,
    private readonly leadership: Leadership,
    private readonly identity: MasterIdentity,
    private readonly metrics: Metrics,
    @Inject(CONFIG) private readonly cfg: MasterConfig,
  ) {}

  private snapshot() {
    return this.view.snapshot(this.leadership.current);
  }

  @Get(['master/state', 'master/state.json', 'state', 'state.json'])
  state(): object {
    return renderState(this.snapshot());
  }

  @Get('master/state-summary')
  stateSummary(): object {
    return renderStateSummary(this.snapshot());
  }

  @Get('master/frameworks')
  frameworks(@Query('framework_id') frameworkId?: string): object {
    const cs = this.snapshot();
    const pick = <T extends { id: string }>(list: T[]) => (frameworkId ? list.filter((f) => f.id === frameworkId) : list);
    return {
      frameworks: pick(cs.frameworks).map(renderFramework),
      completed_frameworks: pick(cs.completedFrameworks).map(renderFramework),
      unregistered_frameworks: [],
    };
  }

  @Get('master/slaves')
  slaves(@Query('slave_id') agentId?: string): object {
    const cs = this.snapshot();
    return { slaves: cs.agents.filter((a) => !agentId || a.id === agentId).map(renderAgent), recovered_slaves: [] };
  }

  @Get('master/tasks')
  tasks(@Query() query: Record<string, unknown>): object {
    return { tasks: selectTasks(this.snapshot(), parseTasksQuery(query)).map(renderTask) };
  }

  @Get('master/flags')
  flags(): object {
    return { flags: flagsView(this.cfg) };
  }

  @Get('master/redirect')
  redirect(@Res() res: HttpResponse): void {
    res.setHeader('Location', (this.leadership.current ?? this.identity.info).url);
    res.status(307).end();
  }

  @Get(['metrics/snapshot', 'master/metrics/snapshot'])
  metricsSnapshot(): object {
    const leading = this.leadership.isLeader;
    return renderMetrics(leading ? this.snapshot() : undefined, this.metrics, leading, Date.now(), this.identity.startTime / 1000);
  }

  @Get(['health', 'master/health'])
  health(@Res() res: HttpResponse): void {
    res.status(200).end();
  }

  @Get(['version', 'master/version'])
  version(): object {
    return { version: AGORA_VERSION, build_user: 'agora' };
  }
}
