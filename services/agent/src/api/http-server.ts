import 'reflect-metadata';
import type { Logger } from '@agora/logging';
import { FilesController } from './files.controller';
import { HTTP_DEPS, type HttpDeps } from './http-deps';
import { Module, NestFactory, type DynamicModule, type INestApplication, type LoggerService } from './nest';
import { StateController } from './state.controller';

@Module({})
class AgentHttpModule {
  static with(deps: HttpDeps): DynamicModule {
    return { module: AgentHttpModule, controllers: [StateController, FilesController], providers: [{ provide: HTTP_DEPS, useValue: deps }] };
  }
}

/** Nest's own log lines go to pino, at debug (route mapping) or above. */
function nestLogger(log: Logger): LoggerService {
  return {
    log: (m: unknown) => log.debug({ nest: true }, String(m)),
    error: (m: unknown, trace?: unknown) => log.error({ nest: true, trace }, String(m)),
    warn: (m: unknown) => log.warn({ nest: true }, String(m)),
    debug: (m: unknown) => log.debug({ nest: true }, String(m)),
    verbose: (m: unknown) => log.trace({ nest: true }, String(m)),
  };
}

/** Starts the agent's HTTP API on ip:port (port 0: any free port). */
export async function startHttp(deps: HttpDeps, ip: string, port: number, log: Logger): Promise<{ app: INestApplication; port: number }> {
  const app = await NestFactory.create(AgentHttpModule.with(deps), { logger: nestLogger(log), bodyParser: false });
  await app.listen(port, ip);
  const addr = app.getHttpServer().address() as { port: number } | string | null;
  const bound = addr && typeof addr === 'object' ? addr.port : port;
  return { app, port: bound };
}
