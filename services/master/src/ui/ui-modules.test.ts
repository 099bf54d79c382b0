import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { uiStaticDir } from './static-files';

/*
 * The UI's own logic that needs no browser, run in Node: the pure functions of its ES modules (the
 * modules touch `document` only when a view is mounted). Browsers load the same files.
 */

type Graph = { nodes: Map<string, string>; edges: [string, string][] };
type Row = { task: { id: string } };
interface Modules {
  'dag.mjs': { parseDot(text: string): Graph; layoutDag(names: string[], edges: [string, string][]): { columns: string[][]; routes: string[][] }; VIA: string };
  'tasks.mjs': { allTasks(state: unknown): Row[]; filterTasks(rows: Row[], f: Record<string, string>): Row[] };
  'format.mjs': { mb(n: number): string; ago(s: number, nowMs: number): string; span(s: number): string; shortId(id: string, keep: number): string };
  'chronos.mjs': { scheduleText(s: string): string; durationText(s: string): string | undefined };
  'dns.mjs': { qualify(name: string, domain: string): string; enumerationRows(en: unknown): Record<string, string>[] };
  'marathon.mjs': { appPath(id: string): string; eventLine(type: string, e: unknown): string };
  'cluster.mjs': { portCount(text: unknown): number };
}
const load = async <K extends keyof Modules>(file: K): Promise<Modules[K]> => (await import(pathToFileURL(path.join(uiStaticDir(), 'js', file)).href)) as Modules[K];

describe('web UI modules (pure parts)', () => {
  test('every module parses and every relative import resolves', async () => {
    const dir = path.join(uiStaticDir(), 'js');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.mjs'))) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of src.matchAll(/^import .* from '(\.\/[^']+)';$/gm)) assert.ok(fs.existsSync(path.join(dir, m[1] ?? '')), `${f} imports ${m[1]}`);
    }
    // main.mjs runs the page at import; the others only define.
    for (const f of ['dom.mjs', 'format.mjs', 'api.mjs', 'dag.mjs', 'tasks.mjs', 'cluster.mjs', 'sandbox.mjs', 'marathon.mjs', 'chronos.mjs', 'dns.mjs']) await import(pathToFileURL(path.join(dir, f)).href);
  });

  test('dot: nodes with their last result, edges; quoted names', async () => {
    const { parseDot } = await load('dag.mjs');
    const dot = ['digraph G {', '  node [style=filled];', '  "a" [fillcolor=green];', '  "b.x" [fillcolor=red];', '  "c" [fillcolor=white];', '  "d" [fillcolor=yellow];', '  "a" -> "b.x";', '  "a" -> "c";', '  "b.x" -> "c";', '}', ''].join('\n');
    const g = parseDot(dot);
    assert.deepEqual([...g.nodes], [['a', 'success'], ['b.x', 'failure'], ['c', 'fresh'], ['d', 'running']]);
    assert.deepEqual(g.edges, [['a', 'b.x'], ['a', 'c'], ['b.x', 'c']]);
  });

  test('layout: columns by longest path, long edges routed through virtual nodes, cycles survive', async () => {
    const { layoutDag, VIA: via } = await load('dag.mjs');
    const r = layoutDag(['c', 'b', 'a', 'lonely'], [['a', 'b'], ['b', 'c'], ['a', 'c']]);
    const real = r.columns.map((col) => col.filter((n) => !n.startsWith(via)).sort());
    assert.deepEqual(real, [['a', 'lonely'], ['b'], ['c']]);
    const long = r.routes.find((route) => route[0] === 'a' && route[route.length - 1] === 'c');
    assert.equal(long?.length, 3, 'a → c passes one virtual node in b’s column');
    assert.ok(r.columns[1]?.some((n) => n.startsWith(via)));
    const cyc = layoutDag(['x', 'y'], [['x', 'y'], ['y', 'x']]);
    assert.deepEqual(cyc.columns.flat().sort(), ['x', 'y']);
  });

  test('tasks: flattened newest first, filtered by state, framework, agent and text', async () => {
    const { allTasks, filterTasks } = await load('tasks.mjs');
    const t = (id: string, state: string, agent: string, ts: number) => ({ id, name: id.split('.')[0], state, slave_id: agent, statuses: [{ state, timestamp: ts }] });
    const st = {
      frameworks: [{ id: 'f1', name: 'marathon', tasks: [t('web.1', 'TASK_RUNNING', 'a1', 10)], unreachable_tasks: [t('web.2', 'TASK_UNREACHABLE', 'a2', 30)], completed_tasks: [t('web.0', 'TASK_FAILED', 'a1', 5)] }],
      completed_frameworks: [{ id: 'f0', name: 'old', tasks: [], completed_tasks: [t('job.1', 'TASK_FINISHED', 'a2', 20)] }],
    };
    const rows = allTasks(st);
    assert.deepEqual(rows.map((r) => r.task.id), ['web.2', 'job.1', 'web.1', 'web.0']);
    const ids = (f: Record<string, string>) => filterTasks(rows, f).map((r) => r.task.id);
    assert.deepEqual(ids({}), ['web.2', 'web.1'], 'active by default');
    assert.deepEqual(ids({ state: 'terminal' }), ['job.1', 'web.0']);
    assert.deepEqual(ids({ state: 'all', agent: 'a2' }), ['web.2', 'job.1']);
    assert.deepEqual(ids({ state: 'all', framework: 'f1', q: 'WEB.0' }), ['web.0']);
    assert.deepEqual(ids({ state: 'TASK_RUNNING' }), ['web.1']);
  });

  test('formatting and small helpers', async () => {
    const { mb, ago, span, shortId } = await load('format.mjs');
    assert.equal(mb(512), '512 MB');
    assert.equal(mb(22985), '22.4 GB');
    assert.equal(ago(1000, 1_065_000), '1 min ago');
    assert.equal(ago(1100, 1_000_000), 'in 1 min');
    assert.equal(span(7260), '2 h 1 min');
    assert.equal(shortId('0123456789abcdefghij', 4), '0123…ghij');
    const { scheduleText, durationText } = await load('chronos.mjs');
    assert.equal(scheduleText('R/2026-11-21T10:00:00Z/PT1M'), 'every 1 min');
    assert.equal(scheduleText('R3/2026-11-21T10:00:00Z/P1DT12H'), 'every 1 d 12 h, 3 more');
    assert.equal(scheduleText('*/5 * * * *'), '*/5 * * * *');
    assert.equal(durationText('PT'), undefined);
    const { qualify, enumerationRows } = await load('dns.mjs');
    assert.equal(qualify('web.marathon', 'mesos'), 'web.marathon.mesos');
    assert.equal(qualify('web.marathon.mesos.', 'mesos'), 'web.marathon.mesos');
    assert.deepEqual(enumerationRows({ frameworks: [{ name: 'm', tasks: [{ name: 'w', id: 'w.1', records: [{ name: 'w.m.mesos.', host: '1.2.3.4', rtype: 'A' }] }] }] }), [
      { framework: 'm', task: 'w', taskId: 'w.1', name: 'w.m.mesos.', rtype: 'A', host: '1.2.3.4' },
    ]);
    const { appPath, eventLine } = await load('marathon.mjs');
    assert.equal(appPath('/prod/my web'), 'prod/my%20web');
    assert.equal(eventLine('app_terminated_event', { appId: '/x' }), '/x removed');
    const { portCount } = await load('cluster.mjs');
    assert.equal(portCount('[31000-31099, 32000-32000]'), 101);
  });
});
