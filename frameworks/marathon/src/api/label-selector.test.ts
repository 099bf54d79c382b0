import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesLabels, parseLabelSelector } from './label-selector';

const labels = { env: 'prod', tier: 'web', team: 'a' };

test('label selectors of every kind, comma = AND', () => {
  const ok = (s: string) => {
    const terms = parseLabelSelector(s);
    assert.ok(Array.isArray(terms), s);
    return matchesLabels(terms, labels);
  };
  assert.equal(ok('env'), true);
  assert.equal(ok('nope'), false);
  assert.equal(ok('env==prod'), true);
  assert.equal(ok('env!=prod'), false);
  assert.equal(ok('tier in (web, db)'), true);
  assert.equal(ok('tier notin (web,db)'), false);
  assert.equal(ok('env==prod, tier in (db, web), team'), true);
  assert.equal(ok('env==prod,tier==db'), false);
});

test('malformed selectors are errors', () => {
  assert.equal(typeof parseLabelSelector(''), 'string');
  assert.equal(typeof parseLabelSelector('a,,b'), 'string');
  assert.equal(typeof parseLabelSelector('a b'), 'string');
});
