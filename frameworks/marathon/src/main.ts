import 'reflect-metadata';
import { SERVICE_NAMES } from '@agora/contracts';
import { ConsulClient, ServiceRegistration } from '@agora/consul';
import { createLogger } from '@agora/logging';
import { Bus } from '@agora/nats';
import { NestFactory } from './nest';
import { MarathonModule } from './app.module';
import { MarathonApi } from './api/marathon-api';
import { corsMiddleware, nestLogger, runMain, stopOnSignals, takeCorsFlag } from '@agora/service';
import { parseMarathonFlags } from './config';
import { Leadership } from './leader/leadership';

/**
 * Agora's Marathon: `marathon --nats URL --consul URL [--ip] [--port 8080] …`. Serves Marathon's v2 REST
 * API on every instance; the instance holding Consul's lock runs the scheduler, the others proxy to it.
 */
async function main(): Promise<void> {
  const { argv, cors, error: corsError } = takeCorsFlag(process.argv.slice(2));
  const cfg = corsError ? { error: corsError } : parseMarathonFlags(argv);
  if ('error' in cfg) {
    process.stderr.write(`${cfg.error}\n`);
    process.exit(2);
  }
  const log = createLogger('marathon', cfg.logLevel);
  const bus = await Bus.connect(cfg.nats, 'agora-marathon', log);
  const consul = new ConsulClient(cfg.consul);

  // No body parser: Marathon's routes read raw bodies (exact 400s for malformed JSON, proxying to the leader).
  const app = await NestFactory.create(MarathonModule.forRoot({ cfg, log, bus, consul }), { logger: nestLogger(log), bodyParser: false });
  const api = app.get(MarathonApi);
  app.use(corsMiddleware(cors));
  app.use(api.handle);
  await app.listen(cfg.port, cfg.ip);
  log.info({ url: `http://${cfg.ip}:${cfg.port}` }, 'marathon listening');

  const registration = new ServiceRegistration(
    consul,
    { id: `${SERVICE_NAMES.marathon}-${cfg.hostname}-${cfg.port}`, name: SERVICE_NAMES.marathon, address: cfg.ip, port: cfg.port },
    log,
  );
  await registration.start();
  const leadership = app.get(Leadership);
  leadership.start(registration.checkId);

  stopOnSignals('marathon', log, [
    // stepping down releases the lock at once, so a standby takes over without waiting for the session TTL
    ['step down', () => leadership.stop()],
    ['deregister', () => registration.stop()],
    ['close http', () => app.close()],
    ['drain nats', () => bus.close()],
  ]);
}


runMain('marathon', main);
