/**
 * Chronos placement constraints `[attribute, EQUALS|LIKE|UNLIKE, value]` against an offer's agent:
 * EQUALS compares the attribute's value; LIKE needs the value to match the regular expression in full;
 * UNLIKE needs it not to (an agent without the attribute passes UNLIKE and fails the others).
 * `hostname` is an implicit attribute: the agent's hostname (its offered address here).
 */
export interface ConstraintTarget {
  hostname: string;
  attributes: Readonly<Record<string, string>>;
}

function valueOf(target: ConstraintTarget, attribute: string): string | undefined {
  if (attribute === 'hostname') return target.hostname;
  return target.attributes[attribute];
}

const compiled = new Map<string, RegExp>();
function fullMatch(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

/** The first constraint the target does not meet, in words; null when all are met. */
export function unmetConstraint(constraints: readonly (readonly string[])[], target: ConstraintTarget): string | null {
  for (const c of constraints) {
    const [attribute = '', rawOp = '', value = ''] = c;
    const op = rawOp.toUpperCase();
    const have = valueOf(target, attribute);
    let ok: boolean;
    if (op === 'EQUALS') ok = have === value;
    else if (op === 'LIKE') ok = have !== undefined && fullMatch(value).test(have);
    else if (op === 'UNLIKE') ok = have === undefined || !fullMatch(value).test(have);
    else ok = false;
    if (!ok) return `${attribute} ${op} ${value} (agent has ${have === undefined ? 'no such attribute' : `"${have}"`})`;
  }
  return null;
}

export function meetsConstraints(constraints: readonly (readonly string[])[], target: ConstraintTarget): boolean {
  return constraints.length === 0 || unmetConstraint(constraints, target) === null;
}
