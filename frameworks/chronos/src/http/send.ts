import type { ApiReply } from '../api/chronos-api';
import type { HttpResponse } from './http-types';

/** Writes an ApiReply: JSON, text, or nothing (204). */
export function send(res: HttpResponse, reply: ApiReply): void {
  res.statusCode = reply.status;
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  if (reply.status === 204 || (reply.body === undefined && reply.text === undefined)) {
    res.end();
    return;
  }
  if (reply.text !== undefined) {
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(reply.text);
    return;
  }
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(reply.body));
}
