import 'reflect-metadata';
import { hostname } from 'node:os';
import { NestFactory } from './nest';
import { nestLogger, runMain, stopOnSignals } from '@agora/service';
import { SERVICE_NAMES } from '@agora/contracts';
import { ConsulClient, ServiceRegistration } from '@agora/consul';
import { Bus } from '@agora/nats';
import { createLogger } from '@agora/logging';
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
  leadership.start(registration.checkId);

  stopOnSignals('master', log, [
    // stepping down releases the lock at once, so a standby takes over without waiting for the session TTL
    ['step down', () => leadership.stop()],
    ['deregister', () => registration.stop()],
    ['close http', () => app.close()],
    ['drain nats', () => bus.close()],
  ]);
}


runMain('master', main);
