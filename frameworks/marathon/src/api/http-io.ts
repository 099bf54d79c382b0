import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest } from './api-error';

/** Bodies above this are refused (Marathon's default is 1 MB for app definitions; groups may be larger). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** A request as the route handlers see it: path still percent-encoded (ids decode per segment). */
export interface ApiRequest {
  method: string;
  /** Raw path without the query, no trailing slash (except `/`). */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  remoteAddress: string;
  rawBody: Buffer;
  /** The body parsed as JSON; a body that is not JSON is Marathon's 400 "Invalid JSON". */
  json(): unknown;
}

export interface ApiResult {
  status: number;
  body?: unknown;
  /** Sent as text/plain instead of JSON. */
  text?: string;
  headers?: Record<string, string>;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, { message: `request body larger than ${MAX_BODY_BYTES} bytes` });
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export function toApiRequest(req: IncomingMessage, body: Buffer): ApiRequest {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let path = url.pathname.replace(/\/+$/, '');
  if (path === '') path = '/';
  let parsed: { ok: true; value: unknown } | { ok: false; error: ApiError } | undefined;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    query: url.searchParams,
    headers: req.headers,
    remoteAddress: req.socket.remoteAddress ?? '',
    rawBody: body,
    json() {
      if (!parsed) {
        const text = body.toString('utf8');
        try {
          parsed = { ok: true, value: text.trim() === '' ? undefined : (JSON.parse(text) as unknown) };
        } catch (e) {
          parsed = { ok: false, error: badRequest('Invalid JSON', [{ path: '/', errors: [e instanceof Error ? e.message : String(e)] }]) };
        }
      }
      if (!parsed.ok) throw parsed.error;
      if (parsed.value === undefined) throw badRequest('Invalid JSON', [{ path: '/', errors: ['the request has no body'] }]);
      return parsed.value;
    },
  };
}

export function send(res: ServerResponse, r: ApiResult): void {
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
  if (r.text !== undefined) {
    res.statusCode = r.status;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(r.text);
    return;
  }
  res.statusCode = r.status;
  if (r.body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(r.body));
}

/** `?force=true` style booleans (absent → the default). */
export function flag(q: URLSearchParams, name: string, dflt = false): boolean {
  const v = q.get(name);
  if (v === null) return dflt;
  return v === '' || v.toLowerCase() === 'true' || v === '1';
}

/** A client that asked for text/plain and not JSON (Marathon's /v2/tasks text form). */
export function wantsText(req: ApiRequest): boolean {
  const accept = String(req.headers['accept'] ?? '');
  return accept.includes('text/plain') && !accept.includes('application/json');
}
