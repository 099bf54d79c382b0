// @ts-check
// A task's stdout or stderr, tailed: the last 256 KiB first, then new bytes every second. Read through
// the leading master's relay of the agent's files API (/agora/agents/{id}/files/read), so the browser
// needs to reach only the master.
import { ApiError, errorText, getJson } from './api.mjs';
import { badge, fill, h, notice } from './dom.mjs';
import { stateKind, stateLabel } from './format.mjs';

const TAIL_BYTES = 256 * 1024;
const CHUNK = 256 * 1024;
const KEEP_CHARS = 2 * 1024 * 1024;
const POLL_MS = 1000;

const encoder = new TextEncoder();

/** @type {import('./main.mjs').View} */
export const sandboxView = {
  mount(el, ctx, params) {
    const agent = params.get('agent') ?? '';
    const dir = params.get('path') ?? '';
    const taskId = params.get('task') ?? '';
    let file = params.get('file') === 'stderr' ? 'stderr' : 'stdout';
    if (!agent || !dir) {
      el.append(notice('bad', 'This link names no agent or sandbox.'));
      return {};
    }

    const pre = h('pre', { class: 'log' });
    const info = h('span');
    const state = h('span', { class: 'muted small' });
    const follow = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', checked: true }));
    const tabs = h('div', { class: 'tabs' });
    const problem = h('div');
    el.append(
      h('h1', null, h('a', { href: '#/tasks' }, 'Tasks'), ' › ', h('span', { class: 'mono' }, taskId || dir.split('/').pop() || dir), ' ', state),
      h('p', { class: 'path-line muted small mono', title: 'the sandbox on its agent' }, dir),
      problem,
      h(
        'section',
        { class: 'panel' },
        h('div', { class: 'panel-head' }, tabs, h('div', { class: 'panel-aside' }, info, h('label', null, follow, ' follow'))),
        pre,
      ),
    );

    let offset = 0;
    let text = '';
    let timer = 0;
    let stopped = false;
    let generation = 0;

    const renderTabs = () =>
      fill(
        tabs,
        ['stdout', 'stderr'].map((f) =>
          h(
            'button',
            {
              type: 'button',
              class: `tab${f === file ? ' active' : ''}`,
              onclick: () => {
                if (f === file) return;
                file = f;
                params.set('file', f);
                ctx.setParams(params);
                renderTabs();
                void start();
              },
            },
            f,
          ),
        ),
      );

    /** @param {number} off @param {number} [length] */
    const read = (off, length) => {
      const q = new URLSearchParams({ path: `${dir}/${file}`, offset: String(off) });
      if (length !== undefined) q.set('length', String(length));
      return /** @type {Promise<{data: string, offset: number}>} */ (getJson(`/agora/agents/${encodeURIComponent(agent)}/files/read?${q}`, { timeoutMs: 8000 }));
    };

    /** @param {string} data */
    const appendText = (data) => {
      if (!data) return;
      const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
      text += data;
      if (text.length > KEEP_CHARS) text = text.slice(text.length - KEEP_CHARS);
      pre.textContent = text;
      if (follow.checked || atBottom) pre.scrollTop = pre.scrollHeight;
    };

    const showInfo = () => fill(info, `${offset.toLocaleString()} bytes`);

    /** Reads everything from `offset` on (several chunks when far behind). @param {number} gen */
    const catchUp = async (gen) => {
      for (let i = 0; i < 8; i++) {
        const r = await read(offset, CHUNK);
        if (gen !== generation) return;
        if (!r.data) break;
        const bytes = encoder.encode(r.data).length;
        offset += bytes;
        appendText(r.data);
        if (bytes < CHUNK) break;
      }
      showInfo();
    };

    const tick = async () => {
      const gen = generation;
      try {
        await catchUp(gen);
        if (gen !== generation) return;
        fill(problem);
      } catch (e) {
        if (gen !== generation) return;
        fill(problem, notice(e instanceof ApiError && e.status === 404 ? 'info' : 'bad', e instanceof ApiError && e.status === 404 ? `No ${file} yet (or the sandbox is gone).` : `Reading ${file}: ${errorText(e)}`));
      }
      if (!stopped && gen === generation) timer = window.setTimeout(() => void tick(), POLL_MS);
    };

    const start = async () => {
      generation++;
      clearTimeout(timer);
      const gen = generation;
      text = '';
      pre.textContent = '';
      offset = 0;
      try {
        const size = (await read(-1)).offset;
        if (gen !== generation) return;
        offset = Math.max(0, size - TAIL_BYTES);
        if (offset > 0) appendText(`… (${offset.toLocaleString()} earlier bytes not shown)\n`);
      } catch {
        // a missing file is reported by tick(), which keeps trying
      }
      if (gen === generation) void tick();
    };

    const update = () => {
      const t = findTask(ctx.state, taskId);
      if (!t) return fill(state);
      const host = (ctx.state?.slaves ?? []).find((/** @type {any} */ a) => a.id === t.slave_id)?.hostname;
      fill(state, badge(stateLabel(t.state), stateKind(t.state)), host ? ` on ${host}` : '');
    };

    renderTabs();
    update();
    void start();
    return {
      update,
      unmount() {
        stopped = true;
        generation++;
        clearTimeout(timer);
      },
    };
  },
};

/** @param {any} st @param {string} id */
function findTask(st, id) {
  if (!st || !id) return undefined;
  for (const fw of [...(st.frameworks ?? []), ...(st.completed_frameworks ?? [])]) {
    for (const t of [...(fw.tasks ?? []), ...(fw.unreachable_tasks ?? []), ...(fw.completed_tasks ?? [])]) if (t.id === id) return t;
  }
  return undefined;
}
