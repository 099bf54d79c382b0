import 'reflect-metadata';
import { hostname } from 'node:os';
import { NestFactory } from './nest';
import type { LoggerService } from './nest';
import { SERVICE_NAMES } from '@agora/contracts';
import { ConsulClient, ServiceRegistration } from '@agora/consul';
import { Bus } from '@agora/nats';
import { createLogger } from '@agora/logging';
import type { Logger } from '@agora/logging';
import { parseMasterFlags } from './config';
import { MasterModule } from './app.module';
import { Leadership } from './leader/leadership';
import { MasterIdentity } from './identity';
import { installStandbyGate } from './api/http-app';

async function main(): Promise<void> {
  const cfg = parseMasterFlags(process.argv.slice(2), hostname());
  if ('error' in cfg) {
    process.stderr.write(`${cfg.error}\n`);
    process.exit(2);
  }
  const log = createLogger('master', cfg.logLevel);
  const bus = await Bus.connect(cfg.nats, 'agora-master', log);
  const consul = new ConsulClient(cfg.consul);

  const app = await NestFactory.create(MasterModule.forRoot({ cfg, log, bus, consul }), { logger: nestLogger(log) });
  const leadership = app.get(Leadership);
  const identity = app.get(MasterIdentity);
  installStandbyGate(app, leadership, identity);
  await app.listen(cfg.port, cfg.ip);
  log.info({ url: identity.info.url, masterId: identity.id }, 'master listening');

  const registration = new ServiceRegistration(
    consul,
    { id: `${SERVICE_NAMES.master}-${identity.id}`, name: SERVICE_NAMES.master, address: cfg.ip, port: cfg.port, meta: { masterId: identity.id } },
    log,
  );
  await registration.start();
  leadership.start();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'master stopping');
    const hardStop = setTimeout(() => process.exit(1), 10_000);
    hardStop.unref();
    void (async () => {
      await leadership.stop().catch((e: unknown) => log.warn({ err: String(e) }, 'step down failed'));
      await registration.stop().catch(() => undefined);
      await app.close().catch(() => undefined);
      await bus.close().catch(() => undefined);
      process.exit(0);
    })();
  };
  process.on('unhandledRejection', (e: unknown) => log.error({ err: e instanceof Error ? e.stack : String(e) }, 'unhandled rejection'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Nest's own chatter goes to pino: warnings and errors only. */
function nestLogger(log: Logger): LoggerService {
  return {
    log: () => undefined,
    warn: (m: unknown) => log.warn({ nest: true }, String(m)),
    error: (m: unknown, trace?: unknown) => log.error({ nest: true, trace }, String(m)),
  };
}

main().catch((e: unknown) => {
  process.stderr.write(`master failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
