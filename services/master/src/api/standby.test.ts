import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MasterInfo } from '@agora/contracts';
import { standbyAnswer } from './standby';

const leader: MasterInfo = { id: 'L', hostname: 'l', ip: '127.0.0.2', port: 5050, url: 'http://127.0.0.2:5050', version: '0.1.0' };

describe('standby HTTP rule', () => {
  test('the leader answers everything', () => {
    assert.deepEqual(standbyAnswer('/master/state', '/master/state', true, leader, 'L'), { kind: 'local' });
  });
  test('a standby answers health, version and metrics itself', () => {
    for (const p of ['/health', '/version', '/metrics/snapshot']) assert.deepEqual(standbyAnswer(p, p, false, leader, 'S'), { kind: 'local' });
  });
  test('a standby serves the web UI and /agora/services itself (the page moves to the leader)', () => {
    for (const p of ['/', '/ui', '/ui/', '/ui/js/main.mjs', '/agora/services']) assert.deepEqual(standbyAnswer(p, p, false, undefined, 'S'), { kind: 'local' });
    assert.deepEqual(standbyAnswer('/agora/agents/a1/files/read', '/agora/agents/a1/files/read?path=x', false, leader, 'S'), {
      kind: 'redirect',
      location: 'http://127.0.0.2:5050/agora/agents/a1/files/read?path=x',
    });
  });
  test('a standby redirects to the same path (and query) on the leader', () => {
    assert.deepEqual(standbyAnswer('/master/tasks', '/master/tasks?limit=5', false, leader, 'S'), { kind: 'redirect', location: 'http://127.0.0.2:5050/master/tasks?limit=5' });
    assert.deepEqual(standbyAnswer('/master/redirect', '/master/redirect', false, leader, 'S'), { kind: 'redirect', location: 'http://127.0.0.2:5050' });
  });
  test('no leader, or a lock that still names this process → 503', () => {
    assert.deepEqual(standbyAnswer('/master/state', '/master/state', false, undefined, 'S'), { kind: 'unavailable' });
    assert.deepEqual(standbyAnswer('/master/state', '/master/state', false, leader, 'L'), { kind: 'unavailable' });
  });
});
