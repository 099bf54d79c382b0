import type { Logger } from '@agora/logging';

/**
 * The life of an Agora component process, shared by the master, Marathon and Chronos: log unhandled
 * rejections instead of dying on them, and on SIGTERM/SIGINT run the shutdown steps in order (each
 * step's failure is logged and the next still runs), then exit 0 — or exit 1 if the steps hang past
 * `hardStopMs`.
 */
export function stopOnSignals(component: string, log: Logger, steps: ReadonlyArray<readonly [string, () => Promise<unknown>]>, hardStopMs = 10_000): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${component} stopping`);
    const hardStop = setTimeout(() => process.exit(1), hardStopMs);
    hardStop.unref();
    void (async () => {
      for (const [name, step] of steps) await step().catch((e: unknown) => log.warn({ err: String(e), step: name }, `${name} failed`));
      process.exit(0);
    })();
  };
  process.on('unhandledRejection', (e: unknown) => log.error({ err: e instanceof Error ? e.stack : String(e) }, 'unhandled rejection'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Runs a component's async main; a failure to start is printed (stack included) and exits 1. */
export function runMain(component: string, main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    process.stderr.write(`${component} failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}

/** What Nest's LoggerService needs; Nest's own chatter goes to pino (route mapping at debug). */
export interface NestLoggerLike {
  log(message: unknown): void;
  warn(message: unknown): void;
  error(message: unknown, trace?: unknown): void;
  debug(message: unknown): void;
  verbose(message: unknown): void;
}

export function nestLogger(log: Logger): NestLoggerLike {
  return {
    log: (m) => log.debug({ nest: true }, String(m)),
    warn: (m) => log.warn({ nest: true }, String(m)),
    error: (m, trace) => log.error({ nest: true, trace }, String(m)),
    debug: (m) => log.debug({ nest: true }, String(m)),
    verbose: (m) => log.trace({ nest: true }, String(m)),
  };
}
