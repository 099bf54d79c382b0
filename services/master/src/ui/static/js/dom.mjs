// @ts-check
// Building DOM nodes. Every piece of data goes in as text (textContent / attributes), never as HTML, so
// task names, app ids or log lines cannot inject markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * @typedef {Node | string | number | null | undefined | false} Leaf
 * @typedef {Leaf | Leaf[] | (Leaf | Leaf[])[] | any[]} Child
 * @typedef {Record<string, unknown>} Attrs
 */

/**
 * @param {Element} el
 * @param {Attrs | null | undefined} attrs
 */
function applyAttrs(el, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), /** @type {EventListener} */ (v));
    else if (k === 'dataset' && typeof v === 'object') Object.assign(/** @type {HTMLElement} */ (el).dataset, v);
    // Through CSSOM: the page's CSP forbids style attributes.
    else if (k === 'style' && typeof v === 'object') for (const [p, pv] of Object.entries(v)) /** @type {HTMLElement} */ (el).style.setProperty(p, String(pv));
    else if (k === 'value' && 'value' in el) /** @type {HTMLInputElement} */ (el).value = String(v);
    else if (k === 'checked' && 'checked' in el) /** @type {HTMLInputElement} */ (el).checked = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

/**
 * @param {Element} el
 * @param {Child[]} children
 */
function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (typeof c === 'string' || typeof c === 'number') el.appendChild(document.createTextNode(String(c)));
    else el.appendChild(c);
  }
}

/**
 * An HTML element: h('td', {class: 'num'}, '42').
 * @param {string} tag
 * @param {Attrs | null} [attrs]
 * @param {...Child} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

/**
 * An SVG element.
 * @param {string} tag
 * @param {Attrs | null} [attrs]
 * @param {...Child} children
 * @returns {SVGElement}
 */
export function s(tag, attrs, ...children) {
  const el = /** @type {SVGElement} */ (document.createElementNS(SVG_NS, tag));
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

/**
 * Replaces the children of `el`.
 * @param {Element} el
 * @param {...Child} children
 */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/**
 * A coloured label. Kinds: ok, warn, bad, info, muted.
 * @param {string} text
 * @param {string} kind
 * @param {string} [title]
 */
export function badge(text, kind, title) {
  return h('span', { class: `badge badge-${kind}`, title }, text);
}

/**
 * A used/total bar with its figures. `usage` bars (resources) turn amber and red as they fill;
 * `progress` bars (instances running of wanted) are green when full.
 * @param {number} used
 * @param {number} total
 * @param {(n: number) => string} fmt
 * @param {'usage' | 'progress'} [kind]
 */
export function bar(used, total, fmt, kind = 'usage') {
  const pct = total > 0 ? Math.min(100, (used / total) * 100) : 0;
  const level = kind === 'progress' ? (total > 0 && used >= total ? 'done' : 'ok') : pct >= 90 ? 'bad' : pct >= 70 ? 'warn' : 'ok';
  return h(
    'div',
    { class: 'bar', title: `${fmt(used)} of ${fmt(total)} (${pct.toFixed(0)} %)` },
    h('div', { class: 'bar-track' }, h('div', { class: `bar-fill bar-${level}`, style: { width: `${pct.toFixed(1)}%` } })),
    h('span', { class: 'bar-text' }, `${fmt(used)} / ${fmt(total)}`),
  );
}

/**
 * A table. Columns: {label, class?}; rows: arrays of cells (Child) or {cells, attrs}.
 * @param {{label: string, class?: string, title?: string}[]} columns
 * @param {(Child[] | {cells: Child[], attrs?: Attrs})[]} rows
 * @param {string} [empty] text shown when there are no rows
 */
export function table(columns, rows, empty = 'Nothing here.') {
  const head = h('thead', null, h('tr', null, columns.map((c) => h('th', { class: c.class, title: c.title }, c.label))));
  const body = h(
    'tbody',
    null,
    rows.length === 0
      ? h('tr', { class: 'empty' }, h('td', { colspan: columns.length }, empty))
      : rows.map((r) => {
          const cells = Array.isArray(r) ? r : r.cells;
          const attrs = Array.isArray(r) ? null : r.attrs;
          return h('tr', attrs ?? null, cells.map((c, i) => h('td', { class: columns[i]?.class }, c)));
        }),
  );
  return h('div', { class: 'table-wrap' }, h('table', null, head, body));
}

/**
 * A titled section.
 * @param {string} title
 * @param {Child} [aside] shown at the right of the title
 * @param {...Child} children
 */
export function section(title, aside, ...children) {
  return h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', null, title), aside ? h('div', { class: 'panel-aside' }, aside) : null), children);
}

/**
 * A message box (kinds: info, warn, bad).
 * @param {string} kind
 * @param {...Child} children
 */
export function notice(kind, ...children) {
  return h('div', { class: `notice notice-${kind}` }, children);
}
