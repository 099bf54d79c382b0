// @ts-check
// DNS: look a name up through the Mesos-DNS HTTP API (/v1/hosts for A, /v1/services for SRV) and list
// every record the server answers for (/v1/enumerate).
import { errorText, getJson } from './api.mjs';
import { badge, fill, h, notice, section, table } from './dom.mjs';

const POLL_MS = 10000;

/**
 * The name with the cluster domain appended when it lacks it (as `agora dns lookup` does).
 * @param {string} name
 * @param {string} domain
 */
export function qualify(name, domain) {
  const n = name.trim().replace(/\.$/, '');
  if (!n || !domain) return n;
  return n === domain || n.endsWith(`.${domain}`) ? n : `${n}.${domain}`;
}

/**
 * Rows of the enumeration: one per record.
 * @param {any} en
 * @returns {{framework: string, task: string, taskId: string, name: string, rtype: string, host: string}[]}
 */
export function enumerationRows(en) {
  const out = [];
  for (const fw of en?.frameworks ?? []) for (const t of fw.tasks ?? []) for (const r of t.records ?? []) out.push({ framework: fw.name, task: t.name, taskId: t.id, name: r.name, rtype: r.rtype, host: r.host });
  return out;
}

/** @type {import('./main.mjs').View} */
export const dnsView = {
  mount(el, ctx, params) {
    const name = /** @type {HTMLInputElement} */ (h('input', { type: 'text', class: 'wide', placeholder: 'web.marathon.mesos  or  _web._tcp.marathon.mesos', value: params.get('name') ?? '' }));
    const type = /** @type {HTMLSelectElement} */ (h('select', null, h('option', { value: 'auto' }, 'A or SRV (by the name)'), h('option', { value: 'A' }, 'A'), h('option', { value: 'SRV' }, 'SRV')));
    const result = h('div', { class: 'result' });
    const filter = /** @type {HTMLInputElement} */ (h('input', { type: 'search', placeholder: 'Filter records…' }));
    const enumBody = h('div');
    const info = h('span', { class: 'mono' });
    /** @type {any} */
    let enumeration = null;
    /** @type {string | null} */
    let enumError = null;
    let domain = '';
    let stopped = false;

    const base = () => ctx.component('dns');

    const lookup = async () => {
      const b = base();
      if (!b || !name.value.trim()) return;
      const fqdn = qualify(name.value, domain);
      const srv = type.value === 'SRV' || (type.value === 'auto' && fqdn.startsWith('_'));
      ctx.setParams(new URLSearchParams({ name: name.value.trim() }));
      fill(result, h('p', { class: 'muted' }, `Looking up ${fqdn}…`));
      try {
        const rows = /** @type {any[]} */ (await getJson(`${b}/v1/${srv ? 'services' : 'hosts'}/${encodeURIComponent(fqdn)}`));
        const found = rows.filter((r) => r.ip || r.host);
        fill(
          result,
          found.length === 0
            ? notice('warn', `No ${srv ? 'SRV' : 'A'} record for ${fqdn}.`)
            : srv
              ? table([{ label: 'Service' }, { label: 'Target' }, { label: 'Address' }, { label: 'Port', class: 'num' }], found.map((r) => [h('span', { class: 'mono' }, fqdn), h('span', { class: 'mono' }, r.host), h('span', { class: 'mono' }, r.ip), r.port]))
              : table([{ label: 'Name' }, { label: 'Address' }], found.map((r) => [h('span', { class: 'mono' }, r.host), h('span', { class: 'mono' }, r.ip)])),
        );
      } catch (e) {
        fill(result, notice('bad', errorText(e)));
      }
    };

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
      if (!b) return render();
      try {
        if (!domain) {
          const cfg = await getJson(`${b}/v1/config`);
          domain = String(cfg.Domain ?? '');
          fill(info, `${b} · domain ${domain}`);
        }
        enumeration = await getJson(`${b}/v1/enumerate`);
        enumError = null;
        ctx.setComponentStatus('dns', true, 'answering');
      } catch (e) {
        enumError = errorText(e);
        ctx.setComponentStatus('dns', false, enumError);
      }
      if (!stopped) render();
    };

    const render = () => {
      const b = base();
      if (!ctx.services) {
        fill(enumBody, h('p', { class: 'muted panel-body' }, 'Looking for the DNS server…'));
        return;
      }
      if (!b) {
        fill(enumBody, notice('info', 'The DNS server is not running in this cluster (no healthy agora-dns in Consul\u2019s catalog). `agora up` starts it.'));
        return;
      }
      if (!enumeration) {
        fill(enumBody, enumError ? notice('bad', `DNS at ${b}: ${enumError}`) : h('p', { class: 'muted panel-body' }, 'Loading…'));
        return;
      }
      const q = filter.value.trim().toLowerCase();
      const all = enumerationRows(enumeration);
      const rows = all.filter((r) => !q || `${r.framework} ${r.task} ${r.name} ${r.host}`.toLowerCase().includes(q));
      fill(count, q ? `${rows.length} of ${all.length} ` : `${all.length} records `);
      fill(
        enumBody,
        enumError ? notice('warn', `Showing older records: ${enumError}`) : null,
        table(
          [{ label: 'Framework' }, { label: 'Task' }, { label: 'Name' }, { label: 'Type' }, { label: 'Answer' }],
          rows.map((r) => [
            r.framework,
            h('span', { title: r.taskId }, r.task),
            h('a', { class: 'mono', href: '#', onclick: (/** @type {Event} */ e) => (e.preventDefault(), (name.value = r.name), (type.value = r.rtype === 'SRV' ? 'SRV' : 'A'), void lookup()) }, r.name),
            badge(r.rtype, r.rtype === 'SRV' ? 'info' : 'muted'),
            h('span', { class: 'mono' }, r.host),
          ]),
          q ? 'No record matches.' : 'No task record yet.',
        ),
      );
    };

    filter.addEventListener('input', render);
    const form = h('form', { class: 'lookup', onsubmit: (/** @type {Event} */ e) => (e.preventDefault(), void lookup()) }, name, type, h('button', { class: 'btn btn-primary', type: 'submit' }, 'Look up'));
    const count = h('span');
    el.append(h('h1', null, 'DNS'), section('Lookup', info, h('div', { class: 'panel-body' }, form, result)), section('Records', h('span', null, count, filter), enumBody));

    // A name in the URL is looked up once the server is known (the catalog may answer after mount).
    let lookupPending = name.value.trim() !== '';
    const lookupOnce = () => {
      if (lookupPending && base()) {
        lookupPending = false;
        void lookup();
      }
    };
    render();
    void load().then(lookupOnce);
    const poll = window.setInterval(() => {
      if (!document.hidden) void load();
    }, POLL_MS);
    return {
      update() {
        if (!enumeration && base()) void load().then(lookupOnce);
      },
      unmount() {
        stopped = true;
        clearInterval(poll);
      },
    };
  },
};
