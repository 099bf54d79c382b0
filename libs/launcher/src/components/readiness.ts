import { errorMessage, waitFor, WaitAbortError } from '../wait-for';
import type { ComponentContext, Instance } from '../types';

/**
 * Polls `check` until the instance serves. Fails at once if the process exits, after the cluster's ready
 * timeout otherwise; either way the error carries the tail of the component's log, which is where the
 * reason is. A stop requested meanwhile rejects with the abort reason, without the log.
 */
export async function waitUntilReady(ctx: ComponentContext, inst: Instance, what: string, check: () => Promise<boolean>): Promise<void> {
  try {
    await waitFor(
      async () => {
        if (!inst.proc.running) throw new WaitAbortError(`${inst.proc.describeExit()} before it was ready`);
        return check();
      },
      { timeoutMs: ctx.opts.readyTimeoutMs, intervalMs: 100, what: `${inst.name} (${what})`, signal: ctx.signal },
    );
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    throw new Error(`${inst.name} did not start: ${errorMessage(e)}\n--- last lines of ${inst.logFile} ---\n${inst.proc.logTail(30)}`);
  }
}
