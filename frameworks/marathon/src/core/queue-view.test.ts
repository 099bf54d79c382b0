import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { queueEntryJson, rejectSummary } from './queue-view';
import { NO_BACKOFF, recordFailure } from './backoff';

describe('queue view', () => {
  test('reject summary is a funnel in Marathon reason order', () => {
    const rows = rejectSummary([['InsufficientMemory'], ['UnfulfilledConstraint', 'InsufficientMemory'], [], ['InsufficientCpus', 'InsufficientPorts']]);
    const get = (r: string): { declined: number; processed: number } | undefined => rows.find((x) => x.reason === r);
    assert.deepEqual(get('UnfulfilledRole'), { reason: 'UnfulfilledRole', declined: 0, processed: 4 });
    assert.deepEqual(get('UnfulfilledConstraint'), { reason: 'UnfulfilledConstraint', declined: 1, processed: 4 });
    assert.deepEqual(get('InsufficientCpus'), { reason: 'InsufficientCpus', declined: 1, processed: 3 });
    assert.deepEqual(get('InsufficientMemory'), { reason: 'InsufficientMemory', declined: 1, processed: 2 });
    assert.deepEqual(get('InsufficientPorts'), { reason: 'InsufficientPorts', declined: 0, processed: 1 });
  });
  test('entry shape', () => {
    const now = 1_700_000_000_000;
    const backoff = recordFailure(NO_BACKOFF, { backoffSeconds: 5, backoffFactor: 2, maxLaunchDelaySeconds: 60 }, now);
    const json = queueEntryJson({
      appJson: { id: '/a' },
      count: 2,
      since: '2024-05-01T10:00:00.000Z',
      backoff,
      now: now + 1000,
      offers: { processedOffersCount: 3, unusedOffersCount: 3, lastOfferRejections: [['InsufficientMemory']] },
    });
    assert.deepEqual(json['delay'], { timeLeftSeconds: 4, overdue: false });
    assert.equal(json['count'], 2);
    const summary = json['processedOffersSummary'] as Record<string, unknown>;
    assert.equal(summary['processedOffersCount'], 3);
    assert.ok(Array.isArray(summary['rejectSummaryLastOffers']));
    assert.equal('placement' in json, false);
  });
});
