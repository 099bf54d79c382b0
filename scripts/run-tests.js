#!/usr/bin/env node
// Runs every compiled test file (unit tests next to the code, end-to-end tests in test/) with Node's
// test runner, one file at a time (the machine has 2 cores and e2e tests start real clusters).
// Usage: node scripts/run-tests.js [substring-filter …]
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const filters = process.argv.slice(2);

function walk(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.test\.js$/.test(e.name)) out.push(p);
  }
  return out;
}

if (!fs.existsSync(dist)) {
  console.error('no dist/: run `npm run build` (or `npm test`, which builds) first');
  process.exit(2);
}
let files = walk(dist, []).sort();
// unit tests first (fast feedback), end-to-end (dist/test/**) after
files = [...files.filter((f) => !f.includes(`${path.sep}dist${path.sep}test${path.sep}`)), ...files.filter((f) => f.includes(`${path.sep}dist${path.sep}test${path.sep}`))];
// a test whose source is gone must not run from a stale dist/
files = files.filter((f) => {
  const src = path.join(root, path.relative(dist, f)).replace(/\.js$/, '.ts');
  return fs.existsSync(src);
});
if (filters.length) files = files.filter((f) => filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(2);
}
const env = { ...process.env, AGORA_LOG_LEVEL: process.env.AGORA_LOG_LEVEL ?? 'warn' };
const e2eDir = `${path.sep}dist${path.sep}test${path.sep}`;
const docker = files.some((f) => f.includes(e2eDir) && /docker/i.test(path.basename(f))) ? dockerForRun(env) : undefined;
const args = ['--enable-source-maps', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root, env });
docker?.stop();
process.exit(r.status ?? 1);

/**
 * Docker tests need a daemon. Where none answers (DOCKER_HOST, /var/run/docker.sock) one is started for
 * this run with deploy/docker-daemon.sh (vfs, no bridge, data in a temp dir), handed to the tests through
 * DOCKER_HOST, and stopped afterwards. If it cannot start, the tests try themselves and fail saying why.
 */
function dockerForRun(env) {
  const answers = (sock) => spawnSync('curl', ['-fsS', '--max-time', '2', '--unix-socket', sock, 'http://docker/_ping'], { encoding: 'utf8' }).stdout === 'OK';
  const given = (env.DOCKER_HOST || '').replace(/^unix:\/\//, '');
  if ((given.startsWith('/') && answers(given)) || (!given && answers('/var/run/docker.sock'))) return undefined;
  const dir = fs.mkdtempSync('/tmp/agora-dockerd-');
  const script = path.join(root, 'deploy', 'docker-daemon.sh');
  const started = spawnSync('bash', [script, 'start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (started.status !== 0) {
    console.error('run-tests: could not start a Docker daemon for the Docker tests (they will fail)');
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  env.DOCKER_HOST = started.stdout.trim();
  console.error(`run-tests: started a Docker daemon for this run at ${env.DOCKER_HOST}`);
  // Ctrl-C reaches the test runner too; we live on to stop the daemon once it has ended
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => undefined);
  return {
    stop() {
      spawnSync('bash', [script, 'stop', dir], { stdio: 'inherit' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
