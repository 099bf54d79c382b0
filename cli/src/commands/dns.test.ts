import { test } from 'node:test';
import assert from 'node:assert/strict';
import { qualify, recordRows } from './dns';

test('qualify adds the domain once', () => {
  assert.equal(qualify('web.marathon', 'mesos'), 'web.marathon.mesos.');
  assert.equal(qualify('Web.Marathon.MESOS.', 'mesos'), 'web.marathon.mesos.');
  assert.equal(qualify('_web._tcp.marathon', 'mesos'), '_web._tcp.marathon.mesos.');
  assert.equal(qualify('mesos', 'mesos'), 'mesos.');
});

test('records: task records first, then the rest of the zone without duplicates', () => {
  const rows = recordRows(
    { frameworks: [{ name: 'marathon', tasks: [{ name: 'web', id: 'web.1', records: [{ name: 'web.marathon.mesos.', host: '127.0.1.1', rtype: 'A' }] }] }] },
    { Records: { As: { 'web.marathon.mesos.': ['127.0.1.1'], 'leader.mesos.': ['127.0.0.1'] }, AAAAs: {}, SRVs: { '_leader._tcp.mesos.': ['leader.mesos.:5050'] } } },
  );
  assert.deepEqual(rows, [
    { framework: 'marathon', task: 'web.1', name: 'web.marathon.mesos.', type: 'A', value: '127.0.1.1' },
    { framework: '', task: '', name: 'leader.mesos.', type: 'A', value: '127.0.0.1' },
    { framework: '', task: '', name: '_leader._tcp.mesos.', type: 'SRV', value: 'leader.mesos.:5050' },
  ]);
});
