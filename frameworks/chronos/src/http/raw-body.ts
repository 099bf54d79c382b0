import type { HttpRequest, HttpResponse, Next } from './http-types';

/** Bodies above this are refused (a job definition is a few KB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads the request body as text into `req.rawBody`, whatever its content type: Chronos clients post job
 * JSON as application/json, text/plain, or curl's default form encoding, and Chronos parses it all as
 * JSON. Parsing (and its 400) happens in the API, where the error can say what is wrong.
 */
export function rawBody(req: HttpRequest, res: HttpResponse, next: Next): void {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  req.on('data', (c: Buffer) => {
    if (done) return;
    size += c.length;
    if (size > MAX_BODY_BYTES) {
      done = true;
      res.statusCode = 413;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ message: `the body is larger than ${MAX_BODY_BYTES} bytes` }));
      req.resume();
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (done) return;
    done = true;
    req.rawBody = Buffer.concat(chunks).toString('utf8');
    next();
  });
  req.on('error', (e) => {
    if (done) return;
    done = true;
    next(e);
  });
}
