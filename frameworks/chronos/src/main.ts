import 'reflect-metadata';
import { hostname } from 'node:os';
import { SERVICE_NAMES } from '@agora/contracts';
import { ConsulClient, ServiceRegistration } from '@agora/consul';
import { createLogger } from '@agora/logging';
import { Bus } from '@agora/nats';
import { ChronosModule } from './app.module';
import { parseChronosFlags } from './config';
import { corsMiddleware, nestLogger, runMain, stopOnSignals, takeCorsFlag } from '@agora/service';
import { rawBody } from './http/raw-body';
import { Leadership } from './leader/leadership';
import { standbyProxy } from './leader/standby-proxy';
import { NestFactory } from './nest';

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
  leadership.start(registration.checkId);

  stopOnSignals('chronos', log, [
    // stepping down releases the lock at once, so a standby takes over without waiting for the session TTL
    ['step down', () => leadership.stop()],
    ['deregister', () => registration.stop()],
    ['close http', () => app.close()],
    ['drain nats', () => bus.close()],
  ]);
}


runMain('chronos', main);
