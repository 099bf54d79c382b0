/**
 * Marathon's `label` filter of GET /v2/apps: comma-separated terms that must all hold —
 * `key` (present), `key==value`, `key!=value`, `key in (a, b)`, `key notin (a, b)`. Commas inside
 * parentheses belong to the value list. Returns an error message for a malformed selector.
 */
export type LabelTerm =
  | { kind: 'exists'; key: string }
  | { kind: 'eq' | 'ne'; key: string; value: string }
  | { kind: 'in' | 'notin'; key: string; values: string[] };

export function parseLabelSelector(text: string): LabelTerm[] | string {
  const terms: LabelTerm[] = [];
  let depth = 0;
  let cur = '';
  const parts: string[] = [];
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    if (p === '') return `invalid label selector: "${text}"`;
    let m = /^([^\s=!()]+)\s*(==|!=)\s*(.*)$/.exec(p);
    if (m) {
      terms.push({ kind: m[2] === '==' ? 'eq' : 'ne', key: m[1] ?? '', value: (m[3] ?? '').trim() });
      continue;
    }
    m = /^([^\s=!()]+)\s+(in|notin)\s*\((.*)\)$/.exec(p);
    if (m) {
      terms.push({ kind: m[2] === 'in' ? 'in' : 'notin', key: m[1] ?? '', values: (m[3] ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '') });
      continue;
    }
    if (/^[^\s=!()]+$/.test(p)) {
      terms.push({ kind: 'exists', key: p });
      continue;
    }
    return `invalid label selector: "${p}"`;
  }
  return terms;
}

export function matchesLabels(terms: readonly LabelTerm[], labels: Record<string, string>): boolean {
  return terms.every((t) => {
    const v = labels[t.key];
    switch (t.kind) {
      case 'exists':
        return v !== undefined;
      case 'eq':
        return v === t.value;
      case 'ne':
        return v !== t.value;
      case 'in':
        return v !== undefined && t.values.includes(v);
      case 'notin':
        return v === undefined || !t.values.includes(v);
    }
  });
}
