import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { commandProbe, httpProbe, runProbe, tcpProbe } from './probes';

let server: http.Server;
let port = 0;

before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/ok') res.writeHead(200).end('fine');
    else if (req.url === '/redirect') res.writeHead(302, { Location: '/ok' }).end();
    else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end(), 2000);
    else res.writeHead(503).end('down');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const http1 = (path: string, timeoutMs = 1000) => runProbe({ kind: 'http', https: false, host: '127.0.0.1', port, path, timeoutMs });

test('HTTP: 2xx and 3xx pass, 5xx fails with its status, a slow answer times out', async () => {
  assert.deepEqual(await http1('/ok'), { outcome: 'pass' });
  assert.deepEqual(await http1('/redirect'), { outcome: 'pass' });
  assert.deepEqual(await http1('/nope'), { outcome: 'fail', cause: 'HTTP 503' });
  const slow = await http1('/slow', 200);
  assert.equal(slow.outcome, 'fail');
});

test('readiness-style HTTP probes pass only on the listed statuses and keep the answer', async () => {
  const r = await httpProbe({ kind: 'http', https: false, host: '127.0.0.1', port, path: '/nope', timeoutMs: 1000, passStatuses: [503] });
  assert.equal(r.result.outcome, 'pass');
  assert.equal(r.answer?.body, 'down');
});

test('TCP: a listening port passes, a closed one fails', async () => {
  assert.deepEqual(await tcpProbe({ kind: 'tcp', host: '127.0.0.1', port, timeoutMs: 1000 }), { outcome: 'pass' });
  const closed = await tcpProbe({ kind: 'tcp', host: '127.0.0.1', port: 1, timeoutMs: 1000 });
  assert.equal(closed.outcome, 'fail');
});

test('COMMAND: exit status 0 passes, with the task environment', async () => {
  assert.deepEqual(await commandProbe({ kind: 'command', command: 'test "$PORT0" = 1234', env: { PORT0: '1234' }, timeoutMs: 2000 }), { outcome: 'pass' });
  const r = await commandProbe({ kind: 'command', command: 'exit 7', env: {}, timeoutMs: 2000 });
  assert.deepEqual(r, { outcome: 'fail', cause: 'exit status 7' });
});
