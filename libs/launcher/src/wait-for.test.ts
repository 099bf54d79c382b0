import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor, WaitAbortError } from './wait-for';

test('waitFor resolves with the first truthy value', async () => {
  let n = 0;
  assert.equal(await waitFor(() => (++n >= 3 ? n : 0), { intervalMs: 5 }), 3);
});

test('waitFor times out with what it waited for and the last error', async () => {
  await assert.rejects(
    waitFor(
      () => {
        throw new Error('connection refused');
      },
      { timeoutMs: 60, intervalMs: 10, what: 'the master to answer' },
    ),
    /timed out after 0\.\d s waiting for the master to answer \(\d+ attempts; last error: connection refused\)/,
  );
});

test('WaitAbortError ends the wait at once', async () => {
  const t0 = Date.now();
  await assert.rejects(
    waitFor(
      () => {
        throw new WaitAbortError('process exited');
      },
      { timeoutMs: 5000 },
    ),
    /process exited/,
  );
  assert.ok(Date.now() - t0 < 1000);
});

test('an abort signal ends the wait', async () => {
  const ac = new AbortController();
  setTimeout(() => ac.abort(new Error('stopping')), 20);
  await assert.rejects(waitFor(() => false, { timeoutMs: 5000, intervalMs: 1000, signal: ac.signal }), /stopping/);
});
