import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TcpFramer, frame } from './tcp-framing';

test('whole, split and pipelined frames', () => {
  const f = new TcpFramer();
  const a = Buffer.from([1, 2, 3]);
  const b = Buffer.from([9, 8]);
  const both = Buffer.concat([frame(a), frame(b)]);
  assert.deepEqual(f.push(both.subarray(0, 1)), []);
  assert.deepEqual(f.push(both.subarray(1, 4)), []);
  const got = f.push(both.subarray(4));
  assert.ok(Array.isArray(got));
  assert.deepEqual(got.map((x) => [...x]), [[1, 2, 3], [9, 8]]);
  assert.equal(f.pending, 0);
});

test('a zero-length frame is bad', () => {
  assert.equal(new TcpFramer().push(Buffer.from([0, 0, 1])), 'bad');
});

test('any split of a stream of frames yields the same messages', () => {
  fc.assert(
    fc.property(
      fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { maxLength: 8 }),
      fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 20 }),
      (msgs, cuts) => {
        const stream = Buffer.concat(msgs.map((m) => frame(m)));
        const f = new TcpFramer();
        const out: number[][] = [];
        let off = 0;
        let i = 0;
        while (off < stream.length) {
          const n = cuts[i++ % cuts.length] as number;
          const got = f.push(Buffer.from(stream.subarray(off, off + n)));
          assert.ok(Array.isArray(got));
          for (const m of got) out.push([...m]);
          off += n;
        }
        assert.deepEqual(out, msgs.map((m) => [...m]));
      },
    ),
  );
});
