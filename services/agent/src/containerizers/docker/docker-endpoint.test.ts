import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEndpoint, dockerErrorMessage, resolveDockerEndpoint } from './docker-endpoint';

describe('resolveDockerEndpoint', () => {
  test('flag, then DOCKER_HOST, then the default socket', () => {
    assert.deepEqual(resolveDockerEndpoint('/tmp/d.sock', 'tcp://h:1'), { socketPath: '/tmp/d.sock' });
    assert.deepEqual(resolveDockerEndpoint(undefined, 'unix:///run/x.sock'), { socketPath: '/run/x.sock' });
    assert.deepEqual(resolveDockerEndpoint(undefined, 'tcp://127.0.0.1:2375'), { protocol: 'http', host: '127.0.0.1', port: 2375 });
    assert.deepEqual(resolveDockerEndpoint(undefined, undefined), { socketPath: '/var/run/docker.sock' });
    assert.deepEqual(resolveDockerEndpoint(undefined, ''), { socketPath: '/var/run/docker.sock' });
    assert.throws(() => resolveDockerEndpoint('ssh://x', undefined), /cannot use/);
    assert.equal(describeEndpoint({ socketPath: '/a' }), 'unix:///a');
    assert.equal(describeEndpoint({ protocol: 'http', host: 'h', port: 1 }), 'tcp://h:1');
  });

  test("dockerErrorMessage prefers the daemon's words", () => {
    const e = Object.assign(new Error('(HTTP code 404) no such image'), { statusCode: 404, json: { message: 'pull access denied for x ' } });
    assert.equal(dockerErrorMessage(e), 'pull access denied for x');
    assert.equal(dockerErrorMessage(new Error('plain')), 'plain');
    assert.equal(dockerErrorMessage(Object.assign(new Error('(HTTP code 500) server error - Get "https://r/v2/": no such host '), { json: null })), 'Get "https://r/v2/": no such host');
  });
});
