import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { corsMiddleware, normalizeOrigin, takeCorsFlag, type CorsPolicy } from './cors';

/** Runs the middleware on a fake request; returns whether it passed on, the status and headers set. */
function run(policy: CorsPolicy, method: string, headers: Record<string, string>) {
  const set = new Map<string, string>();
  let ended = false;
  const res = {
    statusCode: 200,
    setHeader: (k: string, v: string) => set.set(k.toLowerCase(), v),
    end: () => {
      ended = true;
    },
  };
  let passed = false;
  corsMiddleware(policy)({ method, headers } as unknown as IncomingMessage, res as unknown as ServerResponse, () => {
    passed = true;
  });
  return { passed, ended, status: res.statusCode, headers: set };
}

const policyOf = (...values: string[]): CorsPolicy => {
  const r = takeCorsFlag(values.flatMap((v) => ['--access-control-allow-origin', v]));
  if (r.error) throw new Error(r.error);
  return r.cors;
};

describe('CORS for the web UI', () => {
  test('the flag is taken out of argv, in both spellings, repeatable, comma-separated', () => {
    const r = takeCorsFlag(['--port', '1', '--access-control-allow-origin', 'http://127.0.0.1:5050,HTTP://Host:80/', '--access-control-allow-origin=http://b:5060', '--ip', '1.2.3.4']);
    assert.equal(r.error, undefined);
    assert.deepEqual(r.argv, ['--port', '1', '--ip', '1.2.3.4']);
    assert.deepEqual([...r.cors.origins].sort(), ['http://127.0.0.1:5050', 'http://b:5060', 'http://host']);
    assert.equal(r.cors.anyOrigin, false);
    assert.equal(policyOf('*').anyOrigin, true);
  });

  test('bad values are refused', () => {
    for (const v of ['ftp://x', 'http://x/path', 'not a url', 'http://u:p@x']) assert.match(takeCorsFlag(['--access-control-allow-origin', v]).error ?? '', /not an origin/, v);
    assert.match(takeCorsFlag(['--access-control-allow-origin']).error ?? '', /needs a value/);
    assert.equal(normalizeOrigin('https://A.example:443'), 'https://a.example');
  });

  test('an allowed origin gets the headers; its preflight is answered 204', () => {
    const p = policyOf('http://127.0.0.1:5050');
    const get = run(p, 'GET', { origin: 'http://127.0.0.1:5050' });
    assert.equal(get.passed, true);
    assert.equal(get.headers.get('access-control-allow-origin'), 'http://127.0.0.1:5050');
    const pre = run(p, 'OPTIONS', { origin: 'http://127.0.0.1:5050', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' });
    assert.equal(pre.passed, false);
    assert.equal(pre.status, 204);
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /PUT/);
    assert.equal(pre.headers.get('access-control-allow-headers'), 'content-type');
  });

  test('another origin gets no CORS headers and cannot write; clients without Origin are untouched', () => {
    const p = policyOf('http://127.0.0.1:5050');
    const get = run(p, 'GET', { origin: 'http://evil.example' });
    assert.equal(get.passed, true);
    assert.equal(get.headers.get('access-control-allow-origin'), undefined);
    const post = run(p, 'POST', { origin: 'http://evil.example', host: '127.0.0.1:8080' });
    assert.equal(post.passed, false);
    assert.equal(post.status, 403);
    assert.equal(run(p, 'POST', { origin: 'http://127.0.0.1:8080', host: '127.0.0.1:8080' }).passed, true, 'same origin');
    assert.equal(run(p, 'DELETE', {}).passed, true, 'no Origin');
  });

  test('* allows every origin, writes included', () => {
    const r = run(policyOf('*'), 'POST', { origin: 'http://anything:1' });
    assert.equal(r.passed, true);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
  });
});
