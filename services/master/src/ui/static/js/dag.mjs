// @ts-check
// Chronos' dependency graph (GET /v1/scheduler/graph/dot) drawn without graphviz: the dot text is read
// for its nodes (with their colour = last result) and edges, jobs are put in columns by their longest
// path from a root, ordered within a column to keep edges short, and drawn as SVG. The parsing and the
// layout are pure (Node's tests import them); only renderDag touches the DOM.
import { s } from './dom.mjs';

/** @typedef {'success' | 'failure' | 'running' | 'fresh'} NodeStatus */

const COLOR_STATUS = /** @type {Record<string, NodeStatus>} */ ({ green: 'success', red: 'failure', yellow: 'running', white: 'fresh' });

const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;
const NODE_RE = new RegExp(String.raw`^\s*${QUOTED}\s*\[([^\]]*)\]\s*;?\s*$`);
const EDGE_RE = new RegExp(String.raw`^\s*${QUOTED}\s*->\s*${QUOTED}\s*;?\s*$`);

/** @param {string} q */
function unquote(q) {
  return q.replace(/\\(.)/g, '$1');
}

/**
 * The nodes (name → status) and edges (parent → child) of a dot digraph as Chronos writes it.
 * @param {string} text
 * @returns {{nodes: Map<string, NodeStatus>, edges: [string, string][]}}
 */
export function parseDot(text) {
  /** @type {Map<string, NodeStatus>} */
  const nodes = new Map();
  /** @type {[string, string][]} */
  const edges = [];
  for (const line of text.split('\n')) {
    const e = EDGE_RE.exec(line);
    if (e) {
      const from = unquote(e[1] ?? '');
      const to = unquote(e[2] ?? '');
      edges.push([from, to]);
      for (const n of [from, to]) if (!nodes.has(n)) nodes.set(n, 'fresh');
      continue;
    }
    const n = NODE_RE.exec(line);
    if (n) {
      const color = /fillcolor\s*=\s*"?(\w+)"?/.exec(n[2] ?? '')?.[1] ?? 'white';
      nodes.set(unquote(n[1] ?? ''), COLOR_STATUS[color] ?? 'fresh');
    }
  }
  return { nodes, edges };
}

/** Virtual nodes carry a long edge through the columns it crosses; they start with this character. */
export const VIA = '\u0000';

/**
 * Columns of the graph (Sugiyama-style, kept small): a node's column is the longest path from a root to
 * it, so every edge points right; an edge spanning several columns gets a virtual node (named
 * `VIA + …`) in each column it crosses, so it is routed around the jobs there; each column is then
 * ordered by the mean position of its neighbours (a few sweeps each way), which keeps most edges from
 * crossing. Nodes on a cycle (Chronos refuses cycles; this only guards) go last.
 * @param {string[]} names
 * @param {[string, string][]} edges
 * @returns {{columns: string[][], routes: string[][]}} columns left to right (each top to bottom), and per
 *   drawable edge the nodes it passes, parent first
 */
export function layoutDag(names, edges) {
  const sorted = [...names].sort();
  const known = new Set(sorted);
  const real = edges.filter(([p, c]) => known.has(p) && known.has(c) && p !== c);
  /** @type {Map<string, string[]>} */
  const parents = new Map(sorted.map((n) => [n, []]));
  /** @type {Map<string, string[]>} */
  const children = new Map(sorted.map((n) => [n, []]));
  for (const [p, c] of real) {
    parents.get(c)?.push(p);
    children.get(p)?.push(c);
  }
  // Kahn's order; the level of a node is 1 + the highest level of its parents.
  /** @type {Map<string, number>} */
  const level = new Map();
  const waiting = new Map(sorted.map((n) => [n, parents.get(n)?.length ?? 0]));
  const ready = sorted.filter((n) => waiting.get(n) === 0);
  while (ready.length > 0) {
    const n = /** @type {string} */ (ready.shift());
    level.set(n, Math.max(0, ...(parents.get(n) ?? []).map((p) => (level.get(p) ?? -1) + 1)));
    for (const c of children.get(n) ?? []) {
      const left = (waiting.get(c) ?? 0) - 1;
      waiting.set(c, left);
      if (left === 0) ready.push(c);
    }
  }
  const maxLevel = Math.max(-1, ...level.values());
  for (const n of sorted) if (!level.has(n)) level.set(n, maxLevel + 1);

  // Long edges become chains through virtual nodes; up/down neighbours are taken along the chains.
  /** @type {Map<string, string[]>} */
  const up = new Map(sorted.map((n) => [n, []]));
  /** @type {Map<string, string[]>} */
  const down = new Map(sorted.map((n) => [n, []]));
  /** @type {string[][]} */
  const routes = [];
  real.forEach(([p, c], i) => {
    const from = level.get(p) ?? 0;
    const to = level.get(c) ?? 0;
    if (to <= from) return; // an edge of a cycle: not drawn
    const chain = [p];
    for (let l = from + 1; l < to; l++) {
      const v = `${VIA}${i}:${l}`;
      level.set(v, l);
      up.set(v, []);
      down.set(v, []);
      chain.push(v);
    }
    chain.push(c);
    for (let k = 1; k < chain.length; k++) {
      up.get(/** @type {string} */ (chain[k]))?.push(/** @type {string} */ (chain[k - 1]));
      down.get(/** @type {string} */ (chain[k - 1]))?.push(/** @type {string} */ (chain[k]));
    }
    routes.push(chain);
  });

  /** @type {string[][]} */
  const columns = [];
  for (const [n, l] of level) (columns[l] ??= []).push(n);
  const cols = columns.filter(Boolean);
  /** @type {Map<string, number>} */
  const pos = new Map();
  cols.forEach((col) => col.forEach((n, i) => pos.set(n, i)));
  /** @param {string[]} col @param {Map<string, string[]>} neighbours */
  const reorder = (col, neighbours) => {
    const key = new Map(
      col.map((n, i) => {
        const ps = (neighbours.get(n) ?? []).map((m) => pos.get(m) ?? 0);
        return [n, ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : i];
      }),
    );
    col.sort((a, b) => (key.get(a) ?? 0) - (key.get(b) ?? 0) || (pos.get(a) ?? 0) - (pos.get(b) ?? 0));
    col.forEach((n, i) => pos.set(n, i));
  };
  for (let sweep = 0; sweep < 6; sweep++) {
    if (sweep % 2 === 0) for (let i = 1; i < cols.length; i++) reorder(/** @type {string[]} */ (cols[i]), up);
    else for (let i = cols.length - 2; i >= 0; i--) reorder(/** @type {string[]} */ (cols[i]), down);
  }
  return { columns: cols, routes };
}

const ROW_H = 44;
const NODE_H = 28;
const GAP_X = 70;
const PAD = 16;
const CHAR_W = 7.8;

/**
 * The graph as an SVG element.
 * @param {{nodes: Map<string, NodeStatus>, edges: [string, string][]}} graph
 * @param {(name: string) => void} [onClick]
 */
export function renderDag(graph, onClick) {
  const { columns, routes } = layoutDag([...graph.nodes.keys()], graph.edges);
  const isVia = (/** @type {string} */ n) => n.startsWith(VIA);
  const widthOf = (/** @type {string} */ n) => (isVia(n) ? 0 : Math.max(70, Math.round(n.length * CHAR_W) + 24));
  const colW = columns.map((col) => Math.max(40, ...col.map(widthOf)));
  const rows = Math.max(1, ...columns.map((c) => c.length));
  const height = rows * ROW_H + PAD * 2;
  /** @type {Map<string, {x: number, y: number, w: number, colX: number, colW: number}>} */
  const at = new Map();
  let x = PAD;
  columns.forEach((col, ci) => {
    const cw = colW[ci] ?? 80;
    // Short columns are centred vertically; a job is centred in its column's width.
    const offset = ((rows - col.length) * ROW_H) / 2;
    col.forEach((n, i) => {
      const w = widthOf(n);
      at.set(n, { x: x + (cw - w) / 2, y: PAD + offset + i * ROW_H + (ROW_H - NODE_H) / 2, w, colX: x, colW: cw });
    });
    x += cw + GAP_X;
  });
  const width = Math.max(x - GAP_X + PAD, 200);
  const edges = routes.flatMap((chain) => {
    const pts = chain.map((n) => at.get(n));
    if (pts.some((p) => !p)) return [];
    const ps = /** @type {{x: number, y: number, w: number, colX: number, colW: number}[]} */ (pts);
    const first = /** @type {typeof ps[0]} */ (ps[0]);
    let d = `M${first.x + first.w},${first.y + NODE_H / 2}`;
    let cx = first.x + first.w;
    let cy = first.y + NODE_H / 2;
    for (let k = 1; k < ps.length; k++) {
      const p = /** @type {typeof ps[0]} */ (ps[k]);
      const last = k === ps.length - 1;
      const tx = last ? p.x - 2 : p.colX;
      const ty = p.y + NODE_H / 2;
      const mid = (cx + tx) / 2;
      d += ` C${mid},${cy} ${mid},${ty} ${tx},${ty}`;
      // A virtual node: straight through its column.
      if (!last) d += ` L${p.colX + p.colW},${ty}`;
      cx = last ? tx : p.colX + p.colW;
      cy = ty;
    }
    const from = /** @type {string} */ (chain[0]);
    const to = /** @type {string} */ (chain[chain.length - 1]);
    return [s('path', { class: 'edge', d, 'marker-end': 'url(#arrow)' }, s('title', null, `${from} → ${to}`))];
  });
  const nodes = [...at].filter(([n]) => !isVia(n)).map(([n, p]) =>
    s(
      'g',
      { class: `node n-${graph.nodes.get(n) ?? 'fresh'}`, transform: `translate(${p.x},${p.y})`, onclick: onClick ? () => onClick(n) : undefined, style: onClick ? { cursor: 'pointer' } : undefined },
      s('title', null, `${n}: ${graph.nodes.get(n) ?? 'fresh'}`),
      s('rect', { width: p.w, height: NODE_H, rx: 6 }),
      s('text', { x: p.w / 2, y: NODE_H / 2 + 4.5, 'text-anchor': 'middle' }, n),
    ),
  );
  return s(
    'svg',
    { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'job dependency graph' },
    s('defs', null, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#8d96a8' }))),
    edges,
    nodes,
  );
}
