import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatFieldErrors, startingDeadlineMs, validateJob, type FieldError } from './validate-job';
import type { Job } from './job-schema';

const NOW = new Date('2026-01-15T12:00:00.000Z');

function ok(input: unknown, kind?: 'scheduled' | 'dependent' | 'any'): Job {
  const r = validateJob(input, { now: NOW, ...(kind ? { kind } : {}) });
  if (!r.ok) throw new Error(formatFieldErrors(r.errors));
  return r.job;
}
function errs(input: unknown, kind?: 'scheduled' | 'dependent' | 'any'): FieldError[] {
  const r = validateJob(input, { now: NOW, ...(kind ? { kind } : {}) });
  assert.equal(r.ok, false, JSON.stringify(input));
  return r.ok ? [] : r.errors;
}
const fields = (e: FieldError[]): string[] => e.map((x) => x.field);

describe('validateJob: defaults', () => {
  test('a minimal scheduled job gets Chronos defaults', () => {
    const j = ok({ name: 'backup', command: 'echo hi', schedule: 'R/2026-01-01T00:00:00Z/PT1H' });
    assert.equal(j.retries, 2);
    assert.equal(j.cpus, 0.1);
    assert.equal(j.mem, 128);
    assert.equal(j.disk, 256);
    assert.equal(j.epsilon, 'PT60S');
    assert.equal(j.async, false);
    assert.equal(j.shell, true);
    assert.equal(j.concurrent, false);
    assert.equal(j.concurrencyPolicy, 'Forbid');
    assert.equal(j.disabled, false);
    assert.equal(j.softError, false);
    assert.equal(j.maxCompletionTime, 0);
    assert.equal(j.startingDeadlineSeconds, null);
    assert.equal(j.successfulRunsHistoryLimit, 10);
    assert.equal(j.failedRunsHistoryLimit, 10);
    assert.equal(j.retryDelaySeconds, 60);
    assert.deepEqual(j.parents, []);
    assert.deepEqual(j.arguments, []);
    assert.equal(j.scheduleTimeZone, '');
    assert.equal(startingDeadlineMs(j), 60_000);
  });
  test('deployment defaults override Chronos defaults', () => {
    const r = validateJob({ name: 'a', command: 'x', schedule: '@daily' }, { now: NOW, defaults: { cpus: 0.5, retries: 0 } });
    assert.ok(r.ok);
    if (r.ok) assert.deepEqual([r.job.cpus, r.job.retries], [0.5, 0]);
  });
  test('R1//PT1S is pinned to now', () => {
    assert.equal(ok({ name: 'once', command: 'x', schedule: 'R1//PT1S' }).schedule, 'R1/2026-01-15T12:00:00.000Z/PT1S');
  });
  test('cron with a time zone; the zone name is canonicalised', () => {
    const j = ok({ name: 'c', command: 'x', schedule: '30 2 * * *', scheduleTimeZone: 'america/new_york' });
    assert.equal(j.scheduleTimeZone, 'America/New_York');
    assert.equal(j.schedule, '30 2 * * *');
  });
  test('strings for numbers and booleans are accepted, null means absent (as Chronos clients send)', () => {
    const j = ok({ name: 'a', command: 'x', schedule: '@hourly', cpus: '0.5', mem: '256', shell: 'false', retries: '3', container: null, parents: null, description: null });
    assert.deepEqual([j.cpus, j.mem, j.shell, j.retries, j.container, j.description], [0.5, 256, false, 3, undefined, '']);
  });
  test('concurrent maps onto concurrencyPolicy and back', () => {
    assert.equal(ok({ name: 'a', command: 'x', schedule: '@hourly', concurrent: true }).concurrencyPolicy, 'Allow');
    const r = ok({ name: 'a', command: 'x', schedule: '@hourly', concurrencyPolicy: 'replace' });
    assert.deepEqual([r.concurrencyPolicy, r.concurrent], ['Replace', false]);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@hourly', concurrent: true, concurrencyPolicy: 'Forbid' })), ['concurrencyPolicy']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@hourly', concurrencyPolicy: 'Sometimes' })), ['concurrencyPolicy']);
  });
  test('uris become fetch entries; fetch defaults', () => {
    const j = ok({ name: 'a', command: 'x', schedule: '@hourly', uris: ['http://x/y.tgz'] });
    assert.deepEqual(j.fetch, [{ uri: 'http://x/y.tgz', cache: false, extract: true, executable: false }]);
    const k = ok({ name: 'a', command: 'x', schedule: '@hourly', fetch: [{ uri: 'http://x/run.sh', executable: true }] });
    assert.deepEqual(k.fetch, [{ uri: 'http://x/run.sh', cache: false, extract: true, executable: true }]);
  });
  test('a docker container is validated and normalised', () => {
    const j = ok({ name: 'a', command: '', schedule: '@hourly', container: { type: 'docker', image: 'busybox', network: 'bridge', volumes: [{ containerPath: '/data', hostPath: '/srv', mode: 'ro' }] } });
    assert.deepEqual(j.container, { type: 'DOCKER', image: 'busybox', network: 'BRIDGE', networkInfos: [], volumes: [{ containerPath: '/data', hostPath: '/srv', mode: 'RO' }], forcePullImage: false, parameters: [] });
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@hourly', container: { type: 'DOCKER' } })), ['container.image']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@hourly', container: { image: 'b', volumes: [{ containerPath: '/d', mode: 'RX' }] } })), ['container.volumes.0.mode']);
  });
  test('unknown fields are ignored with a warning; read-only statistics silently', () => {
    const r = validateJob({ name: 'a', command: 'x', schedule: '@hourly', frobnicate: 1, successCount: 5, lastError: '' }, { now: NOW });
    assert.ok(r.ok);
    if (r.ok) assert.deepEqual(r.warnings, ['unknown field "frobnicate" ignored']);
  });
  test('a dependent job', () => {
    const j = ok({ name: 'child', command: 'x', parents: ['a', 'b', 'a'] }, 'dependent');
    assert.deepEqual(j.parents, ['a', 'b']);
    assert.equal(j.schedule, undefined);
  });
  test('constraints are normalised', () => {
    assert.deepEqual(ok({ name: 'a', command: 'x', schedule: '@hourly', constraints: [['rack', 'like', 'r[12]']] }).constraints, [['rack', 'LIKE', 'r[12]']]);
  });
});

describe('validateJob: errors name the field', () => {
  test('bad names', () => {
    for (const name of ['', 'has space', 'slash/y', 'a:b', '.', '..', 'x'.repeat(151)]) {
      assert.deepEqual(fields(errs({ name, command: 'x', schedule: '@hourly' })), ['name'], name);
    }
    assert.deepEqual(fields(errs({ command: 'x', schedule: '@hourly' })), ['name']);
  });
  test('schedule and parents: both, neither, wrong endpoint', () => {
    const both = errs({ name: 'a', command: 'x', schedule: '@hourly', parents: ['b'] });
    assert.deepEqual(fields(both), ['schedule']);
    assert.match(both[0]?.message ?? '', /either a schedule or parents/);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x' })), ['schedule']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x' }, 'dependent')), ['parents']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', parents: ['b'] }, 'scheduled')), ['schedule']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@daily' }, 'dependent')), ['parents']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', parents: ['a'] })), ['parents']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', parents: ['b c'] })), ['parents.0']);
  });
  test('invalid schedule and time zone', () => {
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: 'R/2026-01-01T00:00:00Z/PT0S' })), ['schedule']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: 'every day' })), ['schedule']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@daily', scheduleTimeZone: 'Moon/Base' })), ['scheduleTimeZone']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: 5 })), ['schedule']);
  });
  test('negative or zero resources, bad numbers', () => {
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@daily', cpus: -1 })), ['cpus']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@daily', mem: 0 })), ['mem']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@daily', disk: -5 })), ['disk']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@daily', retries: 1.5 })), ['retries']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@daily', cpus: 'lots' })), ['cpus']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@daily', maxCompletionTime: -1 })), ['maxCompletionTime']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@daily', startingDeadlineSeconds: 0 })), ['startingDeadlineSeconds']);
  });
  test('command, epsilon, env, constraints', () => {
    assert.deepEqual(fields(errs({ name: 'a', schedule: '@daily' })), ['command']);
    assert.deepEqual(fields(errs({ name: 'a', command: '  ', schedule: '@daily' })), ['command']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@daily', epsilon: '60s' })), ['epsilon']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@daily', environmentVariables: [{ value: 'v' }] })), ['environmentVariables.0.name']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@daily', constraints: [['rack', 'NEAR', 'x']] })), ['constraints.0']);
    assert.deepEqual(fields(errs({ name: 'a', command: 'x', schedule: '@daily', constraints: [['rack', 'LIKE', '(']] })), ['constraints.0']);
  });
  test('the body must be an object', () => {
    for (const body of [null, 3, 'x', []]) assert.deepEqual(fields(errs(body)), ['']);
  });
  test('formatFieldErrors makes one line', () => {
    assert.equal(formatFieldErrors([{ field: 'name', message: 'bad' }, { field: '', message: 'body' }]), 'name: bad; body');
  });
  test('startingDeadlineSeconds wins over epsilon', () => {
    assert.equal(startingDeadlineMs(ok({ name: 'a', command: 'x', schedule: '@daily', startingDeadlineSeconds: 300, epsilon: 'PT10S' })), 300_000);
    assert.equal(startingDeadlineMs(ok({ name: 'a', command: 'x', schedule: '@daily', epsilon: 'PT10S' })), 10_000);
  });
});

describe('validateJob: properties', () => {
  test('names matching [\\w.-]{1,150} (other than . and ..) are accepted; others rejected', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 20 }), (name) => {
        const r = validateJob({ name, command: 'x', schedule: '@daily' }, { now: NOW });
        const valid = /^[\w.-]+$/.test(name) && name !== '.' && name !== '..';
        assert.equal(r.ok, valid, JSON.stringify(name));
      }),
    );
  });
  test('validating the normalised job again gives the same job', () => {
    fc.assert(
      fc.property(
        fc.record({
          retries: fc.integer({ min: 0, max: 10 }),
          cpus: fc.integer({ min: 1, max: 40 }).map((x) => x / 10),
          concurrencyPolicy: fc.constantFrom('Allow', 'Forbid', 'Replace'),
          schedule: fc.constantFrom('R1//PT1S', '@hourly', 'R/2026-03-01T02:30:00/P1D', '*/5 * * * *'),
          scheduleTimeZone: fc.constantFrom('', 'Europe/Berlin', 'UTC'),
        }),
        (extra) => {
          const first = ok({ name: 'j', command: 'x', ...extra });
          assert.deepEqual(ok({ ...first }), first);
        },
      ),
    );
  });
});
