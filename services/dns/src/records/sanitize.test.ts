import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { domainFrag, labelRfc1123, labelRfc952 } from './sanitize';

const dashes60 = '-'.repeat(60);

describe('label sanitization (spec "Label sanitization (exact)")', () => {
  const rfc952: [string, string][] = [
    [`hello${dashes60}f`, 'hellof'],
    ['89fdgsf---gs7-fgs--d7fddg-123', 'fdgsf---gs7-fgs--d7fddg1'],
    ['chronos with a space AND MIXED CASE-2.0.1', 'chronoswithaspaceandmixe'],
    ['4abc123', 'abc123'],
    ['a.b.c.d.e', 'a-b-c-d-e'],
    ['---a---b', 'a---b'],
    ['abc--123', 'abc--123'],
    ['-', ''],
    ['', ''],
    ['0-dev', 'dev'],
    ['6', ''],
    ['pod_123$abc', 'pod-123abc'],
    ['ünïcödé', 'ncd'],
    ['a@b%c d$e', 'abcde'],
    ['UPPER', 'upper'],
    // 24 chars exactly: kept; 25 with a dash at the cut: refilled from after the dashes.
    ['abcdefghijklmnopqrstuvwx', 'abcdefghijklmnopqrstuvwx'],
    ['abcdefghijklmnopqrstuvw-yz', 'abcdefghijklmnopqrstuvwy'],
  ];
  for (const [input, want] of rfc952) {
    test(`RFC952 ${JSON.stringify(input)} → ${JSON.stringify(want)}`, () => assert.equal(labelRfc952(input), want));
  }

  const rfc1123: [string, string][] = [
    ['4abc123', '4abc123'],
    ['a.b.c.d.e', 'a-b-c-d-e'],
    ['---a---b', 'a---b'],
    ['abc--123', 'abc--123'],
    ['-', ''],
    ['liquor.store', 'liquor-store'],
    ['web.prod', 'web-prod'],
    ['My App$%_v2', 'myapp-v2'],
    ['chronos with a space AND MIXED CASE-2.0.1', 'chronoswithaspaceandmixedcase-2-0-1'],
    [`hello${dashes60}f`, 'hellof'],
    [`${'a'.repeat(62)}-${'-'.repeat(10)}bcd`, `${'a'.repeat(62)}b`],
    ['a'.repeat(70), 'a'.repeat(63)],
    ['0-dev', '0-dev'],
  ];
  for (const [input, want] of rfc1123) {
    test(`RFC1123 ${JSON.stringify(input)} → ${JSON.stringify(want)}`, () => assert.equal(labelRfc1123(input), want));
  }

  test('the refill after a dash cut is not re-trimmed', () => {
    // cut at 24 ends in "-", tail "--x-" → skip leading dashes → "x-" fills 2 lost chars, ending in a dash.
    assert.equal(labelRfc952(`${'a'.repeat(22)}----x-`), `${'a'.repeat(22)}x-`);
  });
});

describe('framework names: per-part sanitization, empty parts dropped', () => {
  const cases: [string, boolean, string][] = [
    ['pod_123$abc.marathon-0.6.0-dev.mesos', true, 'pod-123abc.marathon-0.dev.mesos'],
    ['pod_123$abc.marathon-0.6.0-dev.mesos', false, 'pod-123abc.marathon-0.6.0-dev.mesos'],
    ['(@ host . com', false, 'host.com'],
    ['a..c.e', false, 'a.c.e'],
    ['MiXeDcase.CoM', false, 'mixedcase.com'],
    ['marathon.prod', false, 'marathon.prod'],
    ['chronos with a space AND MIXED CASE-2.0.1', true, 'chronoswithaspaceandmixe'],
    ['...', false, ''],
  ];
  for (const [input, rfc952, want] of cases) {
    test(`${rfc952 ? 'RFC952' : 'RFC1123'} ${JSON.stringify(input)} → ${JSON.stringify(want)}`, () =>
      assert.equal(domainFrag(input, rfc952 ? labelRfc952 : labelRfc1123), want));
  }
});
