/**
 * A job's schedule — Chronos' ISO 8601 repeating interval or a cron expression — evaluated in its time
 * zone. Every function is pure: time comes in as arguments.
 *
 * Semantics:
 * - Times are instants; `nextRunAfter(s, t)` is the first run strictly after t, `runsBetween(s, a, b)`
 *   the runs in (a, b].
 * - DST (see time-zone.ts): a local time skipped in spring runs once, at the transition (the next valid
 *   time); a local time repeated in autumn runs once, at its first occurrence. Several skipped times
 *   that resolve to the same instant run once.
 * - ISO 8601: scheduleTimeZone, when set, overrides the offset written in the start (the start's clock
 *   reading is taken in that zone), as in Chronos. Y/M/W/D of the period are calendar steps on the local
 *   clock (P1D keeps 02:00 across DST); H/M/S are elapsed time (PT24H is 24 real hours). Occurrence k is
 *   start + k×period from the anchor, so month-end clamping never drifts (Jan 31, Feb 28, Mar 31 …).
 * - Cron: 5 fields or a macro, in scheduleTimeZone (UTC when empty).
 */
import { looksLikeCron, nextCronWall, parseCron, type CronSpec } from './cron';
import { addCalendar, approxPeriodMs, hasCalendarPart, parseRepeatingInterval, type IsoPeriod } from './iso8601';
import { fixedOffsetZone, formatInZone, instantToWall, resolveTimeZone, UTC_ZONE, wallToInstant, type Zone } from './time-zone';

interface ScheduleBase {
  /** The schedule text with an empty ISO start replaced by the instant it was read ("pinned"). */
  readonly source: string;
  /** Canonical scheduleTimeZone, '' when none was given. */
  readonly timeZone: string;
  readonly zone: Zone;
}

export interface CronSchedule extends ScheduleBase {
  readonly kind: 'cron';
  readonly cron: CronSpec;
}

export interface IsoSchedule extends ScheduleBase {
  readonly kind: 'iso8601';
  /** null = forever. */
  readonly repetitions: number | null;
  readonly startWall: number;
  /** Occurrence 0 as an instant. */
  readonly startInstant: number;
  readonly period: IsoPeriod;
}

export type Schedule = CronSchedule | IsoSchedule;

export type ScheduleParse =
  | { readonly ok: true; readonly schedule: Schedule }
  | { readonly ok: false; readonly field: 'schedule' | 'scheduleTimeZone'; readonly message: string };

const memo = new Map<string, ScheduleParse>();

/**
 * Parses a schedule. `now` is only read for an ISO schedule with an empty start ("start now"); the
 * result's `source` then carries that instant, so storing `source` makes the schedule stable.
 */
export function parseSchedule(text: string, opts: { readonly timeZone?: string | undefined; readonly now: Date }): ScheduleParse {
  const tzText = (opts.timeZone ?? '').trim();
  const key = `${tzText}\n${text}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const result = parseUncached(text, tzText, opts.now);
  // A result that depended on `now` (empty start) must not be reused.
  if (!result.ok || result.schedule.source === text.trim()) {
    if (memo.size > 10_000) memo.clear();
    memo.set(key, result);
  }
  return result;
}

function parseUncached(text: string, tzText: string, now: Date): ScheduleParse {
  let tz: Zone | null = null;
  if (tzText !== '') {
    tz = resolveTimeZone(tzText);
    if (!tz) return { ok: false, field: 'scheduleTimeZone', message: `"${tzText}" is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)` };
  }
  const timeZone = tz ? tz.id : '';
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, field: 'schedule', message: 'schedule is empty' };
  if (looksLikeCron(trimmed)) {
    const cron = parseCron(trimmed);
    if (typeof cron === 'string') return { ok: false, field: 'schedule', message: cron };
    return { ok: true, schedule: { kind: 'cron', source: trimmed, timeZone, zone: tz ?? UTC_ZONE, cron } };
  }
  const ri = parseRepeatingInterval(trimmed);
  if (typeof ri === 'string') return { ok: false, field: 'schedule', message: ri };
  let zone: Zone;
  let startWall: number;
  let source = trimmed;
  if (ri.start === null) {
    zone = tz ?? UTC_ZONE;
    startWall = instantToWall(zone, now.getTime());
    source = `R${ri.repetitions ?? ''}/${formatInZone(zone, now.getTime())}/${ri.period.text}`;
  } else {
    zone = tz ?? (ri.start.offsetMs === null ? UTC_ZONE : fixedOffsetZone(ri.start.offsetMs));
    startWall = ri.start.wallMs;
  }
  return {
    ok: true,
    schedule: { kind: 'iso8601', source, timeZone, zone, repetitions: ri.repetitions, startWall, startInstant: wallToInstant(zone, startWall), period: ri.period },
  };
}

/** Occurrence k (0-based) of an ISO schedule as an instant, ignoring the repetition limit. */
export function occurrence(s: IsoSchedule, k: number): number {
  const p = s.period;
  const base = hasCalendarPart(p) ? wallToInstant(s.zone, addCalendar(s.startWall, k * p.years, k * p.months, k * (7 * p.weeks + p.days))) : s.startInstant;
  return base + k * p.exactMs;
}

/** Index of the first occurrence strictly after `afterMs` (may be ≥ repetitions). */
export function firstIndexAfter(s: IsoSchedule, afterMs: number): number {
  if (s.startInstant > afterMs) return 0;
  let k = Math.max(0, Math.floor((afterMs - s.startInstant) / approxPeriodMs(s.period)));
  while (k > 0 && occurrence(s, k - 1) > afterMs) k--;
  while (occurrence(s, k) <= afterMs) k++;
  return k;
}

export function nextRunAfter(s: Schedule, after: Date): Date | null {
  const t = nextRunAfterMs(s, after.getTime());
  return t === null ? null : new Date(t);
}

export function nextRunAfterMs(s: Schedule, afterMs: number): number | null {
  if (s.kind === 'iso8601') {
    const k = firstIndexAfter(s, afterMs);
    return s.repetitions !== null && k >= s.repetitions ? null : occurrence(s, k);
  }
  if (s.zone.fixedOffsetMs !== null) {
    const w = nextCronWall(s.cron, afterMs + s.zone.fixedOffsetMs);
    return w === null ? null : w - s.zone.fixedOffsetMs;
  }
  // Walk matching wall times from the wall clock at `after`; in an autumn overlap the first matches
  // resolve to instants already passed (their first occurrence), which is what makes them run once.
  let wall = instantToWall(s.zone, afterMs);
  for (let i = 0; i < 100_000; i++) {
    const next = nextCronWall(s.cron, wall);
    if (next === null) return null;
    const t = wallToInstant(s.zone, next);
    if (t > afterMs) return t;
    wall = next;
  }
  return null;
}

/** Runs in (from, to], oldest first, at most `limit` of them. */
export function runsBetween(s: Schedule, from: Date, to: Date, limit = 1000): Date[] {
  return runsBetweenMs(s, from.getTime(), to.getTime(), limit).map((t) => new Date(t));
}

export function runsBetweenMs(s: Schedule, fromMs: number, toMs: number, limit = 1000): number[] {
  const out: number[] = [];
  if (fromMs >= toMs) return out;
  let t = fromMs;
  while (out.length < limit) {
    const next = nextRunAfterMs(s, t);
    if (next === null || next > toMs) break;
    out.push(next);
    t = next;
  }
  return out;
}

/** Runs left after `after`: null for forever (R and cron). */
export function remainingRuns(s: Schedule, after: Date): number | null {
  if (s.kind === 'cron' || s.repetitions === null) return null;
  return Math.max(0, s.repetitions - firstIndexAfter(s, after.getTime()));
}

/**
 * The schedule as Chronos shows it after runs have happened: `R<left>/<next start>/<period>` (Chronos
 * rewrites the stored schedule after each run; Agora keeps the anchor and derives this view, so
 * repeated rewrites cannot drift). Cron schedules are shown as written.
 */
export function describeSchedule(s: Schedule, after: Date): string {
  if (s.kind === 'cron') return s.source;
  const k = firstIndexAfter(s, after.getTime());
  const left = s.repetitions === null ? '' : String(Math.max(0, s.repetitions - k));
  return `R${left}/${formatInZone(s.zone, occurrence(s, k))}/${s.period.text}`;
}
