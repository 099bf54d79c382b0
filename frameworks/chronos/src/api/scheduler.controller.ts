import { Controller, Delete, Get, Inject, Param, Post, Put, Query, Req, Res } from '../nest';
import type { HttpRequest, HttpResponse } from '../http/http-types';
import { send } from '../http/send';
import { ChronosApi, parseRunArguments } from './chronos-api';

export const CHRONOS_API = Symbol('ChronosApi');

/**
 * Chronos' REST routes, under `/v1/scheduler` and the older `/scheduler`. Each route hands over to
 * ChronosApi and writes its reply; no logic lives here.
 */
@Controller(['v1/scheduler', 'scheduler'])
export class SchedulerController {
  constructor(@Inject(CHRONOS_API) private readonly api: ChronosApi) {}

  @Get('leader')
  leader(@Res() res: HttpResponse): void {
    send(res, this.api.leader());
  }

  @Post('iso8601')
  async iso8601(@Req() req: HttpRequest, @Res() res: HttpResponse): Promise<void> {
    send(res, await this.api.upsert(req.rawBody, 'scheduled'));
  }

  @Post('dependency')
  async dependency(@Req() req: HttpRequest, @Res() res: HttpResponse): Promise<void> {
    send(res, await this.api.upsert(req.rawBody, 'dependent'));
  }

  @Get('jobs')
  jobs(@Res() res: HttpResponse): void {
    send(res, this.api.jobs());
  }

  @Get('jobs/summary')
  summary(@Res() res: HttpResponse): void {
    send(res, this.api.summary());
  }

  @Get('jobs/search')
  search(@Query() q: Record<string, unknown>, @Res() res: HttpResponse): void {
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    send(res, this.api.search({ name: str(q.name), command: str(q.command), any: str(q.any) }));
  }

  @Get('job/stat/:name')
  stat(@Param('name') name: string, @Res() res: HttpResponse): void {
    send(res, this.api.stat(name));
  }

  @Post('job/success/:name')
  async successPost(@Param('name') name: string, @Res() res: HttpResponse): Promise<void> {
    send(res, await this.api.success(name));
  }

  @Put('job/success/:name')
  async successPut(@Param('name') name: string, @Res() res: HttpResponse): Promise<void> {
    send(res, await this.api.success(name));
  }

  @Get('job/:name/runs')
  runs(@Param('name') name: string, @Res() res: HttpResponse): void {
    send(res, this.api.runs(name));
  }

  @Get('job/:name')
  job(@Param('name') name: string, @Res() res: HttpResponse): void {
    send(res, this.api.job(name));
  }

  @Put('job/:name')
  async runNow(@Param('name') name: string, @Query('arguments') args: unknown, @Res() res: HttpResponse): Promise<void> {
    send(res, await this.api.runNow(name, parseRunArguments(args)));
  }

  @Delete('job/:name')
  async remove(@Param('name') name: string, @Res() res: HttpResponse): Promise<void> {
    send(res, await this.api.remove(name));
  }

  @Delete('task/kill/:name')
  async kill(@Param('name') name: string, @Res() res: HttpResponse): Promise<void> {
    send(res, await this.api.kill(name));
  }

  @Get('graph/dot')
  dot(@Res() res: HttpResponse): void {
    send(res, this.api.graph('dot'));
  }

  @Get('graph/csv')
  csv(@Res() res: HttpResponse): void {
    send(res, this.api.graph('csv'));
  }
}

/** Root-level endpoints any instance answers: Chronos' /ping, and /health for the launcher and Consul. */
@Controller()
export class RootController {
  constructor(@Inject(CHRONOS_API) private readonly api: ChronosApi) {}

  @Get('ping')
  ping(@Res() res: HttpResponse): void {
    send(res, { status: 200, text: 'pong\n' });
  }

  @Get('health')
  health(@Res() res: HttpResponse): void {
    send(res, this.api.health());
  }
}
