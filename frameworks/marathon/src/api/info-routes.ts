import { AGORA_VERSION } from '@agora/contracts';
import { DEFAULT_SERVICE_PORT_RANGE } from '../core';
import type { MarathonConfig } from '../config';
import type { EventHub } from '../events/event-hub';
import type { LeaderAddress } from '../leader/leadership';
import type { ApiContext } from './api-context';

/** The Marathon release whose API Agora speaks (clients check it); Agora's own version is in buildref. */
export const MARATHON_API_VERSION = '1.10.0';

export interface InfoInput {
  cfg: MarathonConfig;
  elected: boolean;
  leader: LeaderAddress | undefined;
  frameworkId: string | undefined;
}

export function infoJson(i: InfoInput): Record<string, unknown> {
  return {
    name: 'marathon',
    version: MARATHON_API_VERSION,
    buildref: `agora-${AGORA_VERSION}`,
    elected: i.elected,
    leader: i.leader ? `${i.leader.host}:${i.leader.port}` : null,
    frameworkId: i.frameworkId ?? null,
    marathon_config: {
      master: i.cfg.masterUrl ?? null,
      nats: i.cfg.nats,
      consul: i.cfg.consul,
      framework_name: i.cfg.frameworkName,
      failover_timeout: 7 * 24 * 3600,
      checkpoint: true,
      hostname: i.cfg.hostname,
      http_port: i.cfg.port,
      local_port_min: DEFAULT_SERVICE_PORT_RANGE.begin,
      local_port_max: DEFAULT_SERVICE_PORT_RANGE.end,
      max_versions: i.cfg.maxVersions,
      mesos_role: null,
      task_launch_timeout: 300000,
      features: [],
    },
    // Agora keeps Marathon's state in Consul, not ZooKeeper.
    zookeeper_config: {},
    http_config: { http_port: i.cfg.port, https_port: null },
  };
}

/** Dropwizard-shaped metrics, as Marathon's /metrics: gauges, counters, and empty meter families. */
export function metricsJson(ctx: ApiContext | undefined, hub: EventHub, elected: boolean): Record<string, unknown> {
  const gauges: Record<string, { value: number }> = {
    'marathon.leadership.elected': { value: elected ? 1 : 0 },
    'marathon.events.stream-subscribers': { value: hub.subscribers },
  };
  if (ctx && elected) {
    const tasks = ctx.tracker.all();
    gauges['marathon.apps.active'] = { value: ctx.model.apps().length };
    gauges['marathon.deployments.active'] = { value: ctx.model.deployments.size };
    gauges['marathon.instances.running'] = { value: tasks.filter((t) => t.state === 'TASK_RUNNING').length };
    gauges['marathon.instances.staged'] = { value: tasks.filter((t) => t.state === undefined || t.state === 'TASK_STAGING' || t.state === 'TASK_STARTING').length };
    gauges['marathon.instances.launch-queue.waiting'] = { value: ctx.queue.waitingApps().reduce((n, id) => n + ctx.queue.wanted(id), 0) };
    gauges['marathon.scheduler.subscribed'] = { value: ctx.scheduler.isSubscribed ? 1 : 0 };
  }
  const counters: Record<string, { count: number }> = {};
  for (const [type, n] of Object.entries(hub.published())) counters[`marathon.events.${type}`] = { count: n };
  return { version: '4.0.0', gauges, counters, histograms: {}, meters: {}, timers: {} };
}
