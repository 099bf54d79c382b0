import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { meetsConstraints, unmetConstraint } from './constraints';

const agent = { hostname: '127.0.1.2', attributes: { rack: 'r1', zone: 'eu-1' } };

describe('placement constraints', () => {
  test('EQUALS, LIKE (full match), UNLIKE, and the implicit hostname', () => {
    assert.ok(meetsConstraints([], agent));
    assert.ok(meetsConstraints([['rack', 'EQUALS', 'r1']], agent));
    assert.ok(!meetsConstraints([['rack', 'EQUALS', 'r2']], agent));
    assert.ok(meetsConstraints([['zone', 'LIKE', 'eu-.*']], agent));
    assert.ok(!meetsConstraints([['zone', 'LIKE', 'eu']], agent), 'LIKE matches the whole value');
    assert.ok(meetsConstraints([['zone', 'UNLIKE', 'us-.*']], agent));
    assert.ok(!meetsConstraints([['zone', 'UNLIKE', 'eu-1']], agent));
    assert.ok(meetsConstraints([['hostname', 'EQUALS', '127.0.1.2']], agent));
    assert.ok(meetsConstraints([['hostname', 'like', '127\\.0\\.1\\.[0-9]']], agent));
  });
  test('a missing attribute fails EQUALS and LIKE, passes UNLIKE; the message names the constraint', () => {
    assert.ok(!meetsConstraints([['gpu', 'EQUALS', 'yes']], agent));
    assert.ok(!meetsConstraints([['gpu', 'LIKE', '.*']], agent));
    assert.ok(meetsConstraints([['gpu', 'UNLIKE', 'yes']], agent));
    assert.match(unmetConstraint([['rack', 'EQUALS', 'r2']], agent) ?? '', /rack EQUALS r2 .*"r1"/);
  });
});
