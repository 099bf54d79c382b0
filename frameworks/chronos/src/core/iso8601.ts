/**
 * The ISO 8601 pieces Chronos schedules use: date-times, durations (periods) and repeating intervals
 * `R[n]/<start>/<period>`. Parsing only; evaluation against a zone lives in schedule.ts.
 */
import { DAY_MS, utcFields } from './time-zone';

export interface IsoPeriod {
  /** Normalised text (upper case), kept to print schedules back. */
  readonly text: string;
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  /** The H/M/S part in milliseconds: elapsed time, unaffected by daylight saving. */
  readonly exactMs: number;
}

export interface IsoDateTime {
  /** The clock reading as UTC epoch ms (the "wall" encoding of time-zone.ts). */
  readonly wallMs: number;
  /** The offset written in the text; null when none was written. */
  readonly offsetMs: number | null;
}

export interface RepeatingInterval {
  /** null = `R` (forever). */
  readonly repetitions: number | null;
  /** null = empty start, which Chronos reads as "now". */
  readonly start: IsoDateTime | null;
  readonly period: IsoPeriod;
}

const PERIOD_RE = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

export function parseIsoPeriod(text: string): IsoPeriod | null {
  const t = text.trim().toUpperCase();
  const m = PERIOD_RE.exec(t);
  if (!m || t === 'P' || t.endsWith('T')) return null;
  const n = (i: number): number => Number((m[i] ?? '0').replace(',', '.'));
  const hours = n(5);
  const minutes = n(6);
  const seconds = n(7);
  const period: IsoPeriod = {
    text: t,
    years: n(1),
    months: n(2),
    weeks: n(3),
    days: n(4),
    exactMs: hours * 3_600_000 + minutes * 60_000 + Math.round(seconds * 1000),
  };
  return [period.years, period.months, period.weeks, period.days, period.exactMs].every(Number.isSafeInteger) ? period : null;
}

/** Rough length, for estimates and minimum checks only (months are 30.44 days here). */
export function approxPeriodMs(p: IsoPeriod): number {
  return p.years * 365.2425 * DAY_MS + p.months * 30.436875 * DAY_MS + (p.weeks * 7 + p.days) * DAY_MS + p.exactMs;
}

export function hasCalendarPart(p: IsoPeriod): boolean {
  return p.years !== 0 || p.months !== 0 || p.weeks !== 0 || p.days !== 0;
}

const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

export function parseIsoDateTime(text: string): IsoDateTime | null {
  const m = DATE_TIME_RE.exec(text.trim().toUpperCase());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? '0')) as [number, number, number, number, number, number];
  const ms = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month - 1)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const wallMs = utcFields(year, month - 1, day, hour, minute, second, ms);
  const off = m[8];
  let offsetMs: number | null = null;
  if (off === 'Z') offsetMs = 0;
  else if (off) {
    const digits = off.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 18 || om > 59) return null;
    offsetMs = (off.startsWith('-') ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return { wallMs, offsetMs };
}

/** `R[n]/<start>/<period>` → parts, or a message saying what is wrong. */
export function parseRepeatingInterval(text: string): RepeatingInterval | string {
  const parts = text.trim().split('/');
  if (parts.length !== 3) return 'must be R[n]/<start>/<period> (e.g. R/2026-01-01T00:00:00Z/PT1H) or a cron expression';
  const [rep, startText, periodText] = parts as [string, string, string];
  const rm = /^R(\d*)$/i.exec(rep);
  if (!rm) return `repetitions "${rep}" must be R (forever) or Rn`;
  const repetitions = rm[1] ? Number(rm[1]) : null;
  if (repetitions !== null && !Number.isSafeInteger(repetitions)) return `repetitions "${rep}" is too large`;
  let start: IsoDateTime | null = null;
  if (startText.trim() !== '') {
    start = parseIsoDateTime(startText);
    if (!start) return `start "${startText}" is not an ISO 8601 date-time (YYYY-MM-DDThh:mm:ss[.sss][Z|±hh:mm])`;
  }
  const period = parseIsoPeriod(periodText);
  if (!period) return `period "${periodText}" is not an ISO 8601 duration (e.g. PT1H, P1D, P1M, PT30S)`;
  if (approxPeriodMs(period) < 1000) return `period "${periodText}" must be at least one second`;
  return { repetitions, start, period };
}

export function daysInMonth(year: number, monthIndex: number): number {
  return new Date(utcFields(year, monthIndex + 1, 0, 0, 0, 0, 0)).getUTCDate();
}

/**
 * Calendar arithmetic on a wall time: years and months first (the day clamps to the month's length:
 * Jan 31 + P1M = Feb 28), then days. Callers pass multiples of the period from a fixed anchor, so a
 * clamped month never shortens later occurrences.
 */
export function addCalendar(wallMs: number, years: number, months: number, days: number): number {
  if (years === 0 && months === 0) return wallMs + days * DAY_MS;
  const d = new Date(wallMs);
  const total = d.getUTCMonth() + months + 12 * years;
  const year = d.getUTCFullYear() + Math.floor(total / 12);
  const monthIndex = ((total % 12) + 12) % 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, monthIndex));
  return utcFields(year, monthIndex, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()) + days * DAY_MS;
}
