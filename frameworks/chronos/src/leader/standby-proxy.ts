import type { Logger } from '@agora/logging';
import type { HttpRequest, HttpResponse, Next } from '../http/http-types';
import type { Leadership } from './leadership';

/** Paths every instance answers itself, leader or not. */
export const ALWAYS_LOCAL = new Set(['/v1/scheduler/leader', '/scheduler/leader', '/ping', '/health']);

/** Marks a request a standby forwarded, so two instances that disagree about the leader cannot loop. */
export const PROXIED_HEADER = 'x-agora-proxied-by';

const PROXY_TIMEOUT_MS = 30_000;

/**
 * A standby answers the API by forwarding the request to the leader and relaying its answer (status,
 * content type, body, Agora's headers): clients may talk to any instance, and POST/PUT bodies survive,
 * which a redirect would not promise. Without a leader the answer is 503.
 */
export function standbyProxy(leadership: Leadership, log: Logger) {
  return (req: HttpRequest, res: HttpResponse, next: Next): void => {
    if (leadership.isLeader || ALWAYS_LOCAL.has(req.path)) return next();
    const leader = leadership.leader;
    if (!leader || leader.id === leadership.self.id || req.headers[PROXIED_HEADER] !== undefined) {
      res.statusCode = 503;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ message: 'no elected chronos leader' }));
      return;
    }
    void forward(req, res, leader.url, leadership.self.id).catch((e: unknown) => {
      log.warn({ err: String(e), leader: leader.url }, 'proxying to the leader failed');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.statusCode = 502;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ message: `the leader at ${leader.url} did not answer` }));
    });
  };
}

async function forward(req: HttpRequest, res: HttpResponse, leaderUrl: string, selfId: string): Promise<void> {
  const headers: Record<string, string> = { [PROXIED_HEADER]: selfId };
  const ct = req.headers['content-type'];
  if (typeof ct === 'string') headers['content-type'] = ct;
  const accept = req.headers.accept;
  if (typeof accept === 'string') headers.accept = accept;
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), PROXY_TIMEOUT_MS);
  try {
    const answer = await fetch(leaderUrl.replace(/\/$/, '') + req.originalUrl, {
      method: req.method,
      headers,
      ...(hasBody ? { body: req.rawBody ?? '' } : {}),
      redirect: 'manual',
      signal: ctl.signal,
    });
    const body = Buffer.from(await answer.arrayBuffer());
    res.statusCode = answer.status;
    answer.headers.forEach((value, name) => {
      if (name === 'content-type' || name === 'location' || name.startsWith('x-agora-')) res.setHeader(name, value);
    });
    res.end(body);
  } finally {
    clearTimeout(timer);
  }
}
