import * as http from 'node:http';
import type { LeaderAddress } from './leadership';

const VIA = 'x-marathon-via';
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host']);

/**
 * A standby answers by forwarding the request to the leader and streaming its answer back (status,
 * headers, body — also the endless body of `/v2/events`), as Marathon's standbys do. Each hop adds
 * itself to `X-Marathon-Via`; a request that already passed through this instance is a loop (two
 * instances that each think the other leads) and gets 502 instead of bouncing forever.
 */
export function proxyToLeader(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, leader: LeaderAddress, self: LeaderAddress): void {
  const me = `${self.host}:${self.port}`;
  const via = String(req.headers[VIA] ?? '');
  if (via.split(',').map((s) => s.trim()).includes(me)) {
    res.statusCode = 502;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ message: `proxy loop: the request already went through ${me}` }));
    return;
  }
  const headers: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
  headers[VIA] = via ? `${via}, ${me}` : me;
  headers['content-length'] = String(body.length);
  const upstream = http.request(
    { host: leader.host, port: leader.port, method: req.method, path: req.url, headers },
    (answer) => {
      res.statusCode = answer.statusCode ?? 502;
      for (const [k, v] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) res.setHeader(k, v);
      res.setHeader(VIA, headers[VIA] as string);
      answer.pipe(res);
    },
  );
  upstream.on('error', (e) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.statusCode = 502;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ message: `the leader at ${leader.host}:${leader.port} did not answer: ${e.message}` }));
  });
  // A client that goes away (an SSE reader) must not keep the upstream stream open.
  res.on('close', () => upstream.destroy());
  upstream.end(body);
}
