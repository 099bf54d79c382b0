import { createLogger } from '@agora/logging';
import { takeCorsFlag } from '@agora/service';
import { DnsApp } from './app/dns-app';
import { parseDnsFlags } from './app/flags';
import { runWorkers, workerIndex, WORKER_READY } from './app/workers';

async function main(): Promise<void> {
  const { argv, cors, error: corsError } = takeCorsFlag(process.argv.slice(2));
  const flags = corsError ? { error: corsError } : parseDnsFlags(argv);
  if ('error' in flags) {
    process.stderr.write(`${flags.error}\n`);
    process.exit(2);
  }
  const worker = workerIndex();
  if (flags.workers > 1 && worker === undefined) {
    runWorkers(flags.workers, createLogger('dns', flags.logLevel));
    return;
  }
  const log = worker === undefined ? createLogger('dns', flags.logLevel) : createLogger('dns', flags.logLevel).child({ worker });
  // One Consul catalog entry for the server, not one per worker.
  if (worker !== undefined && worker > 0) delete flags.consul;
  const app = await DnsApp.start(flags, log, cors);
  if (worker !== undefined) process.send?.(WORKER_READY);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'dns stopping');
    const hardStop = setTimeout(() => process.exit(1), 10_000);
    hardStop.unref();
    app.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error({ err: String(e) }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('unhandledRejection', (e: unknown) => log.error({ err: e instanceof Error ? e.stack : String(e) }, 'unhandled rejection'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGHUP', () => {
    if (!stopping) app.reload();
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`dns failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
