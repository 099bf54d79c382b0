import 'reflect-metadata';
import { hostname } from 'node:os';
import { SERVICE_NAMES } from '@agora/contracts';
import { ConsulClient, ServiceRegistration } from '@agora/consul';
import { createLogger, type Logger } from '@agora/logging';
import { Bus } from '@agora/nats';
import { ChronosModule } from './app.module';
import { parseChronosFlags } from './config';
import { corsMiddleware, takeCorsFlag } from './http/cors';
import { rawBody } from './http/raw-body';
import { Leadership } from './leader/leadership';
import { standbyProxy } from './leader/standby-proxy';
import { NestFactory, type LoggerService } from './nest';

/**
 * Chronos: `node dist/frameworks/chronos/src/main.js --nats URL --consul URL [--ip] [--port 4400] …`.
 * Serves the Chronos REST API, contends for leadership through Consul, and — while leading — schedules
 * jobs as a framework on the master.
 */
async function main(): Promise<void> {
  const { argv, cors, error: corsError } = takeCorsFlag(process.argv.slice(2));
  const cfg = corsError ? { error: corsError } : parseChronosFlags(argv, hostname());
  if ('error' in cfg) {
    process.stderr.write(`${cfg.error}\n`);
    process.exit(2);
  }
  const log = createLogger('chronos', cfg.logLevel);
  const bus = await Bus.connect(cfg.nats, 'agora-chronos', log);
  const consul = new ConsulClient(cfg.consul);
  const leadership = new Leadership(cfg, consul, bus, log);

  const app = await NestFactory.create(ChronosModule.forRoot(leadership), { logger: nestLogger(log), bodyParser: false });
  app.use(corsMiddleware(cors));
  app.use(rawBody);
  app.use(standbyProxy(leadership, log));
  await app.listen(cfg.port, cfg.ip);
  log.info({ url: leadership.self.url, id: leadership.self.id }, 'chronos listening');

  const registration = new ServiceRegistration(
    consul,
    { id: `${SERVICE_NAMES.chronos}-${cfg.ip}-${cfg.port}`, name: SERVICE_NAMES.chronos, address: cfg.ip, port: cfg.port, meta: { instance: leadership.self.id } },
    log,
  );
  await registration.start();
  leadership.start();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'chronos stopping');
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

/** Nest's own chatter goes to pino: route mapping at debug, problems at warn/error. */
function nestLogger(log: Logger): LoggerService {
  return {
    log: (m: unknown) => log.debug({ nest: true }, String(m)),
    warn: (m: unknown) => log.warn({ nest: true }, String(m)),
    error: (m: unknown, trace?: unknown) => log.error({ nest: true, trace }, String(m)),
    debug: (m: unknown) => log.debug({ nest: true }, String(m)),
    verbose: (m: unknown) => log.trace({ nest: true }, String(m)),
  };
}

main().catch((e: unknown) => {
  process.stderr.write(`chronos failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
