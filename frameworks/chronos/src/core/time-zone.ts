/**
 * Time zones for schedules: UTC, fixed offsets and IANA zones (through Intl, so the tz database is the
 * one Node ships). "Wall" times are local clock readings encoded as if they were UTC epoch milliseconds,
 * so calendar arithmetic and cron matching can run on plain UTC Dates.
 *
 * DST rules (one place, used by both cron and ISO 8601 schedules):
 * - a wall time that does not exist (spring-forward gap) resolves to the transition instant, i.e. the
 *   first valid instant after it (02:30 on a 02:00→03:00 night runs at 03:00);
 * - a wall time that exists twice (autumn overlap) resolves to its first (earlier) instant only.
 */
export const DAY_MS = 86_400_000;

export interface Zone {
  /** 'UTC', a canonical IANA name, or a fixed offset label such as '+05:30'. */
  readonly id: string;
  /** Set for UTC and fixed-offset zones (no daylight saving); null for IANA zones. */
  readonly fixedOffsetMs: number | null;
}

export const UTC_ZONE: Zone = { id: 'UTC', fixedOffsetMs: 0 };

export function fixedOffsetZone(offsetMs: number): Zone {
  return offsetMs === 0 ? UTC_ZONE : { id: formatOffset(offsetMs), fixedOffsetMs: offsetMs };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const zones = new Map<string, Zone | null>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

const UTC_ALIASES = new Set(['UTC', 'ETC/UTC', 'ETC/UCT', 'UCT', 'ETC/ZULU', 'ZULU', 'Z', 'GMT', 'ETC/GMT', 'ETC/GMT0', 'GMT0', 'ETC/GREENWICH', 'GREENWICH', 'ETC/UNIVERSAL', 'UNIVERSAL']);

/**
 * An IANA name (any case; Intl canonicalises it) → Zone, or null when Intl does not know it.
 * '' is not a zone here: callers decide what an empty scheduleTimeZone means (UTC for cron).
 */
export function resolveTimeZone(name: string): Zone | null {
  const trimmed = name.trim();
  if (trimmed === '') return null;
  if (zones.has(trimmed)) return zones.get(trimmed) ?? null;
  let zone: Zone | null;
  if (UTC_ALIASES.has(trimmed.toUpperCase())) zone = UTC_ZONE;
  else {
    try {
      const canonical = new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
      zone = UTC_ALIASES.has(canonical.toUpperCase()) ? UTC_ZONE : { id: canonical, fixedOffsetMs: null };
    } catch {
      zone = null;
    }
  }
  if (zones.size > 1000) zones.clear();
  zones.set(trimmed, zone);
  return zone;
}

/** Milliseconds to add to an instant to get the zone's wall clock at that instant. */
export function offsetAt(zone: Zone, instantMs: number): number {
  if (zone.fixedOffsetMs !== null) return zone.fixedOffsetMs;
  let y = 1970;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  for (const p of formatterFor(zone.id).formatToParts(new Date(instantMs))) {
    switch (p.type) {
      case 'year':
        y = Number(p.value);
        break;
      case 'month':
        mo = Number(p.value);
        break;
      case 'day':
        d = Number(p.value);
        break;
      case 'hour':
        h = Number(p.value);
        break;
      case 'minute':
        mi = Number(p.value);
        break;
      case 'second':
        s = Number(p.value);
        break;
      default:
        break;
    }
  }
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  return utcFields(y, mo - 1, d, h, mi, s, 0) - wholeSecond;
}

export function instantToWall(zone: Zone, instantMs: number): number {
  return instantMs + offsetAt(zone, instantMs);
}

/** Wall time → instant with the DST rules above. */
export function wallToInstant(zone: Zone, wallMs: number): number {
  if (zone.fixedOffsetMs !== null) return wallMs - zone.fixedOffsetMs;
  // Offsets a day either side bracket any single transition near this wall time.
  const before = offsetAt(zone, wallMs - DAY_MS);
  const after = offsetAt(zone, wallMs + DAY_MS);
  let best: number | null = null;
  for (const candidate of before === after ? [wallMs - before] : [wallMs - before, wallMs - after]) {
    if (instantToWall(zone, candidate) === wallMs && (best === null || candidate < best)) best = candidate;
  }
  if (best !== null) return best;
  if (before === after) return wallMs - before; // no transition found nearby: keep the plain mapping
  // In a gap: the smallest instant whose wall clock is past wallMs is the transition itself.
  let lo = wallMs - Math.max(before, after);
  let hi = wallMs - Math.min(before, after);
  if (instantToWall(zone, lo) > wallMs) return lo;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (instantToWall(zone, mid) > wallMs) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** ISO 8601 with milliseconds and the zone's offset at that instant ('Z' for UTC). */
export function formatInZone(zone: Zone, instantMs: number): string {
  const offset = offsetAt(zone, instantMs);
  const wall = new Date(instantMs + offset).toISOString().slice(0, 23);
  return zone === UTC_ZONE || zone.id === 'UTC' ? `${wall}Z` : `${wall}${formatOffset(offset)}`;
}

export function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(offsetMs / 60_000));
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Date.UTC without its 0–99 → 1900s year quirk. */
export function utcFields(year: number, monthIndex: number, day: number, h: number, mi: number, s: number, ms: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  d.setUTCHours(h, mi, s, ms);
  return d.getTime();
}
