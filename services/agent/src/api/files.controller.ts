import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ServerResponse } from 'node:http';
import { Controller, Get, HttpException, Inject, Query, Res } from './nest';
import { HTTP_DEPS, type HttpDeps } from './http-deps';
import { browse, IdNames, readChunk, resolveSandboxPath, type FileEntry } from './sandbox-files';

/** Sandbox access (Mesos' /files API), confined to <work-dir>/sandboxes. */
@Controller('files')
export class FilesController {
  private readonly names = new IdNames();

  constructor(@Inject(HTTP_DEPS) private readonly d: HttpDeps) {}

  @Get(['browse', 'browse.json'])
  browse(@Query('path') p?: string): FileEntry[] {
    const r = this.resolve(p);
    return browse(r.path, r.stat, this.names);
  }

  @Get(['read', 'read.json'])
  read(@Query('path') p?: string, @Query('offset') offset?: string, @Query('length') length?: string): { data: string; offset: number } {
    const r = this.resolve(p);
    if (r.stat.isDirectory()) throw new HttpException({ statusCode: 400, message: `"${p}" is a directory` }, 400);
    const c = readChunk(r.path, r.stat.size, offset, length);
    if (!c.ok) throw new HttpException({ statusCode: c.status, message: c.message }, c.status);
    return { data: c.data, offset: c.offset };
  }

  @Get('download')
  download(@Query('path') p: string | undefined, @Res() res: ServerResponse): void {
    const r = this.resolve(p);
    if (r.stat.isDirectory()) throw new HttpException({ statusCode: 400, message: `"${p}" is a directory` }, 400);
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(r.stat.size));
    res.setHeader('Content-Disposition', `attachment; filename="${path.basename(r.path).replace(/["\\\r\n]/g, '_')}"`);
    const stream = fs.createReadStream(r.path);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  private resolve(p: string | undefined): { path: string; stat: fs.Stats } {
    const r = resolveSandboxPath(this.d.sandboxesRoot, p);
    if (!r.ok) throw new HttpException({ statusCode: r.status, message: r.message }, r.status);
    return r;
  }
}
