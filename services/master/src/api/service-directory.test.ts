import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICE_NAMES } from '@agora/contracts';
import { ServiceDirectory, serviceUrls } from './service-directory';
import { agentFilesUrl } from './agent-files-relay';

describe('/agora/services', () => {
  test('catalog entries become HTTP URLs; DNS answers HTTP on meta.httpPort', () => {
    const e = (address: string, port: number, meta: Record<string, string> = {}) => ({ id: `${address}:${port}`, address, port, meta });
    assert.deepEqual(serviceUrls('marathon', [e('127.0.0.1', 8080), e('127.0.0.2', 8080), e('127.0.0.1', 8080)]), ['http://127.0.0.1:8080', 'http://127.0.0.2:8080']);
    assert.deepEqual(serviceUrls('dns', [e('127.0.0.1', 8053, { httpPort: '8123' }), e('127.0.0.1', 8054)]), ['http://127.0.0.1:8123']);
    assert.deepEqual(serviceUrls('chronos', [e('::1', 4400), e('', 4400)]), ['http://[::1]:4400']);
  });

  test('looks up each kind once per moment; a failing lookup is reported, not thrown', async () => {
    let now = 0;
    const asked: string[] = [];
    const catalog = {
      healthyServices: (name: string) => {
        asked.push(name);
        if (name === SERVICE_NAMES.chronos) return Promise.reject(new Error('consul down'));
        return Promise.resolve(name === SERVICE_NAMES.marathon ? [{ id: 'm', address: '10.0.0.1', port: 8080, meta: {} }] : []);
      },
    };
    const dir = new ServiceDirectory(catalog, () => now);
    const first = await dir.lookup();
    assert.deepEqual(first.marathon, ['http://10.0.0.1:8080']);
    assert.deepEqual(first.chronos, []);
    assert.match(first.errors.join(), /agora-chronos: consul down/);
    await dir.lookup();
    assert.equal(asked.length, 4, 'cached');
    now = 5000;
    await dir.lookup();
    assert.equal(asked.length, 8);
  });

  test('the files relay passes path, offset and length only, to the agent it names', () => {
    assert.equal(agentFilesUrl({ ip: '127.0.1.2', port: 5051 }, { path: '/w/sandboxes/f/t/stdout', offset: '-1', other: 'x' }), 'http://127.0.1.2:5051/files/read?path=%2Fw%2Fsandboxes%2Ff%2Ft%2Fstdout&offset=-1');
    assert.equal(agentFilesUrl({ ip: '127.0.1.2', port: 5051 }, { offset: '0' }), undefined);
    assert.equal(agentFilesUrl({ ip: '127.0.1.2', port: 5051 }, { path: ['a', 'b'] }), undefined);
  });
});
