// @ts-check
// The cluster at a glance: leader and masters, totals, agents (resources used/total, attributes,
// status) and frameworks. Everything comes from the master's /master/state, polled by main.mjs.
import { badge, bar, fill, h, notice, section, table } from './dom.mjs';
import { ago, cpus, mb, num, shortId, when } from './format.mjs';
import { allTasks } from './tasks.mjs';

/** Number of ports in Mesos' range text "[31000-31099, 32000-32000]". @param {unknown} text */
export function portCount(text) {
  if (typeof text !== 'string') return 0;
  let n = 0;
  for (const m of text.matchAll(/(\d+)-(\d+)/g)) n += Number(m[2]) - Number(m[1]) + 1;
  return n;
}

/** @param {any} agent */
function agentStatus(agent) {
  if (agent.status === 'UNREACHABLE') return badge('unreachable', 'bad', 'silent past the agent ping timeout');
  if (agent.status === 'GONE') return badge('gone', 'muted');
  if (!agent.active) return badge('inactive', 'warn', 'registered, not offered (recovering or draining)');
  return badge('active', 'ok');
}

/** @param {any} fw */
function frameworkStatus(fw) {
  return [fw.active ? badge('active', 'ok') : badge('inactive', 'warn'), fw.connected ? null : badge('disconnected', 'bad', 'missed its heartbeats; its tasks keep running until its failover timeout')];
}

/** @param {any[]} list @param {string} key */
function sumOf(list, key) {
  return list.reduce((n, r) => n + (Number(r?.[key]) || 0), 0);
}

/** @type {import('./main.mjs').View} */
export const clusterView = {
  mount(el, ctx) {
    const body = h('div');
    el.append(body);
    const render = () => {
      const st = ctx.state;
      if (!st) {
        fill(body, ctx.stateError ? notice('bad', `The master's state is not available: ${ctx.stateError}`) : h('p', { class: 'muted' }, 'Loading the cluster state…'));
        return;
      }
      const agents = /** @type {any[]} */ (st.slaves ?? []);
      const frameworks = /** @type {any[]} */ (st.frameworks ?? []);
      const tasks = allTasks(st);
      const live = tasks.filter((t) => !t.terminal);
      const running = live.filter((t) => t.task.state === 'TASK_RUNNING').length;
      const staging = live.filter((t) => t.task.state === 'TASK_STAGING' || t.task.state === 'TASK_STARTING').length;
      const countOn = new Map();
      for (const t of live) countOn.set(t.task.slave_id, (countOn.get(t.task.slave_id) ?? 0) + 1);
      const total = agents.filter((a) => a.status !== 'GONE').map((a) => a.resources);
      const used = agents.filter((a) => a.status !== 'GONE').map((a) => a.used_resources);
      const leader = st.leader_info;
      const masters = ctx.services?.masters ?? [];
      const leaderUrl = ctx.services?.leader;

      fill(
        body,
        ctx.stateError ? notice('warn', `Showing the state from ${ago(ctx.stateAt / 1000)}: ${ctx.stateError}`) : null,
        h(
          'div',
          { class: 'cards' },
          card('Leader', leader ? `${leader.hostname}:${leader.port}` : '–', [`elected ${ago(st.elected_time)}`, h('br'), `epoch ${st.epoch ?? '–'} · v${st.version}`], when(st.elected_time)),
          card('Agents', `${agents.filter((a) => a.active).length}`, [
            `active of ${agents.length}`,
            st.unreachable_slaves ? [' · ', h('span', { class: 'badge badge-bad' }, `${st.unreachable_slaves} unreachable`)] : null,
          ]),
          card('Frameworks', `${frameworks.filter((f) => f.active).length}`, `active · ${(st.completed_frameworks ?? []).length} completed`),
          card('Tasks', `${running}`, `running · ${staging} staging · ${tasks.length - live.length} finished`),
          resourceCard('CPUs', sumOf(used, 'cpus'), sumOf(total, 'cpus'), cpus),
          resourceCard('Memory', sumOf(used, 'mem'), sumOf(total, 'mem'), mb),
          resourceCard('Disk', sumOf(used, 'disk'), sumOf(total, 'disk'), mb),
        ),
        section(
          'Masters',
          h('span', null, `${masters.length} in Consul's catalog`),
          table(
            [{ label: 'Master' }, { label: 'Role' }, { label: 'UI' }],
            (masters.length > 0 ? masters : leaderUrl ? [leaderUrl] : []).map((url) => [
              h('span', { class: 'mono' }, url),
              url === leaderUrl ? badge('leader', 'ok') : badge('standby', 'muted'),
              h('a', { href: `${url}/ui/` }, 'open'),
            ]),
            'No master in the catalog.',
          ),
        ),
        section(
          'Agents',
          h('span', null, `${agents.length} registered`),
          table(
            [{ label: 'Agent' }, { label: 'Status' }, { label: 'CPUs' }, { label: 'Memory' }, { label: 'Disk' }, { label: 'Ports', class: 'num' }, { label: 'Tasks', class: 'num' }, { label: 'Attributes' }, { label: 'Registered' }],
            agents.map((a) => {
              const portsTotal = portCount(a.resources?.ports);
              const portsUsed = portCount(a.used_resources?.ports);
              return {
                attrs: { class: 'clickable', title: 'Show its tasks', onclick: () => (location.hash = `#/tasks?agent=${encodeURIComponent(a.id)}`) },
                cells: [
                  [h('div', null, h('strong', null, a.hostname)), h('div', { class: 'sub mono', title: a.id }, `${a.pid.replace(/^.*@/, '')} · ${shortId(a.id)}`)],
                  agentStatus(a),
                  bar(Number(a.used_resources?.cpus) || 0, Number(a.resources?.cpus) || 0, cpus),
                  bar(Number(a.used_resources?.mem) || 0, Number(a.resources?.mem) || 0, mb),
                  bar(Number(a.used_resources?.disk) || 0, Number(a.resources?.disk) || 0, mb),
                  h('span', { title: String(a.resources?.ports ?? '') }, portsTotal ? `${portsUsed} / ${portsTotal}` : '–'),
                  String(countOn.get(a.id) ?? 0),
                  Object.entries(a.attributes ?? {}).map(([k, v]) => h('span', { class: 'chip' }, `${k}:${v}`)),
                  h('span', { title: when(a.reregistered_time ?? a.registered_time) }, ago(a.reregistered_time ?? a.registered_time)),
                ],
              };
            }),
            'No agent has registered.',
          ),
        ),
        section(
          'Frameworks',
          h('span', null, `${frameworks.length} registered`),
          table(
            [{ label: 'Framework' }, { label: 'Status' }, { label: 'Role' }, { label: 'Tasks', class: 'num' }, { label: 'CPUs', class: 'num' }, { label: 'Memory', class: 'num' }, { label: 'Offers', class: 'num' }, { label: 'Registered' }],
            frameworks.map((f) => ({
              attrs: { class: 'clickable', title: 'Show its tasks', onclick: () => (location.hash = `#/tasks?framework=${encodeURIComponent(f.id)}`) },
              cells: [
                [h('div', null, h('strong', null, f.name), f.webui_url ? [' ', h('a', { href: f.webui_url, onclick: (/** @type {Event} */ e) => e.stopPropagation() }, '↗')] : null), h('div', { class: 'sub mono', title: f.id }, `${shortId(f.id)}${f.hostname ? ` · ${f.hostname}` : ''}`)],
                frameworkStatus(f),
                f.role,
                String((f.tasks ?? []).length + (f.unreachable_tasks ?? []).length),
                cpus(Number(f.used_resources?.cpus) || 0),
                mb(Number(f.used_resources?.mem) || 0),
                num((f.offers ?? []).length),
                h('span', { title: when(f.registered_time) }, ago(f.registered_time)),
              ],
            })),
            'No framework is registered.',
          ),
        ),
      );
    };
    render();
    return { update: render };
  },
};

/**
 * @param {string} label
 * @param {string} value
 * @param {import('./dom.mjs').Child} sub
 * @param {string} [title]
 * @param {import('./dom.mjs').Child} [extra]
 */
function card(label, value, sub, title, extra) {
  return h('div', { class: 'card', title }, h('div', { class: 'card-label' }, label), h('div', { class: 'card-value' }, value), sub ? h('div', { class: 'card-sub' }, sub) : null, extra);
}

/**
 * Used of total, in words and as a bar (the bar's own figures would not fit a card).
 * @param {string} label @param {number} used @param {number} total @param {(n: number) => string} fmt
 */
function resourceCard(label, used, total, fmt) {
  const pct = total > 0 ? Math.round((used / total) * 100) : 0;
  const b = bar(used, total, fmt);
  b.querySelector('.bar-text')?.remove();
  return card(label, fmt(used), `of ${fmt(total)} · ${pct} %`, undefined, b);
}
