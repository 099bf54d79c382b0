import type { ServerResponse } from 'node:http';
import { sseFrame, type EventHub } from '../events/event-hub';
import type { ApiRequest } from './http-io';

const HEARTBEAT_MS = 15_000;
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/**
 * GET /v2/events: Server-Sent Events, one frame per Marathon event (`event: <type>`, `data: <json>`),
 * filtered by repeated `event_type=` parameters. A comment line every 15 s keeps proxies from closing an
 * idle stream. Clients must accept `text/event-stream` (else 405, as Marathon answers).
 */
export function streamEvents(req: ApiRequest, res: ServerResponse, hub: EventHub): void {
  const accept = String(req.headers['accept'] ?? '*/*');
  if (!accept.includes('text/event-stream') && !accept.includes('*/*')) {
    res.statusCode = 405;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ message: 'HTTP 405 Method Not Allowed: /v2/events needs Accept: text/event-stream' }));
    return;
  }
  const filter = new Set(req.query.getAll('event_type').flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean));
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Connection', 'keep-alive');
  res.flushHeaders();
  res.write(': marathon event stream\n\n');
  const unsubscribe = hub.subscribe((e) => {
    if (filter.size > 0 && !filter.has(e.eventType)) return;
    // A reader that stopped reading must not make Marathon buffer without bound: drop it.
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy();
      return;
    }
    res.write(sseFrame(e));
  });
  const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  beat.unref();
  res.on('close', () => {
    clearInterval(beat);
    unsubscribe();
    hub.publish('event_stream_detached', { remoteAddress: req.remoteAddress });
  });
  hub.publish('event_stream_attached', { remoteAddress: req.remoteAddress });
}
