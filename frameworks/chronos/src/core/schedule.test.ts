import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describeSchedule, nextRunAfter, parseSchedule, remainingRuns, runsBetween, type Schedule } from './schedule';
import { instantToWall, offsetAt, resolveTimeZone } from './time-zone';
import { parseCron } from './cron';

const NOW = new Date('2026-01-15T12:00:00.000Z');

function sched(text: string, timeZone?: string): Schedule {
  const r = parseSchedule(text, { timeZone, now: NOW });
  if (!r.ok) throw new Error(`${r.field}: ${r.message}`);
  return r.schedule;
}
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
function next(s: Schedule, after: string, n: number): string[] {
  const out: string[] = [];
  let t = new Date(after);
  for (let i = 0; i < n; i++) {
    const r = nextRunAfter(s, t);
    if (!r) break;
    out.push(r.toISOString());
    t = r;
  }
  return out;
}
const between = (s: Schedule, from: string, to: string): string[] => runsBetween(s, new Date(from), new Date(to)).map((d) => d.toISOString());

describe('parseSchedule', () => {
  test('ISO 8601 repeating intervals and cron are both accepted', () => {
    assert.equal(sched('R/2026-01-01T00:00:00Z/PT1H').kind, 'iso8601');
    assert.equal(sched('R5/2026-01-01T00:00:00.000+02:00/P1DT2H').kind, 'iso8601');
    assert.equal(sched('*/5 * * * *').kind, 'cron');
    for (const m of ['@hourly', '@daily', '@weekly', '@monthly', '@yearly', '@annually', '@midnight']) assert.equal(sched(m).kind, 'cron', m);
  });
  test('invalid schedules name the field and say why', () => {
    const bad: Array<[string, string | undefined, string, RegExp]> = [
      ['', undefined, 'schedule', /empty/],
      ['R/2026-01-01T00:00:00Z', undefined, 'schedule', /R\[n\]/],
      ['R/2026-13-01T00:00:00Z/PT1H', undefined, 'schedule', /start/],
      ['R/2026-02-30T00:00:00Z/PT1H', undefined, 'schedule', /start/],
      ['R/2026-01-01T00:00:00Z/PT0S', undefined, 'schedule', /at least one second/],
      ['R/2026-01-01T00:00:00Z/1H', undefined, 'schedule', /duration/],
      ['R/2026-01-01T00:00:00Z/PT', undefined, 'schedule', /duration/],
      ['Rx/2026-01-01T00:00:00Z/PT1H', undefined, 'schedule', /repetitions/],
      ['* * * *', undefined, 'schedule', /5 fields/],
      ['0 0 * * * *', undefined, 'schedule', /5 fields/],
      ['61 * * * *', undefined, 'schedule', /invalid/],
      ['0 0 31 2 *', undefined, 'schedule', /invalid/],
      ['H * * * *', undefined, 'schedule', /H/],
      ['@reboot', undefined, 'schedule', /macro/],
      ['0 0 * * *', 'Mars/Olympus', 'scheduleTimeZone', /IANA/],
    ];
    for (const [text, tz, field, msg] of bad) {
      const r = parseSchedule(text, { timeZone: tz, now: NOW });
      assert.equal(r.ok, false, text);
      if (!r.ok) {
        assert.equal(r.field, field, text);
        assert.match(r.message, msg, text);
      }
    }
  });
  test('day names containing h are not mistaken for H', () => {
    assert.equal(sched('0 9 * * thu').kind, 'cron');
  });
  test('an empty start is pinned to now, in the schedule time zone', () => {
    assert.equal(sched('R1//PT1S').source, 'R1/2026-01-15T12:00:00.000Z/PT1S');
    assert.equal(sched('R//P1D', 'Europe/Berlin').source, 'R/2026-01-15T13:00:00.000+01:00/P1D');
    // re-reading the pinned text in the same zone gives the same first run
    const pinned = sched('R//P1D', 'Europe/Berlin');
    assert.equal(iso(nextRunAfter(sched(pinned.source, 'Europe/Berlin'), new Date(NOW.getTime() - 1))), NOW.toISOString());
  });
  test('time zone names are canonicalised; UTC aliases are UTC', () => {
    assert.equal(sched('0 0 * * *', 'europe/berlin').timeZone, 'Europe/Berlin');
    assert.equal(sched('0 0 * * *', 'Etc/UTC').timeZone, 'UTC');
    assert.equal(resolveTimeZone('Nowhere/Land'), null);
  });
});

describe('ISO 8601 schedules', () => {
  test('R1//PT1S runs once, now', () => {
    const s = sched('R1//PT1S');
    assert.deepEqual(next(s, '2026-01-15T11:59:59.999Z', 5), ['2026-01-15T12:00:00.000Z']);
  });
  test('Rn stops after n runs; the remaining count decreases', () => {
    const s = sched('R3/2026-01-01T00:00:00Z/PT1H');
    assert.deepEqual(next(s, '2025-12-31T00:00:00Z', 10), ['2026-01-01T00:00:00.000Z', '2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z']);
    assert.equal(remainingRuns(s, new Date('2025-12-31T00:00:00Z')), 3);
    assert.equal(remainingRuns(s, new Date('2026-01-01T00:00:00Z')), 2);
    assert.equal(remainingRuns(s, new Date('2026-01-01T02:00:00Z')), 0);
    assert.equal(describeSchedule(s, new Date('2026-01-01T00:00:00Z')), 'R2/2026-01-01T01:00:00.000Z/PT1H');
    assert.equal(remainingRuns(sched('R/2026-01-01T00:00:00Z/PT1H'), NOW), null);
  });
  test('a start in the past runs from the next occurrence after the given time', () => {
    const s = sched('R/2020-01-01T00:00:00Z/PT1H');
    assert.equal(iso(nextRunAfter(s, new Date('2026-03-05T10:20:00Z'))), '2026-03-05T11:00:00.000Z');
    assert.equal(iso(nextRunAfter(s, new Date('2026-03-05T11:00:00Z'))), '2026-03-05T12:00:00.000Z');
  });
  test('months clamp to the month end without drifting', () => {
    const s = sched('R/2026-01-31T08:00:00Z/P1M');
    assert.deepEqual(next(s, '2026-01-01T00:00:00Z', 4), ['2026-01-31T08:00:00.000Z', '2026-02-28T08:00:00.000Z', '2026-03-31T08:00:00.000Z', '2026-04-30T08:00:00.000Z']);
  });
  test('an offset in the start is kept when no time zone is given', () => {
    const s = sched('R/2026-03-07T02:30:00-05:00/P1D');
    assert.deepEqual(next(s, '2026-03-07T00:00:00Z', 3), ['2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T07:30:00.000Z']);
  });
  test('scheduleTimeZone overrides the offset; P1D keeps the local time across DST, a skipped time runs at the transition', () => {
    const s = sched('R/2026-03-07T02:30:00Z/P1D', 'America/New_York');
    assert.deepEqual(next(s, '2026-03-07T00:00:00Z', 3), ['2026-03-07T07:30:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']);
  });
  test('P1D through the autumn overlap runs the repeated time once', () => {
    const s = sched('R/2026-10-31T01:30:00/P1D', 'America/New_York');
    assert.deepEqual(next(s, '2026-10-31T00:00:00Z', 3), ['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  });
  test('PT1H is elapsed time: hourly runs continue through DST', () => {
    const s = sched('R/2026-03-08T00:00:00/PT1H', 'America/New_York');
    assert.deepEqual(next(s, '2026-03-08T00:00:00Z', 4), ['2026-03-08T05:00:00.000Z', '2026-03-08T06:00:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-08T08:00:00.000Z']);
  });
  test('describeSchedule prints the next start in the schedule zone', () => {
    const s = sched('R5/2026-03-07T02:30:00/P1D', 'America/New_York');
    assert.equal(describeSchedule(s, new Date('2026-03-07T07:30:00Z')), 'R4/2026-03-08T03:00:00.000-04:00/P1D');
    assert.equal(describeSchedule(s, new Date('2026-03-08T07:00:00Z')), 'R3/2026-03-09T02:30:00.000-04:00/P1D');
  });
});

describe('cron schedules in time zones (2026 transitions)', () => {
  test('UTC is the default zone', () => {
    assert.deepEqual(next(sched('@hourly'), '2026-01-01T00:00:00Z', 2), ['2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z']);
    assert.deepEqual(next(sched('30 2 * * *'), '2026-03-07T12:00:00Z', 2), ['2026-03-08T02:30:00.000Z', '2026-03-09T02:30:00.000Z']);
  });
  test('America/New_York spring: 02:30 on Mar 8 does not exist and runs once at 03:00 EDT', () => {
    assert.deepEqual(next(sched('30 2 * * *', 'America/New_York'), '2026-03-07T12:00:00Z', 3), ['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z']);
  });
  test('America/New_York spring: every 15 minutes collapses the skipped hour into one run at 03:00', () => {
    assert.deepEqual(between(sched('*/15 * * * *', 'America/New_York'), '2026-03-08T06:15:00Z', '2026-03-08T07:20:00Z'), [
      '2026-03-08T06:30:00.000Z',
      '2026-03-08T06:45:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-08T07:15:00.000Z',
    ]);
  });
  test('America/New_York autumn: 01:30 on Nov 1 happens twice and runs once (the first)', () => {
    const s = sched('30 1 * * *', 'America/New_York');
    assert.deepEqual(next(s, '2026-10-31T12:00:00Z', 2), ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
    // asked from inside the repeated hour (01:10 EST), the repeated 01:30 is not offered again
    assert.equal(iso(nextRunAfter(s, new Date('2026-11-01T06:10:00Z'))), '2026-11-02T06:30:00.000Z');
  });
  test('America/New_York autumn: hourly runs each local hour once (01:00 is not repeated)', () => {
    assert.deepEqual(between(sched('0 * * * *', 'America/New_York'), '2026-11-01T03:30:00Z', '2026-11-01T09:30:00Z'), [
      '2026-11-01T04:00:00.000Z',
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
      '2026-11-01T08:00:00.000Z',
      '2026-11-01T09:00:00.000Z',
    ]);
  });
  test('Europe/Berlin spring and autumn', () => {
    const s = sched('30 2 * * *', 'Europe/Berlin');
    assert.deepEqual(next(s, '2026-03-28T12:00:00Z', 2), ['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
    assert.deepEqual(next(s, '2026-10-24T12:00:00Z', 2), ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });
  test('Australia/Lord_Howe (30-minute DST) spring: 02:15 on Oct 4 runs once at 02:30', () => {
    assert.deepEqual(next(sched('15 2 * * *', 'Australia/Lord_Howe'), '2026-10-03T00:00:00Z', 2), ['2026-10-03T15:30:00.000Z', '2026-10-04T15:15:00.000Z']);
  });
  test('Australia/Lord_Howe autumn: 01:45 on Apr 5 happens twice and runs once', () => {
    assert.deepEqual(next(sched('45 1 * * *', 'Australia/Lord_Howe'), '2026-04-04T00:00:00Z', 2), ['2026-04-04T14:45:00.000Z', '2026-04-05T15:15:00.000Z']);
    assert.deepEqual(between(sched('*/30 * * * *', 'Australia/Lord_Howe'), '2026-04-04T13:50:00Z', '2026-04-04T15:40:00Z'), [
      '2026-04-04T14:00:00.000Z',
      '2026-04-04T14:30:00.000Z',
      '2026-04-04T15:30:00.000Z',
    ]);
  });
  test('day-of-month and day-of-week restricted together match either (classic cron)', () => {
    assert.deepEqual(next(sched('0 0 13 * 5'), '2026-02-01T00:00:00Z', 2), ['2026-02-06T00:00:00.000Z', '2026-02-13T00:00:00.000Z']);
  });
});

describe('properties', () => {
  const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe'];
  const exprs = ['*/15 * * * *', '0 * * * *', '30 1 * * *', '30 2 * * *', '15 2 * * *', '45 1 * * 0', '0 */2 * * *', '@daily'];
  const start2026 = Date.parse('2026-01-01T00:00:00Z');
  const year = 365 * 86_400_000;
  const arb = fc.record({
    zone: fc.constantFrom(...zones),
    expr: fc.constantFrom(...exprs),
    from: fc.integer({ min: 0, max: year }).map((x) => start2026 + x),
    span: fc.integer({ min: 1, max: 3 * 86_400_000 }),
  });
  test('runs strictly increase, and so does their local clock reading (no local time twice)', () => {
    fc.assert(
      fc.property(arb, ({ zone, expr, from, span }) => {
        const s = sched(expr, zone);
        const runs = runsBetween(s, new Date(from), new Date(from + span)).map((d) => d.getTime());
        for (let i = 1; i < runs.length; i++) {
          assert.ok(runs[i]! > runs[i - 1]!);
          assert.ok(instantToWall(s.zone, runs[i]!) > instantToWall(s.zone, runs[i - 1]!));
        }
      }),
      { numRuns: 150 },
    );
  });
  test('every run is a matching local time, or a DST transition standing in for skipped ones', () => {
    fc.assert(
      fc.property(arb, ({ zone, expr, from, span }) => {
        const s = sched(expr, zone);
        const spec = parseCron(expr);
        assert.ok(typeof spec !== 'string');
        for (const d of runsBetween(s, new Date(from), new Date(from + span))) {
          const t = d.getTime();
          const wall = instantToWall(s.zone, t);
          const matches = spec.expression.includesDate(new Date(wall));
          const transition = offsetAt(s.zone, t - 1) !== offsetAt(s.zone, t);
          assert.ok(matches || transition, `${expr} ${zone} ${d.toISOString()}`);
        }
      }),
      { numRuns: 150 },
    );
  });
  test('runsBetween splits: (a,c] = (a,b] ++ (b,c]', () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 100 }), ({ zone, expr, from, span }, pct) => {
        const s = sched(expr, zone);
        const mid = from + Math.floor((span * pct) / 100);
        const whole = runsBetween(s, new Date(from), new Date(from + span)).map(iso);
        const parts = [...runsBetween(s, new Date(from), new Date(mid)), ...runsBetween(s, new Date(mid), new Date(from + span))].map(iso);
        assert.deepEqual(parts, whole);
      }),
      { numRuns: 100 },
    );
  });
});
