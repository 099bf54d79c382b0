/**
 * 5-field cron expressions and the @-macros, matched on wall time (see time-zone.ts) with cron-parser
 * running in UTC, so cron-parser never sees a DST transition: time-zone.ts alone decides what a skipped
 * or repeated local time means.
 */
import { CronExpressionParser, type CronExpression } from 'cron-parser';

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface CronSpec {
  /** What the user wrote, trimmed. */
  readonly source: string;
  /** The 5-field form (macros expanded). */
  readonly fields: string;
  readonly expression: CronExpression;
}

const cache = new Map<string, CronSpec>();

/** ISO 8601 repeating intervals start with R; no cron field (nor macro) does. */
export function looksLikeCron(text: string): boolean {
  return !/^R/i.test(text.trim());
}

/** A cron expression → spec, or a message saying what is wrong. */
export function parseCron(text: string): CronSpec | string {
  const source = text.trim().replace(/\s+/g, ' ');
  const hit = cache.get(source);
  if (hit) return hit;
  let fields: string;
  if (source.startsWith('@')) {
    const expanded = MACROS[source.toLowerCase()];
    if (!expanded) return `unknown macro "${source}" (use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)`;
    fields = expanded;
  } else {
    const parts = source.split(' ');
    if (parts.length !== 5 || source === '') return `cron expression "${source}" must have 5 fields (minute hour day-of-month month day-of-week)`;
    // cron-parser's H (hash) picks random values without a seed: schedules must be deterministic.
    if (parts.some((p) => /h/i.test(p.replace(/thu/gi, '')))) return `cron expression "${source}" uses H, which is not supported`;
    fields = source;
  }
  let expression: CronExpression;
  try {
    expression = CronExpressionParser.parse(`0 ${fields}`, { tz: 'UTC', currentDate: new Date(0) });
    // Some expressions parse but never fire (e.g. 31 April): cron-parser throws when asked for a time.
    expression.next();
  } catch (err) {
    return `cron expression "${source}" is invalid: ${err instanceof Error ? err.message : String(err)}`;
  }
  const spec: CronSpec = { source, fields, expression };
  if (cache.size > 10_000) cache.clear();
  cache.set(source, spec);
  return spec;
}

/** The first wall time strictly after `wallMs` that the expression matches; null if none. */
export function nextCronWall(spec: CronSpec, wallMs: number): number | null {
  try {
    spec.expression.reset(new Date(wallMs));
    return spec.expression.next().getTime();
  } catch {
    return null;
  }
}
