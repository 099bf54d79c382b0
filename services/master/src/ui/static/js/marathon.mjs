// @ts-check
// Marathon: apps with their counts, deployments with their current step and Agora's waiting reasons,
// the launch queue (why a task is not placed), scale and restart. Live: /v2/events (SSE) triggers a
// refresh and feeds the event list; a slow poll covers a broken stream.
import { ApiError, errorText, getJson, send } from './api.mjs';
import { badge, bar, fill, h, notice, section, table } from './dom.mjs';
import { ago, cpus, isoSeconds, mb, shortId, span, when } from './format.mjs';

const POLL_MS = 5000;
const REFRESH_DEBOUNCE_MS = 250;
const EVENTS_KEPT = 40;

/** Marathon event types worth a line and a refresh (the stream's named events). */
const EVENT_TYPES = [
  'api_post_event',
  'group_change_success',
  'deployment_info',
  'deployment_step_success',
  'deployment_success',
  'deployment_failed',
  'status_update_event',
  'instance_changed_event',
  'unknown_instance_terminated_event',
  'health_status_changed_event',
  'failed_health_check_event',
  'unhealthy_task_kill_event',
  'app_terminated_event',
  'scheduler_registered_event',
  'scheduler_reregistered_event',
  'scheduler_disconnected_event',
];

/** `/prod/web` → `/prod/web` with each segment encoded (ids are paths in Marathon's URLs). @param {string} id */
export function appPath(id) {
  return id
    .split('/')
    .filter(Boolean)
    .map(encodeURIComponent)
    .join('/');
}

/**
 * One line for an event of the stream.
 * @param {string} type
 * @param {any} e
 */
export function eventLine(type, e) {
  switch (type) {
    case 'status_update_event':
      return `${e.appId ?? ''} ${shortId(e.taskId ?? '', 6)} → ${String(e.taskStatus ?? '').replace(/^TASK_/, '').toLowerCase()}${e.message ? ` (${e.message})` : ''}`;
    case 'instance_changed_event':
      return `${e.runSpecId ?? ''} ${shortId(e.instanceId ?? '', 6)} → ${String(e.condition ?? '').toLowerCase()}`;
    case 'health_status_changed_event':
      return `${e.appId ?? ''} ${shortId(e.taskId ?? e.instanceId ?? '', 6)} ${e.alive ? 'healthy' : 'unhealthy'}`;
    case 'failed_health_check_event':
    case 'unhealthy_task_kill_event':
      return `${e.appId ?? ''} ${shortId(e.taskId ?? '', 6)}${e.reason ? `: ${e.reason}` : ''}`;
    case 'deployment_info':
      return `deployment ${shortId(e.plan?.id ?? '', 4)}: ${(e.currentStep?.actions ?? []).map((/** @type {any} */ a) => `${a.action ?? a.type} ${a.app}`).join(', ')}`;
    case 'deployment_success':
    case 'deployment_failed':
    case 'deployment_step_success':
      return `deployment ${shortId(e.id ?? e.plan?.id ?? '', 4)}${e.plan?.affectedApps ? ` (${e.plan.affectedApps.join(', ')})` : ''}`;
    case 'api_post_event':
      return `${e.appDefinition?.id ?? ''} changed by ${e.clientIp ?? 'a client'}`;
    case 'app_terminated_event':
      return `${e.appId ?? ''} removed`;
    default:
      return '';
  }
}

/** @param {any} app @param {any[]} deployments @param {any} queued */
function appStatus(app, deployments, queued) {
  if (queued?.delay && queued.delay.overdue === false && queued.delay.timeLeftSeconds > 0) return badge('delayed', 'warn', `backoff: next launch in ${span(queued.delay.timeLeftSeconds)}`);
  if (deployments.length > 0) return badge('deploying', 'info');
  if (app.instances === 0) return badge('suspended', 'muted');
  const healthy = app.healthChecks?.length ? app.tasksHealthy : app.tasksRunning;
  if (app.tasksRunning >= app.instances && healthy >= app.instances) return badge('running', 'ok');
  return badge('waiting', 'warn');
}

/** @type {import('./main.mjs').View} */
export const marathonView = {
  mount(el, ctx) {
    const body = h('div');
    const live = h('span', { class: 'live' }, h('span', { class: 'dot' }), 'connecting');
    el.append(h('h1', null, 'Marathon', h('span', { class: 'muted' }, ''), ' ', live), body);
    /** @type {{apps: any[], deployments: any[], queue: any[], info: any} | null} */
    let data = null;
    /** @type {string | null} */
    let error = null;
    /** @type {{at: number, type: string, line: string}[]} */
    const events = [];
    /** @type {EventSource | null} */
    let stream = null;
    /** @type {string | undefined} */
    let streamBase;
    let stopped = false;
    let loading = false;
    let again = false;
    let debounce = 0;

    const base = () => ctx.component('marathon');

    const load = async () => {
      const b = base();
      if (!b) {
        data = null;
        error = null;
        render();
        return;
      }
      if (loading) {
        again = true;
        return;
      }
      loading = true;
      try {
        const [apps, deployments, queue, info] = await Promise.all([
          getJson(`${b}/v2/apps?embed=apps.counts&embed=apps.deployments&embed=apps.lastTaskFailure`),
          getJson(`${b}/v2/deployments`),
          getJson(`${b}/v2/queue`),
          data?.info ? Promise.resolve(data.info) : getJson(`${b}/v2/info`),
        ]);
        data = { apps: apps.apps ?? [], deployments: deployments ?? [], queue: queue.queue ?? [], info };
        error = null;
        ctx.setComponentStatus('marathon', true, 'answering');
      } catch (e) {
        error = errorText(e);
        ctx.setComponentStatus('marathon', false, error);
      } finally {
        loading = false;
      }
      if (stopped) return;
      render();
      connect();
      if (again) {
        again = false;
        void load();
      }
    };

    const soon = () => {
      clearTimeout(debounce);
      debounce = window.setTimeout(() => void load(), REFRESH_DEBOUNCE_MS);
    };

    /** The event stream follows the Marathon instance the catalog names first. */
    const connect = () => {
      const b = base();
      if (stream && streamBase === b) return;
      stream?.close();
      stream = null;
      streamBase = b;
      if (!b) return;
      const es = new EventSource(`${b}/v2/events`);
      stream = es;
      es.onopen = () => {
        live.classList.add('on');
        fill(live, h('span', { class: 'dot' }), 'live');
      };
      es.onerror = () => {
        live.classList.remove('on');
        fill(live, h('span', { class: 'dot' }), 'reconnecting…');
      };
      for (const type of EVENT_TYPES) {
        es.addEventListener(type, (m) => {
          let e = {};
          try {
            e = JSON.parse(/** @type {MessageEvent} */ (m).data);
          } catch {
            // keep the line without details
          }
          events.unshift({ at: Date.now(), type, line: eventLine(type, e) });
          events.length = Math.min(events.length, EVENTS_KEPT);
          soon();
        });
      }
    };

    /** @param {any} app */
    const scale = async (app) => {
      const b = base();
      if (!b) return;
      const value = await ctx.ask({ title: `Scale ${app.id}`, message: `Running ${app.tasksRunning} of ${app.instances} instances.`, input: { label: 'Instances', value: String(app.instances), type: 'number', min: '0' }, ok: 'Scale' });
      if (value === null) return;
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) return ctx.toast('bad', 'Instances must be a whole number ≥ 0.');
      await change(`Scaling ${app.id} to ${n}`, (force) => send('PUT', `${b}/v2/apps/${appPath(app.id)}${force ? '?force=true' : ''}`, { instances: n }));
    };

    /** @param {any} app */
    const restart = async (app) => {
      const b = base();
      if (!b) return;
      const ok = await ctx.ask({ title: `Restart ${app.id}?`, message: `Its ${app.tasksRunning} task(s) are replaced by new ones, following the app's upgrade strategy.`, ok: 'Restart' });
      if (ok === null) return;
      await change(`Restarting ${app.id}`, (force) => send('POST', `${b}/v2/apps/${appPath(app.id)}/restart${force ? '?force=true' : ''}`));
    };

    /** @param {any} d @param {boolean} force */
    const cancelDeployment = async (d, force) => {
      const b = base();
      if (!b) return;
      const ok = await ctx.ask({
        title: force ? 'Stop this deployment?' : 'Roll back this deployment?',
        message: force ? 'The deployment stops where it is; the apps keep their new definitions.' : `A new deployment takes ${d.affectedApps.join(', ')} back to their previous definitions.`,
        ok: force ? 'Stop' : 'Roll back',
        danger: true,
      });
      if (ok === null) return;
      try {
        await send('DELETE', `${b}/v2/deployments/${encodeURIComponent(d.id)}${force ? '?force=true' : ''}`);
        ctx.toast('ok', force ? 'Deployment stopped.' : 'Rolling back.');
      } catch (e) {
        ctx.toast('bad', errorText(e));
      }
      soon();
    };

    /**
     * Sends a change; a 409 (the app is locked by a deployment) offers to force it.
     * @param {string} what
     * @param {(force: boolean) => Promise<{body: any}>} call
     */
    const change = async (what, call) => {
      try {
        const r = await call(false);
        ctx.toast('ok', `${what} (deployment ${shortId(r.body?.deploymentId ?? '', 4)}).`);
      } catch (e) {
        if (e instanceof ApiError && e.status === 409) {
          const force = await ctx.ask({ title: 'A deployment is in progress', message: `${errorText(e)} Forcing cancels that deployment and starts this change.`, ok: 'Force', danger: true });
          if (force !== null) {
            try {
              const r = await call(true);
              ctx.toast('ok', `${what}, forced (deployment ${shortId(r.body?.deploymentId ?? '', 4)}).`);
            } catch (e2) {
              ctx.toast('bad', errorText(e2));
            }
          }
        } else ctx.toast('bad', errorText(e));
      }
      soon();
    };

    const render = () => {
      const b = base();
      if (!ctx.services) {
        fill(body, h('p', { class: 'muted' }, 'Looking for Marathon…'));
        return;
      }
      if (!b) {
        fill(body, notice('info', 'Marathon is not running in this cluster (no healthy agora-marathon in Consul\u2019s catalog). `agora up` starts it.'));
        return;
      }
      if (!data) {
        fill(body, error ? notice('bad', `Marathon at ${b}: ${error}`) : h('p', { class: 'muted' }, 'Loading…'));
        return;
      }
      const { apps, deployments, queue } = data;
      const depsOf = (/** @type {string} */ id) => deployments.filter((d) => (d.affectedApps ?? []).includes(id));
      const queued = new Map(queue.map((q) => [q.app?.id, q]));
      const leader = data.info?.leader;
      fill(
        body,
        error ? notice('warn', `Showing older data: ${error}`) : null,
        section(
          `Applications (${apps.length})`,
          h('span', { class: 'mono' }, leader ? `leader ${leader}` : b),
          table(
            [{ label: 'App' }, { label: 'Status' }, { label: 'Running' }, { label: 'Health' }, { label: 'Each', class: 'num', title: 'resources per instance' }, { label: 'Changed' }, { label: '', class: 'actions' }],
            apps.map((a) => {
              const fail = a.lastTaskFailure;
              const changed = isoSeconds(a.versionInfo?.lastConfigChangeAt ?? a.version);
              return [
                [
                  h('div', null, h('strong', { class: 'mono' }, a.id)),
                  h('div', { class: 'sub mono ellipsis', title: a.cmd ?? (a.args ?? []).join(' ') }, (a.container?.docker?.image ? `${a.container.docker.image} ` : '') + (a.cmd ?? (a.args ?? []).join(' '))),
                  fail ? h('div', { class: 'sub', title: `${fail.message ?? ''} (${fail.timestamp ?? ''})` }, badge(String(fail.state ?? '').replace(/^TASK_/, '').toLowerCase(), 'bad'), ` last failure ${ago(isoSeconds(fail.timestamp))}`) : null,
                ],
                appStatus(a, depsOf(a.id), queued.get(a.id)),
                [bar(a.tasksRunning ?? 0, a.instances ?? 0, String, 'progress'), a.tasksStaged ? h('div', { class: 'sub' }, `${a.tasksStaged} staging`) : null],
                a.healthChecks?.length
                  ? [badge(`${a.tasksHealthy ?? 0} healthy`, (a.tasksHealthy ?? 0) >= a.instances ? 'ok' : 'muted'), a.tasksUnhealthy ? badge(`${a.tasksUnhealthy} unhealthy`, 'bad') : null]
                  : h('span', { class: 'muted small' }, 'no checks'),
                h('span', { class: 'nowrap' }, `${cpus(a.cpus ?? 0)} CPU · ${mb(a.mem ?? 0)}`),
                h('span', { class: 'nowrap', title: when(changed) }, ago(changed)),
                [
                  h('button', { class: 'btn btn-small', type: 'button', onclick: () => void scale(a) }, 'Scale…'),
                  h('button', { class: 'btn btn-small', type: 'button', onclick: () => void restart(a) }, 'Restart'),
                  h('button', { class: 'btn btn-small', type: 'button', title: 'Its tasks in the task list', onclick: () => (location.hash = `#/tasks?q=${encodeURIComponent(`${a.id.split('/').filter(Boolean).join('_')}.`)}`) }, 'Tasks'),
                ],
              ];
            }),
            'No application. POST an app definition to /v2/apps (or `agora app add`).',
          ),
        ),
        h(
          'div',
          { class: 'grid-2' },
          h(
            'div',
            null,
            section(
              `Deployments (${deployments.length})`,
              null,
              deployments.length === 0 ? h('div', { class: 'panel-body muted' }, 'No deployment in progress.') : deployments.map((d) => deploymentBlock(d, cancelDeployment)),
            ),
            section(
              `Launch queue (${queue.length})`,
              h('span', null, 'tasks Marathon wants to launch, and why they wait'),
              table(
                [{ label: 'App' }, { label: 'Waiting', class: 'num' }, { label: 'Backoff' }, { label: 'Offers used / seen', class: 'num' }, { label: 'Why not placed' }],
                queue.map((q) => [
                  h('span', { class: 'mono' }, q.app?.id ?? ''),
                  String(q.count ?? 0),
                  q.delay?.overdue === false && q.delay.timeLeftSeconds > 0 ? badge(`${span(q.delay.timeLeftSeconds)} left`, 'warn') : h('span', { class: 'muted' }, 'none'),
                  `${(q.processedOffersSummary?.processedOffersCount ?? 0) - (q.processedOffersSummary?.unusedOffersCount ?? 0)} / ${q.processedOffersSummary?.processedOffersCount ?? 0}`,
                  q.placement ? h('span', null, q.placement.placeable ? badge('placeable', 'ok') : badge('unplaceable', 'bad'), ' ', q.placement.summary ?? '') : h('span', { class: 'muted' }, 'no offer looked at yet'),
                ]),
                'Nothing waits for resources.',
              ),
            ),
          ),
          section(
            'Events',
            h('span', null, 'from /v2/events'),
            events.length === 0
              ? h('div', { class: 'panel-body muted' }, 'No event since this page opened.')
              : h(
                  'ul',
                  { class: 'events' },
                  events.map((e) => h('li', null, h('time', null, new Date(e.at).toLocaleTimeString()), h('div', null, h('strong', null, e.type.replace(/_event$/, '').replace(/_/g, ' ')), e.line ? h('div', { class: 'mono small' }, e.line) : null))),
                ),
          ),
        ),
      );
    };

    render();
    void load();
    const poll = window.setInterval(() => {
      if (!document.hidden) void load();
    }, POLL_MS);
    return {
      // The header's services may have changed (Marathon appeared or moved).
      update() {
        if (base() !== streamBase || (!data && !loading)) void load();
      },
      unmount() {
        stopped = true;
        clearInterval(poll);
        clearTimeout(debounce);
        stream?.close();
      },
    };
  },
};

/**
 * @param {any} d
 * @param {(d: any, force: boolean) => Promise<void>} cancel
 */
function deploymentBlock(d, cancel) {
  const total = d.totalSteps ?? (d.steps ?? []).length;
  const current = d.currentStep ?? 0;
  return h(
    'div',
    { class: 'deploy' },
    h(
      'div',
      { class: 'deploy-head' },
      h('strong', { class: 'mono', title: d.id }, shortId(d.id, 6)),
      h('span', null, (d.affectedApps ?? []).join(', ')),
      h('span', { class: 'muted' }, `step ${current} of ${total} · started ${ago(isoSeconds(d.version))}`),
      h(
        'span',
        { class: 'panel-aside' },
        h('button', { class: 'btn btn-small', type: 'button', onclick: () => void cancel(d, false) }, 'Roll back'),
        h('button', { class: 'btn btn-small', type: 'button', onclick: () => void cancel(d, true) }, 'Stop'),
      ),
    ),
    h(
      'div',
      { class: 'steps' },
      Array.from({ length: total }, (_, i) => h('div', { class: `step${i + 1 < current ? ' step-done' : i + 1 === current ? ' step-current' : ''}`, title: (d.steps?.[i]?.actions ?? []).map((/** @type {any} */ a) => `${a.action} ${a.app}`).join(', ') })),
    ),
    (d.currentActions ?? []).map((/** @type {any} */ a) =>
      h(
        'div',
        null,
        h('span', { class: 'badge badge-info' }, a.action),
        ' ',
        h('span', { class: 'mono' }, a.app),
        (a.readinessCheckResults ?? []).length ? h('span', { class: 'muted small' }, ` · ${a.readinessCheckResults.filter((/** @type {any} */ r) => r.ready).length}/${a.readinessCheckResults.length} ready`) : null,
        a.waitingReason ? h('div', { class: 'waiting' }, 'Waiting: ', a.waitingReason) : null,
      ),
    ),
  );
}
