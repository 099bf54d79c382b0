/** Thrown by a polled function to stop waiting at once (e.g. the process we wait for has exited). */
export class WaitAbortError extends Error {
  override readonly name = 'WaitAbortError';
}

export interface WaitForOptions {
  /** Give up after this long (default 10 000 ms). */
  timeoutMs?: number;
  /** Pause between attempts (default 100 ms). */
  intervalMs?: number;
  /** What we wait for, for the timeout message: "agent-1 to register". */
  what?: string;
  /** Stops the wait early (rejects with the signal's reason). */
  signal?: AbortSignal;
}

/**
 * Polls `fn` until it returns a truthy value and resolves with that value. Exceptions from `fn` count as
 * "not yet" (their last message goes into the timeout error) except WaitAbortError, which ends the wait.
 * The only way we wait in tests and in the launcher: never a bare sleep.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitForOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 100;
  const started = Date.now();
  const deadline = started + timeoutMs;
  let lastError: unknown;
  let lastValue: unknown;
  let attempts = 0;
  for (;;) {
    opts.signal?.throwIfAborted();
    attempts++;
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      lastValue = v;
      lastError = undefined;
    } catch (e) {
      if (e instanceof WaitAbortError) throw e;
      lastError = e;
    }
    const now = Date.now();
    if (now >= deadline) {
      const detail = lastError !== undefined ? `last error: ${errorMessage(lastError)}` : `last result: ${short(lastValue)}`;
      throw new Error(`timed out after ${((now - started) / 1000).toFixed(1)} s waiting for ${opts.what ?? 'a condition'} (${attempts} attempts; ${detail})`);
    }
    await pause(Math.min(intervalMs, deadline - now), opts.signal);
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort(): void {
      clearTimeout(t);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
    return `${e.message}${cause}`;
  }
  return String(e);
}

function short(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
