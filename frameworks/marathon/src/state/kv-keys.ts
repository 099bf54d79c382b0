import { kv } from '@agora/contracts';
import { safeAppId } from '../core';

/**
 * Marathon's Consul KV layout, one key per object under `agora/marathon/`:
 *   framework-id                       the framework id the master gave us (kept for failover)
 *   apps/<safe id>                     current definition of an app (`/prod/web` → `prod_web`)
 *   app-versions/<safe id>/<version>   every stored version of an app (newest --max-versions kept)
 *   groups/<safe id or _root>          group metadata (dependencies, enforceRole, version)
 *   deployments/<id>                   a running deployment: plan and current step
 *   tasks/<task id>                    a task we launched: app version, agent, ports
 *   leader                             the leader lock (LeaderElection)
 */
const ROOT = kv.componentRoot('marathon');

export const marathonKeys = {
  root: ROOT,
  leaderLock: kv.leaderLock('marathon'),
  frameworkId: `${ROOT}framework-id`,
  appsPrefix: `${ROOT}apps/`,
  app: (appId: string) => `${ROOT}apps/${safeAppId(appId)}`,
  appVersionsPrefix: `${ROOT}app-versions/`,
  appVersions: (appId: string) => `${ROOT}app-versions/${safeAppId(appId)}/`,
  appVersion: (appId: string, version: string) => `${ROOT}app-versions/${safeAppId(appId)}/${version}`,
  groupsPrefix: `${ROOT}groups/`,
  group: (groupId: string) => `${ROOT}groups/${safeAppId(groupId) || '_root'}`,
  deploymentsPrefix: `${ROOT}deployments/`,
  deployment: (id: string) => `${ROOT}deployments/${id}`,
  tasksPrefix: `${ROOT}tasks/`,
  task: (taskId: string) => `${ROOT}tasks/${taskId}`,
} as const;
