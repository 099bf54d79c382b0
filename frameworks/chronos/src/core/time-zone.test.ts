import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatInZone, instantToWall, offsetAt, resolveTimeZone, UTC_ZONE, wallToInstant, type Zone } from './time-zone';
import { addCalendar, parseIsoDateTime, parseIsoPeriod } from './iso8601';

const zone = (name: string): Zone => {
  const z = resolveTimeZone(name);
  assert.ok(z);
  return z;
};
const wall = (s: string): number => Date.parse(`${s}Z`);
const iso = (t: number): string => new Date(t).toISOString();

describe('time zones', () => {
  test('offsets', () => {
    assert.equal(offsetAt(zone('America/New_York'), Date.parse('2026-01-15T12:00:00Z')), -5 * 3600_000);
    assert.equal(offsetAt(zone('America/New_York'), Date.parse('2026-07-15T12:00:00Z')), -4 * 3600_000);
    assert.equal(offsetAt(zone('Australia/Lord_Howe'), Date.parse('2026-07-15T12:00:00Z')), 10.5 * 3600_000);
    assert.equal(offsetAt(zone('Australia/Lord_Howe'), Date.parse('2026-01-15T12:00:00Z')), 11 * 3600_000);
  });
  test('a skipped local time resolves to the transition, a repeated one to its first instant', () => {
    const ny = zone('America/New_York');
    assert.equal(iso(wallToInstant(ny, wall('2026-03-08T02:30:00'))), '2026-03-08T07:00:00.000Z');
    assert.equal(iso(wallToInstant(ny, wall('2026-03-08T03:00:00'))), '2026-03-08T07:00:00.000Z');
    assert.equal(iso(wallToInstant(ny, wall('2026-11-01T01:30:00'))), '2026-11-01T05:30:00.000Z');
    const lh = zone('Australia/Lord_Howe');
    assert.equal(iso(wallToInstant(lh, wall('2026-10-04T02:10:00'))), '2026-10-03T15:30:00.000Z');
    assert.equal(iso(wallToInstant(lh, wall('2026-04-05T01:40:00'))), '2026-04-04T14:40:00.000Z');
  });
  test('property: wall → instant → wall is the identity except inside a gap', () => {
    const zones = ['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'UTC', 'Asia/Kolkata'].map(zone);
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') }), (z, w) => {
        const t = wallToInstant(z, w);
        const back = instantToWall(z, t);
        if (back !== w) {
          // in a gap: t is the transition and every earlier instant reads before w
          assert.notEqual(offsetAt(z, t - 1), offsetAt(z, t));
          assert.ok(instantToWall(z, t - 1) < w && back > w);
        }
      }),
    );
  });
  test('formatting and zone names', () => {
    assert.equal(formatInZone(UTC_ZONE, Date.parse('2026-01-15T12:00:00Z')), '2026-01-15T12:00:00.000Z');
    assert.equal(formatInZone(zone('Asia/Kolkata'), Date.parse('2026-01-15T12:00:00Z')), '2026-01-15T17:30:00.000+05:30');
    assert.equal(resolveTimeZone(''), null);
    assert.equal(resolveTimeZone('Not/AZone'), null);
    assert.equal(resolveTimeZone('utc'), UTC_ZONE);
  });
});

describe('ISO 8601 pieces', () => {
  test('periods', () => {
    assert.deepEqual(parseIsoPeriod('P1Y2M3W4DT5H6M7.5S'), { text: 'P1Y2M3W4DT5H6M7.5S', years: 1, months: 2, weeks: 3, days: 4, exactMs: 5 * 3600_000 + 6 * 60_000 + 7500 });
    for (const bad of ['P', 'PT', 'P1DT', '1D', 'P1H', 'PT1D', 'P-1D']) assert.equal(parseIsoPeriod(bad), null, bad);
  });
  test('date-times', () => {
    assert.deepEqual(parseIsoDateTime('2026-01-15T12:00:00Z'), { wallMs: Date.parse('2026-01-15T12:00:00Z'), offsetMs: 0 });
    assert.deepEqual(parseIsoDateTime('2026-01-15T12:00:00.25+05:30'), { wallMs: Date.parse('2026-01-15T12:00:00.250Z'), offsetMs: 5.5 * 3600_000 });
    assert.deepEqual(parseIsoDateTime('2026-01-15T12:00'), { wallMs: Date.parse('2026-01-15T12:00:00Z'), offsetMs: null });
    for (const bad of ['2026-02-29T00:00:00Z', '2026-01-15T24:00:00Z', '2026-1-5T00:00:00Z', 'yesterday']) assert.equal(parseIsoDateTime(bad), null, bad);
  });
  test('calendar arithmetic clamps to the month end', () => {
    assert.equal(iso(addCalendar(wall('2024-02-29T10:00:00'), 1, 0, 0)), '2025-02-28T10:00:00.000Z');
    assert.equal(iso(addCalendar(wall('2026-01-31T10:00:00'), 0, 13, 1)), '2027-03-01T10:00:00.000Z');
  });
});
