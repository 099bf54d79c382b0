import type { IncomingMessage, ServerResponse } from 'node:http';

/*
 * Cross-origin access for the web UI, which the master serves (http://<master>:5050/ui/) and which calls
 * this API from the browser. Marathon, Chronos and DNS all use this one.
 *
 * `--access-control-allow-origin ORIGIN[,ORIGIN…]` (repeatable) lists the origins allowed; `*` allows any
 * (opt-in: any web page the operator opens could then drive this API). The launcher passes the masters'
 * URLs. Without the flag no origin is allowed, as in Marathon.
 *
 * Allowed origins get the CORS headers and their preflights (OPTIONS) answered. Beyond CORS, a request
 * that changes something (not GET/HEAD/OPTIONS) and comes from a page of another, not allowed origin is
 * refused with 403: browsers send such "simple" POSTs without asking first, so CORS alone would let any
 * page trigger them. Clients that send no Origin (curl, the CLI, Node's fetch) are not affected.
 */

export const CORS_FLAG = 'access-control-allow-origin';

export interface CorsPolicy {
  /** `*` = any origin; otherwise exact origins (scheme://host[:port], lowercase, no default port). */
  anyOrigin: boolean;
  origins: ReadonlySet<string>;
}

export const NO_CORS: CorsPolicy = { anyOrigin: false, origins: new Set() };

/** `http://Example.com:80/` → `http://example.com`; undefined when it is not an http(s) origin. */
export function normalizeOrigin(text: string): string | undefined {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return undefined;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || u.search || u.hash || (u.pathname !== '/' && u.pathname !== '')) return undefined;
  return u.origin;
}

/**
 * Takes `--access-control-allow-origin` out of argv (both `--flag v` and `--flag=v`), so the app's own flag
 * parser sees the rest unchanged. With `error` set (a message for stderr, the caller exits 2) the policy
 * is NO_CORS.
 */
export function takeCorsFlag(argv: readonly string[]): { argv: string[]; cors: CorsPolicy; error?: string } {
  const rest: string[] = [];
  const values: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === `--${CORS_FLAG}`) {
      const v = argv[i + 1];
      if (v === undefined) return { argv: rest, cors: NO_CORS, error: `--${CORS_FLAG} needs a value` };
      values.push(v);
      i++;
    } else if (arg.startsWith(`--${CORS_FLAG}=`)) values.push(arg.slice(CORS_FLAG.length + 3));
    else rest.push(arg);
  }
  let anyOrigin = false;
  const origins = new Set<string>();
  for (const item of values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean)) {
    if (item === '*') {
      anyOrigin = true;
      continue;
    }
    const o = normalizeOrigin(item);
    if (!o) return { argv: rest, cors: NO_CORS, error: `--${CORS_FLAG}: "${item}" is not an origin like http://10.0.0.1:5050 (or *)` };
    origins.add(o);
  }
  return { argv: rest, cors: { anyOrigin, origins } };
}

const UNSAFE_OK = new Set(['GET', 'HEAD', 'OPTIONS']);
const EXPOSED = 'Location, Marathon-Deployment-Id, X-Agora-Run, X-Marathon-Leader';
const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';

/** Is this origin the server itself (a page it served)? Compared by host[:port] against the Host header. */
function sameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}

/** Express-style middleware applying the policy; put it before every route (and before a standby's proxy). */
export function corsMiddleware(policy: CorsPolicy): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || origin === '') return next();
    const method = (req.method ?? 'GET').toUpperCase();
    const normalized = normalizeOrigin(origin);
    const allowed = policy.anyOrigin || (normalized !== undefined && policy.origins.has(normalized));
    res.setHeader('Vary', 'Origin');
    if (!allowed) {
      if (UNSAFE_OK.has(method) || sameOrigin(origin, req.headers.host)) return next();
      res.statusCode = 403;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ message: `origin ${origin} is not allowed (--${CORS_FLAG})` }));
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', policy.anyOrigin ? '*' : origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED);
    const preflight = method === 'OPTIONS' && typeof req.headers['access-control-request-method'] === 'string';
    if (!preflight) return next();
    res.statusCode = 204;
    res.setHeader('Access-Control-Allow-Methods', METHODS);
    const asked = req.headers['access-control-request-headers'];
    // Echo the headers asked for (token characters only); the API reads none that would need care.
    if (typeof asked === 'string' && /^[A-Za-z0-9!#$%&'*+.^_`|~, -]*$/.test(asked)) res.setHeader('Access-Control-Allow-Headers', asked);
    res.setHeader('Access-Control-Max-Age', '600');
    res.end();
  };
}
