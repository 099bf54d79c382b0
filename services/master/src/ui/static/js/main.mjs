// @ts-check
// The page's shell: finds the leader and the components (/agora/services), polls the master's state,
// routes between views on the URL's hash (#/cluster, #/tasks?state=…, #/marathon …) and shows the
// header's status of every component.
import { ApiError, errorText, getJson } from './api.mjs';
import { fill, h } from './dom.mjs';
import { clusterView } from './cluster.mjs';
import { tasksView } from './tasks.mjs';
import { sandboxView } from './sandbox.mjs';
import { marathonView } from './marathon.mjs';
import { chronosView } from './chronos.mjs';
import { dnsView } from './dns.mjs';

/**
 * @typedef {{self: string, leader: string | null, masters: string[], marathon: string[], chronos: string[], dns: string[], errors: string[]}} Services
 * @typedef {{mount(el: HTMLElement, ctx: Ctx, params: URLSearchParams): {update?(): void, unmount?(): void}}} View
 * @typedef {{
 *   services: Services | null,
 *   state: any,
 *   stateError: string | null,
 *   stateAt: number,
 *   setParams(params: URLSearchParams): void,
 *   toast(kind: string, text: string): void,
 *   ask(opts: {title: string, message?: string, input?: {label: string, value: string, type?: string, min?: string}, ok: string, danger?: boolean}): Promise<string | null>,
 *   component(kind: 'marathon' | 'chronos' | 'dns'): string | undefined,
 *   setComponentStatus(kind: string, ok: boolean, detail: string): void,
 * }} Ctx
 */

/** @type {Record<string, {label: string, view: View, nav?: boolean}>} */
const ROUTES = {
  cluster: { label: 'Cluster', view: clusterView, nav: true },
  tasks: { label: 'Tasks', view: tasksView, nav: true },
  sandbox: { label: 'Sandbox', view: sandboxView },
  marathon: { label: 'Marathon', view: marathonView, nav: true },
  chronos: { label: 'Chronos', view: chronosView, nav: true },
  dns: { label: 'DNS', view: dnsView, nav: true },
};

const STATE_POLL_MS = 3000;
const SERVICES_POLL_MS = 5000;
const PROBE_MS = 10000;

/** @type {HTMLElement} */
const main = /** @type {HTMLElement} */ (document.getElementById('main'));
/** @type {HTMLElement} */
const banner = /** @type {HTMLElement} */ (document.getElementById('banner'));
/** @type {HTMLElement} */
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
/** @type {HTMLElement} */
const status = /** @type {HTMLElement} */ (document.getElementById('status'));
/** @type {HTMLElement} */
const toasts = /** @type {HTMLElement} */ (document.getElementById('toasts'));

/** @type {Record<string, {ok: boolean, detail: string}>} */
const componentStatus = {};

/** @type {Ctx} */
const ctx = {
  services: null,
  state: null,
  stateError: null,
  stateAt: 0,
  setParams(params) {
    const route = currentRoute().name;
    const q = params.toString();
    history.replaceState(null, '', `#/${route}${q ? `?${q}` : ''}`);
  },
  toast,
  ask,
  component(kind) {
    return ctx.services?.[kind]?.[0];
  },
  setComponentStatus(kind, ok, detail) {
    componentStatus[kind] = { ok, detail };
    renderStatus();
  },
};

/** @type {{name: string, params: URLSearchParams, instance: {update?(): void, unmount?(): void}} | null} */
let mounted = null;

function currentRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = hash.split('?');
  const name = path in ROUTES ? path : 'cluster';
  return { name, params: new URLSearchParams(query) };
}

function route() {
  const { name, params } = currentRoute();
  mounted?.instance.unmount?.();
  const r = ROUTES[name] ?? ROUTES.cluster;
  if (!r) return;
  document.title = `${r.label} · Agora`;
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', a.dataset.route === name || (name === 'sandbox' && a.dataset.route === 'tasks'));
  fill(main);
  mounted = { name, params, instance: r.view.mount(main, ctx, params) };
  window.scrollTo(0, 0);
}

function renderNav() {
  fill(
    nav,
    Object.entries(ROUTES)
      .filter(([, r]) => r.nav)
      .map(([name, r]) => h('a', { href: `#/${name}`, dataset: { route: name } }, r.label)),
  );
}

function renderStatus() {
  const s = ctx.services;
  const leaderText = ctx.state?.leader_info ? `${ctx.state.leader_info.hostname}:${ctx.state.leader_info.port}` : s?.leader ? new URL(s.leader).host : 'no leader';
  /** @param {'marathon' | 'chronos' | 'dns'} kind @param {string} label */
  const comp = (kind, label) => {
    const urls = s?.[kind] ?? [];
    const st = componentStatus[kind];
    const cls = urls.length === 0 ? 'absent' : !st ? 'unknown' : st.ok ? 'up' : 'down';
    const title = urls.length === 0 ? `${label}: not in Consul's catalog (not running, or not healthy)` : `${label}: ${urls.join(', ')}${st ? ` — ${st.detail}` : ''}`;
    return h('a', { class: `comp comp-${cls}`, href: `#/${kind}`, title }, h('span', { class: 'dot' }), label);
  };
  fill(
    status,
    h('span', { class: `comp ${ctx.stateError ? 'comp-down' : 'comp-up'}`, title: ctx.stateError ?? `leading master ${leaderText}` }, h('span', { class: 'dot' }), `Master ${leaderText}`),
    comp('marathon', 'Marathon'),
    comp('chronos', 'Chronos'),
    comp('dns', 'DNS'),
  );
}

/** @param {string} kind @param {string} text */
function toast(kind, text) {
  const el = h('div', { class: `toast toast-${kind}`, role: 'status' }, text);
  toasts.appendChild(el);
  setTimeout(() => el.remove(), kind === 'bad' ? 9000 : 4500);
}

/**
 * A modal question (native <dialog>): resolves with the input's value (or '' without input), null when
 * cancelled.
 * @param {{title: string, message?: string, input?: {label: string, value: string, type?: string, min?: string}, ok: string, danger?: boolean}} opts
 * @returns {Promise<string | null>}
 */
function ask(opts) {
  return new Promise((resolve) => {
    const input = opts.input ? h('input', { type: opts.input.type ?? 'text', value: opts.input.value, min: opts.input.min, required: true, autofocus: true }) : null;
    const dialog = /** @type {HTMLDialogElement} */ (
      h(
        'dialog',
        { class: 'dialog' },
        h(
          'form',
          { method: 'dialog' },
          h('h3', null, opts.title),
          opts.message ? h('p', null, opts.message) : null,
          input && opts.input ? h('label', null, opts.input.label, input) : null,
          h('div', { class: 'dialog-buttons' }, h('button', { type: 'button', class: 'btn', value: 'cancel', onclick: () => dialog.close('cancel') }, 'Cancel'), h('button', { type: 'submit', class: `btn ${opts.danger ? 'btn-danger' : 'btn-primary'}`, value: 'ok' }, opts.ok)),
        ),
      )
    );
    dialog.addEventListener('close', () => {
      const value = dialog.returnValue === 'ok' ? (input ? /** @type {HTMLInputElement} */ (input).value : '') : null;
      dialog.remove();
      resolve(value);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

async function refreshServices() {
  try {
    const s = /** @type {Services} */ (await getJson('/agora/services', { timeoutMs: 5000 }));
    ctx.services = s;
    if (s.leader && s.leader !== s.self) {
      // A standby: the state lives on the leader, and the components allow the leader's origin.
      location.replace(`${s.leader}/ui/${location.hash}`);
      return;
    }
    showBanner();
  } catch (e) {
    showBanner(`Cannot reach this master: ${errorText(e)}`);
  }
  renderStatus();
}

/** @param {string} [error] */
function showBanner(error) {
  const s = ctx.services;
  const notes = [];
  if (error) notes.push(h('div', { class: 'notice notice-bad' }, error));
  else if (s && !s.leader) notes.push(h('div', { class: 'notice notice-bad' }, 'No master is elected right now. Waiting for an election…'));
  if (s && s.self !== location.origin) {
    notes.push(
      h(
        'div',
        { class: 'notice notice-warn' },
        `This page was opened as ${location.origin}; Marathon, Chronos and DNS allow the master's own address. `,
        h('a', { href: `${s.self}/ui/${location.hash}` }, `Open ${s.self}/ui/`),
      ),
    );
  }
  if (s && s.errors.length > 0) notes.push(h('div', { class: 'notice notice-warn' }, `Consul catalog: ${s.errors.join('; ')}`));
  fill(banner, notes);
}

async function refreshState() {
  try {
    ctx.state = await getJson('/master/state', { timeoutMs: 8000 });
    ctx.stateError = null;
    ctx.stateAt = Date.now();
  } catch (e) {
    ctx.stateError = e instanceof ApiError && e.status === 503 ? 'no elected master' : errorText(e);
  }
  renderStatus();
  mounted?.instance.update?.();
}

/** Does each component answer this page (reachable and CORS allowed)? Shown as the header's dots. */
async function probeComponents() {
  const s = ctx.services;
  if (!s) return;
  /** @type {[string, string | undefined, string][]} */
  const probes = [
    ['marathon', s.marathon[0], '/v2/info'],
    ['chronos', s.chronos[0], '/v1/scheduler/leader'],
    ['dns', s.dns[0], '/v1/version'],
  ];
  await Promise.all(
    probes.map(async ([kind, base, path]) => {
      if (!base) return;
      try {
        await getJson(base + path, { timeoutMs: 4000 });
        componentStatus[kind] = { ok: true, detail: 'answering' };
      } catch (e) {
        componentStatus[kind] = { ok: false, detail: errorText(e) };
      }
    }),
  );
  renderStatus();
}

/**
 * Runs `fn` now and then every `ms`, skipping beats while the tab is hidden.
 * @param {() => Promise<void>} fn
 * @param {number} ms
 */
function every(fn, ms) {
  let running = false;
  const tick = async () => {
    if (running || document.hidden) return;
    running = true;
    try {
      await fn();
    } finally {
      running = false;
    }
  };
  void tick();
  setInterval(() => void tick(), ms);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) void tick();
  });
}

renderNav();
renderStatus();
window.addEventListener('hashchange', route);
route();
every(refreshServices, SERVICES_POLL_MS);
every(refreshState, STATE_POLL_MS);
setTimeout(() => every(probeComponents, PROBE_MS), 500);
