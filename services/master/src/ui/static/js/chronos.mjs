// @ts-check
// Chronos: jobs with their schedule, next run, last result and counts; run now; a job's recent runs with
// links to their logs; and the dependency graph drawn from /graph/dot (dag.mjs).
import { errorText, getJson, getText, send } from './api.mjs';
import { badge, fill, h, notice, section, table } from './dom.mjs';
import { ago, isoSeconds, shortId, when } from './format.mjs';
import { parseDot, renderDag } from './dag.mjs';

const POLL_MS = 4000;

/** @param {string} state */
function resultBadge(state) {
  switch (state) {
    case 'success':
      return badge('success', 'ok');
    case 'failure':
      return badge('failure', 'bad');
    default:
      return badge('never run', 'muted');
  }
}

/** @param {string} status */
function runBadge(status) {
  const kind = { succeeded: 'ok', running: 'info', staging: 'info', pending: 'info', retrying: 'warn', failed: 'bad', killed: 'warn', missed: 'muted', skipped: 'muted' }[status] ?? 'muted';
  return badge(status, kind);
}

/** `PT1H30M` → `1 h 30 min`; undefined when it is not an ISO 8601 duration. @param {string} p */
export function durationText(p) {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(p);
  if (!m || p === 'P' || p.endsWith('T')) return undefined;
  const units = ['y', 'mo', 'w', 'd', 'h', 'min', 's'];
  const parts = m.slice(1).flatMap((v, i) => (v && Number(v) !== 0 ? [`${v} ${units[i]}`] : []));
  return parts.length ? parts.join(' ') : '0 s';
}

/**
 * `R5/2026-11-21T10:00:00Z/PT1H` → `every 1 h, 5 more`; cron stays as it is.
 * @param {string} schedule
 */
export function scheduleText(schedule) {
  const m = /^R(\d*)\/([^/]*)\/(P[^/]+)$/.exec(schedule);
  if (!m) return schedule;
  const every = durationText(m[3] ?? '') ?? m[3];
  return m[1] === '' ? `every ${every}` : `every ${every}, ${m[1]} more`;
}

/** @type {import('./main.mjs').View} */
export const chronosView = {
  mount(el, ctx, params) {
    const body = h('div');
    el.append(h('h1', null, 'Chronos'), body);
    /** @type {{jobs: any[], dot: string} | null} */
    let data = null;
    /** @type {string | null} */
    let error = null;
    let selected = params.get('job') ?? '';
    /** @type {{job: string, runs: any[]} | null} */
    let runs = null;
    /** @type {string | null} */
    let runsError = null;
    let stopped = false;

    const base = () => ctx.component('chronos');

    let loading = false;
    const load = async () => {
      if (loading) return;
      loading = true;
      try {
        await loadNow();
      } finally {
        loading = false;
      }
    };
    const loadNow = async () => {
      const b = base();
      if (!b) {
        render();
        return;
      }
      try {
        const [summary, dot] = await Promise.all([getJson(`${b}/v1/scheduler/jobs/summary`), getText(`${b}/v1/scheduler/graph/dot`)]);
        data = { jobs: summary.jobs ?? [], dot };
        error = null;
        ctx.setComponentStatus('chronos', true, 'answering');
      } catch (e) {
        error = errorText(e);
        ctx.setComponentStatus('chronos', false, error);
      }
      if (selected) {
        try {
          const r = await getJson(`${b}/v1/scheduler/job/${encodeURIComponent(selected)}/runs`);
          runs = { job: selected, runs: r.runs ?? [] };
          runsError = null;
        } catch (e) {
          runsError = errorText(e);
        }
      }
      if (!stopped) render();
    };

    /** @param {string} name */
    const select = (name) => {
      selected = selected === name ? '' : name;
      runs = null;
      const p = new URLSearchParams();
      if (selected) p.set('job', selected);
      ctx.setParams(p);
      render();
      void load();
    };

    /** @param {any} job */
    const runNow = async (job) => {
      const b = base();
      if (!b) return;
      try {
        const r = await send('PUT', `${b}/v1/scheduler/job/${encodeURIComponent(job.name)}`);
        const key = r.headers.get('X-Agora-Run');
        ctx.toast('ok', `Started ${job.name}${key ? ` (run ${key})` : ''}.`);
      } catch (e) {
        ctx.toast('bad', `${job.name}: ${errorText(e)}`);
      }
      void load();
    };

    const render = () => {
      const b = base();
      if (!ctx.services) {
        fill(body, h('p', { class: 'muted' }, 'Looking for Chronos…'));
        return;
      }
      if (!b) {
        fill(body, notice('info', 'Chronos is not running in this cluster (no healthy agora-chronos in Consul\u2019s catalog). `agora up` starts it.'));
        return;
      }
      if (!data) {
        fill(body, error ? notice('bad', `Chronos at ${b}: ${error}`) : h('p', { class: 'muted' }, 'Loading…'));
        return;
      }
      const graph = parseDot(data.dot);
      fill(
        body,
        error ? notice('warn', `Showing older data: ${error}`) : null,
        section(
          `Jobs (${data.jobs.length})`,
          h('span', { class: 'mono' }, b),
          table(
            [{ label: 'Job' }, { label: 'Schedule / after' }, { label: 'Next run' }, { label: 'Last result' }, { label: 'Now' }, { label: 'Successes', class: 'num' }, { label: 'Errors', class: 'num' }, { label: 'Last success' }, { label: 'Last error' }, { label: '', class: 'actions' }],
            data.jobs.map((j) => {
              const next = isoSeconds(j.nextRunAt);
              return {
                attrs: { class: `clickable${j.name === selected ? ' selected' : ''}`, title: 'Show its runs', onclick: () => select(j.name) },
                cells: [
                  [h('strong', { class: 'mono' }, j.name), j.disabled ? [' ', badge('disabled', 'muted')] : null],
                  j.schedule
                    ? h('span', { title: j.schedule }, h('span', { class: 'mono' }, scheduleText(j.schedule)), j.scheduleTimeZone ? h('span', { class: 'sub' }, ` ${j.scheduleTimeZone}`) : null)
                    : h('span', null, 'after ', (j.parents ?? []).map((/** @type {string} */ p, /** @type {number} */ i) => [i ? ', ' : '', h('span', { class: 'mono' }, p)])),
                  next ? h('span', { class: 'nowrap', title: when(next) }, ago(next)) : h('span', { class: 'muted' }, '–'),
                  resultBadge(j.state),
                  j.status === 'running' ? badge('running', 'info') : j.status === 'queued' ? badge('queued', 'warn') : h('span', { class: 'muted' }, 'idle'),
                  String(j.successCount ?? 0),
                  String(j.errorCount ?? 0),
                  h('span', { class: 'nowrap', title: j.lastSuccess ?? '' }, ago(isoSeconds(j.lastSuccess))),
                  h('span', { class: 'nowrap', title: j.lastError ?? '' }, ago(isoSeconds(j.lastError))),
                  h('button', { class: 'btn btn-small', type: 'button', onclick: (/** @type {Event} */ e) => (e.stopPropagation(), void runNow(j)) }, 'Run now'),
                ],
              };
            }),
            'No job. POST one to /v1/scheduler/iso8601 (or `agora job add`).',
          ),
        ),
        selected ? runsPanel(selected, runs, runsError) : null,
        section(
          'Dependencies',
          h('span', { class: 'legend' }, h('span', { class: 'l-success' }, 'succeeded'), h('span', { class: 'l-failure' }, 'failed'), h('span', { class: 'l-running' }, 'running'), h('span', { class: 'l-fresh' }, 'not run yet')),
          graph.nodes.size === 0 ? h('div', { class: 'panel-body muted' }, 'No job yet.') : h('div', { class: 'graph' }, renderDag(graph, select)),
        ),
      );
    };

    render();
    void load();
    const poll = window.setInterval(() => {
      if (!document.hidden) void load();
    }, POLL_MS);
    return {
      update() {
        if (!data && base()) void load();
      },
      unmount() {
        stopped = true;
        clearInterval(poll);
      },
    };
  },
};

/**
 * @param {string} job
 * @param {{job: string, runs: any[]} | null} runs
 * @param {string | null} error
 */
function runsPanel(job, runs, error) {
  const list = runs?.job === job ? runs.runs : null;
  return section(
    `Runs of ${job}`,
    h('a', { href: '#/chronos' }, 'close'),
    error ? notice('bad', error) : null,
    !list
      ? h('div', { class: 'panel-body muted' }, 'Loading…')
      : table(
          [{ label: 'Due' }, { label: 'Trigger' }, { label: 'Status' }, { label: 'Attempt', class: 'num' }, { label: 'Host' }, { label: 'Started' }, { label: 'Took', class: 'num' }, { label: 'Exit', class: 'num' }, { label: 'Logs' }],
          list.map((r) => {
            const started = isoSeconds(r.startedAt);
            const ended = isoSeconds(r.endedAt);
            const logs = r.sandbox && r.agentId ? (/** @type {'stdout' | 'stderr'} */ f) => h('a', { href: `#/sandbox?${new URLSearchParams({ agent: r.agentId, path: r.sandbox, task: r.taskId ?? '', file: f })}` }, f) : null;
            return [
              h('span', { class: 'nowrap', title: r.scheduledTime }, ago(isoSeconds(r.scheduledTime))),
              r.trigger ?? '',
              [runBadge(r.status), r.reason ? h('div', { class: 'sub' }, r.reason) : null],
              String(r.attempt ?? ''),
              r.host ?? h('span', { class: 'muted' }, '–'),
              h('span', { class: 'nowrap', title: r.startedAt ?? '' }, ago(started)),
              started && ended ? `${Math.max(0, ended - started).toFixed(1)} s` : '–',
              r.exitCode === undefined ? '–' : String(r.exitCode),
              logs ? h('span', { class: 'nowrap', title: r.taskId ? shortId(r.taskId) : '' }, logs('stdout'), ' · ', logs('stderr')) : h('span', { class: 'muted' }, '–'),
            ];
          }),
          'No run kept yet.',
        ),
  );
}
