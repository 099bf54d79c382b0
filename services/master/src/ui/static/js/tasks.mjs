// @ts-check
// Every task the master knows (active, unreachable, completed), filtered by state, framework, agent and
// text; each links to its sandbox's stdout and stderr (sandbox.mjs).
import { badge, fill, h, notice, section, table } from './dom.mjs';
import { ago, cpus, mb, shortId, stateKind, stateLabel, TERMINAL_STATES, when } from './format.mjs';

/**
 * @typedef {{task: any, framework: any, terminal: boolean, updated: number}} TaskRow
 */

/**
 * Flattens /master/state into task rows, newest status first.
 * @param {any} st
 * @returns {TaskRow[]}
 */
export function allTasks(st) {
  /** @type {TaskRow[]} */
  const rows = [];
  for (const fw of [...(st?.frameworks ?? []), ...(st?.completed_frameworks ?? [])]) {
    for (const t of [...(fw.tasks ?? []), ...(fw.unreachable_tasks ?? []), ...(fw.completed_tasks ?? [])]) {
      const statuses = /** @type {any[]} */ (t.statuses ?? []);
      const updated = statuses.length > 0 ? Number(statuses[statuses.length - 1].timestamp) || 0 : 0;
      rows.push({ task: t, framework: fw, terminal: TERMINAL_STATES.has(t.state), updated });
    }
  }
  return rows.sort((a, b) => b.updated - a.updated);
}

/**
 * Filter values: state = 'active' (default), 'all', 'terminal' or a TASK_* state.
 * @param {TaskRow[]} rows
 * @param {{state?: string, framework?: string, agent?: string, q?: string}} f
 */
export function filterTasks(rows, f) {
  const state = f.state || 'active';
  const q = (f.q ?? '').trim().toLowerCase();
  return rows.filter((r) => {
    if (state === 'active' && r.terminal) return false;
    if (state === 'terminal' && !r.terminal) return false;
    if (state.startsWith('TASK_') && r.task.state !== state) return false;
    if (f.framework && r.framework.id !== f.framework) return false;
    if (f.agent && r.task.slave_id !== f.agent) return false;
    if (q && !`${r.task.id} ${r.task.name}`.toLowerCase().includes(q)) return false;
    return true;
  });
}

const STATES = ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_UNREACHABLE', 'TASK_DROPPED', 'TASK_GONE'];
const SHOWN_MAX = 500;

/** Link to a task's sandbox file. @param {any} task @param {'stdout' | 'stderr'} file */
export function sandboxLink(task, file) {
  if (!task.sandbox) return h('span', { class: 'muted', title: 'the master does not know its sandbox' }, file);
  const p = new URLSearchParams({ agent: task.slave_id, path: task.sandbox, task: task.id, file });
  return h('a', { href: `#/sandbox?${p}` }, file);
}

/** @type {import('./main.mjs').View} */
export const tasksView = {
  mount(el, ctx, params) {
    const f = { state: params.get('state') ?? 'active', framework: params.get('framework') ?? '', agent: params.get('agent') ?? '', q: params.get('q') ?? '' };
    const stateSel = /** @type {HTMLSelectElement} */ (
      h(
        'select',
        null,
        [['active', 'Active (not finished)'], ['all', 'All'], ['terminal', 'Finished'], ...STATES.map((s) => [s, stateLabel(s)])].map(([v, l]) => h('option', { value: v }, l)),
      )
    );
    const fwSel = /** @type {HTMLSelectElement} */ (h('select'));
    const agentSel = /** @type {HTMLSelectElement} */ (h('select'));
    const search = /** @type {HTMLInputElement} */ (h('input', { type: 'search', placeholder: 'Task id or name contains…', value: f.q }));
    stateSel.value = f.state;
    const body = h('div');
    const changed = () => {
      f.state = stateSel.value;
      f.framework = fwSel.value;
      f.agent = agentSel.value;
      f.q = search.value;
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(f)) if (v && !(k === 'state' && v === 'active')) p.set(k, v);
      ctx.setParams(p);
      render();
    };
    for (const c of [stateSel, fwSel, agentSel]) c.addEventListener('change', changed);
    search.addEventListener('input', changed);
    el.append(
      h('h1', null, 'Tasks'),
      h('div', { class: 'filters' }, h('label', null, 'State', stateSel), h('label', null, 'Framework', fwSel), h('label', null, 'Agent', agentSel), search),
      body,
    );

    /**
     * Keeps a select's options in step with the state without losing the choice.
     * @param {HTMLSelectElement} sel @param {[string, string][]} options @param {string} chosen
     */
    const options = (sel, options, chosen) => {
      const all = [['', 'Any'], ...options];
      if (chosen && !options.some(([v]) => v === chosen)) all.push([chosen, shortId(chosen)]);
      const key = JSON.stringify(all);
      if (sel.dataset.key !== key) {
        fill(sel, all.map(([v, l]) => h('option', { value: v }, l)));
        sel.dataset.key = key;
      }
      sel.value = chosen;
    };

    const render = () => {
      const st = ctx.state;
      if (!st) {
        fill(body, ctx.stateError ? notice('bad', `The master's state is not available: ${ctx.stateError}`) : h('p', { class: 'muted' }, 'Loading…'));
        return;
      }
      const fws = [...(st.frameworks ?? []), ...(st.completed_frameworks ?? [])];
      options(fwSel, fws.map((x) => [x.id, `${x.name} (${shortId(x.id, 4)})`]), f.framework);
      const agents = /** @type {any[]} */ (st.slaves ?? []);
      const hostOf = new Map(agents.map((a) => [a.id, a.hostname]));
      options(agentSel, agents.map((a) => [a.id, a.hostname]), f.agent);
      const rows = filterTasks(allTasks(st), f);
      const shown = rows.slice(0, SHOWN_MAX);
      fill(
        body,
        section(
          `${rows.length} task${rows.length === 1 ? '' : 's'}`,
          rows.length > SHOWN_MAX ? h('span', null, `showing the newest ${SHOWN_MAX}`) : null,
          table(
            [{ label: 'Task' }, { label: 'State' }, { label: 'Framework' }, { label: 'Agent' }, { label: 'CPUs', class: 'num' }, { label: 'Mem', class: 'num' }, { label: 'Updated' }, { label: 'Sandbox' }],
            shown.map((r) => {
              const t = r.task;
              const last = (t.statuses ?? [])[t.statuses.length - 1];
              return [
                [h('div', { class: 'mono' }, t.id), t.name && t.name !== t.id ? h('div', { class: 'sub' }, t.name) : null],
                [
                  badge(stateLabel(t.state), stateKind(t.state), [last?.reason, last?.message].filter(Boolean).join(': ') || undefined),
                  // Health is only news while the task runs; after that it is the last check before it stopped.
                  t.state === 'TASK_RUNNING' && t.healthy === true ? badge('healthy', 'ok') : t.state === 'TASK_RUNNING' && t.healthy === false ? badge('unhealthy', 'bad') : null,
                  last?.message && r.terminal && t.state !== 'TASK_FINISHED' ? h('div', { class: 'sub' }, String(last.message).slice(0, 120)) : null,
                ],
                h('span', { title: r.framework.id }, r.framework.name),
                h('span', { title: t.slave_id }, hostOf.get(t.slave_id) ?? shortId(t.slave_id)),
                cpus(Number(t.resources?.cpus) || 0),
                mb(Number(t.resources?.mem) || 0),
                h('span', { class: 'nowrap', title: when(r.updated) }, ago(r.updated)),
                h('span', { class: 'nowrap' }, sandboxLink(t, 'stdout'), ' · ', sandboxLink(t, 'stderr')),
              ];
            }),
            f.state === 'active' ? 'No active task matches.' : 'No task matches.',
          ),
        ),
      );
    };
    render();
    return { update: render };
  },
};
