import * as fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Param, Req, Res } from '../nest';
import { lookupStatic, uiStaticDir } from './static-files';

/**
 * The UI's scripts come from this master only; its pages call this master and the component APIs named
 * by /agora/services (other origins, hence `connect-src` http(s)). No inline script or style.
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' http: https:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * Serves the web UI (plain HTML, CSS and ES modules from src/ui/static) under `/ui/`. Any master serves
 * it, leading or not (see api/standby.ts): the page asks /agora/services who leads and moves there.
 * Files are read on each request (a handful of small files) with an ETag, so a reload after an upgrade
 * never runs stale scripts.
 */
@Controller('ui')
export class WebUiController {
  private readonly root = uiStaticDir();

  @Get()
  index(@Req() req: IncomingMessage & { path?: string }, @Res() res: ServerResponse): Promise<void> {
    // Relative asset URLs in index.html need the trailing slash.
    if (req.path === '/ui') {
      res.statusCode = 302;
      res.setHeader('Location', '/ui/');
      res.end();
      return Promise.resolve();
    }
    return this.serve(req, res, '');
  }

  @Get(':file')
  file(@Param('file') file: string, @Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return this.serve(req, res, file);
  }

  @Get('js/:file')
  module(@Param('file') file: string, @Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return this.serve(req, res, `js/${file}`);
  }

  private async serve(req: IncomingMessage, res: ServerResponse, rel: string): Promise<void> {
    const found = lookupStatic(this.root, rel);
    if (!found.ok) return notFound(res, found.status);
    let body: Buffer;
    let etag: string;
    try {
      const st = await fs.stat(found.file);
      if (!st.isFile()) return notFound(res, 404);
      etag = `"${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"`;
      if (req.headers['if-none-match'] === etag) {
        res.statusCode = 304;
        res.setHeader('ETag', etag);
        res.end();
        return;
      }
      body = await fs.readFile(found.file);
    } catch {
      return notFound(res, 404);
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', found.contentType);
    res.setHeader('Content-Length', String(body.length));
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}

function notFound(res: ServerResponse, status: number): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ message: status === 400 ? 'bad path' : 'not found' }));
}
