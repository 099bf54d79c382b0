import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sequenceDecision } from './sequencer';

test('sequence decisions', () => {
  const pos = { epoch: 3, sequence: 10 };
  assert.equal(sequenceDecision(pos, { epoch: 3, sequence: 11 }), 'apply');
  assert.equal(sequenceDecision(pos, { epoch: 3, sequence: 10 }), 'skip');
  assert.equal(sequenceDecision(pos, { epoch: 3, sequence: 2 }), 'skip');
  assert.equal(sequenceDecision(pos, { epoch: 3, sequence: 12 }), 'resync');
  assert.equal(sequenceDecision(pos, { epoch: 2, sequence: 50 }), 'skip');
  assert.equal(sequenceDecision(pos, { epoch: 4, sequence: 1 }), 'resync');
});

test('a stream delivered in order with any prefix already in the snapshot is applied without resync', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), (covered, extra) => {
      let pos = { epoch: 1, sequence: covered };
      for (let s = 1; s <= covered + extra; s++) {
        const d = sequenceDecision(pos, { epoch: 1, sequence: s });
        if (s <= covered) assert.equal(d, 'skip');
        else {
          assert.equal(d, 'apply');
          pos = { epoch: 1, sequence: s };
        }
      }
    }),
  );
});
