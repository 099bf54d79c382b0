import type { Attributes } from '@agora/model';
import type { Constraint } from './app-definition';

/**
 * Placement constraints `[field, OPERATOR, value?]` evaluated against a candidate agent, given where
 * the app's tasks already run. Fields: `hostname`/`@hostname`, `@region`, `@zone`, or any agent
 * attribute. Semantics (Marathon's constraints doc):
 * - UNIQUE: no other task of the app has the candidate's value;
 * - CLUSTER v: the value equals v; CLUSTER without value: equals the value of the tasks already placed;
 * - GROUP_BY [n]: spread evenly — the candidate's value must be among the least used (a new value is
 *   welcome while fewer than n values are in use, or always when n is not given);
 * - MAX_PER n: fewer than n tasks already have the candidate's value;
 * - LIKE / UNLIKE re: the whole value matches / does not match the regular expression;
 * - IS v: the value equals v (numbers compared to 3 decimals).
 * An agent without the field fails every operator but UNLIKE.
 */

export interface Placement {
  hostname: string;
  attributes: Attributes;
  /** Fault-domain region and zone, when the agent has them. */
  region?: string;
  zone?: string;
}

const SCALAR = /^[0-9]+(?:\.[0-9]+)?$/;

/** Numbers compare as Mesos scalars: three decimals, no trailing zeros (`3.0` = `3`, `1.0004` = `1`). */
export function normalizeValue(v: string): string {
  if (!SCALAR.test(v)) return v;
  return String(Math.round(Number(v) * 1000) / 1000);
}

export function fieldValue(field: string, p: Placement): string | undefined {
  switch (field) {
    case 'hostname':
    case '@hostname':
      return p.hostname;
    case '@region':
      return p.region;
    case '@zone':
      return p.zone;
    default: {
      const v = p.attributes[field];
      return v === undefined ? undefined : normalizeValue(v);
    }
  }
}

const regexCache = new Map<string, RegExp | null>();
function fullMatch(pattern: string, value: string): boolean {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`);
    } catch {
      re = null;
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re !== null && re.test(value);
}

function counts(field: string, placed: readonly Placement[]): Map<string | undefined, number> {
  const m = new Map<string | undefined, number>();
  for (const p of placed) {
    const v = fieldValue(field, p);
    m.set(v, (m.get(v) ?? 0) + 1);
  }
  return m;
}

/** What GROUP_BY needs beyond the placements: how many tasks the app wants, how many values exist. */
export interface ConstraintContext {
  /** Target instance count of the app. */
  instances?: number;
  /** Number of distinct values of a field among the cluster's agents, when the caller knows it. */
  valuesInCluster?: (field: string) => number | undefined;
}

export function meetsConstraint(c: Constraint, candidate: Placement, placed: readonly Placement[], ctx: ConstraintContext = {}): boolean {
  const [field, op, value] = c;
  const v = fieldValue(field, candidate);
  if (v === undefined) return op === 'UNLIKE';
  switch (op) {
    case 'UNIQUE':
      return placed.every((p) => fieldValue(field, p) !== v);
    case 'CLUSTER': {
      if (value !== undefined && value !== '') return v === normalizeValue(value);
      const first = placed[0];
      return first === undefined || fieldValue(field, first) === v;
    }
    case 'GROUP_BY':
      return groupByAllows(field, v, value, placed, ctx);
    case 'MAX_PER': {
      const max = Number(value);
      return (counts(field, placed).get(v) ?? 0) < max;
    }
    case 'LIKE':
      return value !== undefined && fullMatch(value, v);
    case 'UNLIKE':
      return value !== undefined && !fullMatch(value, v);
    case 'IS':
      return value !== undefined && v === normalizeValue(value);
    default:
      return false;
  }
}

/** The constraints `candidate` violates (empty = it may take one more task). */
export function unmetConstraints(constraints: readonly Constraint[], candidate: Placement, placed: readonly Placement[], ctx: ConstraintContext = {}): Constraint[] {
  return constraints.filter((c) => !meetsConstraint(c, candidate, placed, ctx));
}

export function meetsAll(constraints: readonly Constraint[], candidate: Placement, placed: readonly Placement[], ctx: ConstraintContext = {}): boolean {
  return constraints.every((c) => meetsConstraint(c, candidate, placed, ctx));
}

/**
 * GROUP_BY: with g groups wanted (the value, else the number of values in the cluster) and n instances,
 * each group takes floor(n/g) tasks and the remainder goes one each to some groups; a new group is
 * opened while fewer than g are in use. Knowing neither g nor n, the least used values are preferred.
 */
function groupByAllows(field: string, v: string, value: string | undefined, placed: readonly Placement[], ctx: ConstraintContext): boolean {
  const used = counts(field, placed);
  used.delete(undefined);
  const mine = used.get(v) ?? 0;
  const groups = value !== undefined && value !== '' ? Number(value) : ctx.valuesInCluster?.(field);
  if (groups === undefined || groups <= 0) {
    if (mine === 0) return true;
    return mine <= Math.min(...used.values());
  }
  if (mine === 0) return used.size < groups;
  if (ctx.instances === undefined) return mine <= Math.min(...used.values()) && used.size >= groups;
  const base = Math.floor(ctx.instances / groups);
  const remainder = ctx.instances % groups;
  let remainderUsed = 0;
  for (const n of used.values()) remainderUsed += Math.max(0, n - base);
  return mine < base || (mine === base && remainder - remainderUsed > 0);
}

/** `UNIQUE hostname`, `MAX_PER rack 2`, `LIKE zone eu-.*` — for messages. */
export function formatConstraint(c: Constraint): string {
  const [field, op, value] = c;
  return value === undefined ? `${op} ${field}` : `${op} ${field} ${value}`;
}
