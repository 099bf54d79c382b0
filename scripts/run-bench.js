#!/usr/bin/env node
// Runs the compiled benchmarks (dist/bench/*.bench.js) one after another: each prints its own figures and
// its ratio against a reference measured in the same run. Never part of `npm test`.
// Usage: npm run bench [-- <name substring> …]      e.g. npm run bench -- allocator
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dir = path.join(root, 'dist', 'bench');
const filters = process.argv.slice(2);

if (!fs.existsSync(dir)) {
  console.error('no dist/bench/: run `npm run build` (or `npm run setup`) first');
  process.exit(2);
}
let files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.js'))
  // a benchmark whose source is gone must not run from a stale dist/
  .filter((f) => fs.existsSync(path.join(root, 'bench', f.replace(/\.js$/, '.ts'))))
  .sort();
if (filters.length) files = files.filter((f) => filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(filters.length ? `no benchmark matches ${filters.join(', ')}` : 'no benchmarks built');
  process.exit(2);
}

const failed = [];
for (const f of files) {
  console.log(`\n== ${f.replace(/\.bench\.js$/, '')}`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--enable-source-maps', '--expose-gc', path.join(dir, f)], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, AGORA_LOG_LEVEL: process.env.AGORA_LOG_LEVEL ?? 'warn' },
  });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    failed.push(f);
    console.log(`== ${f}: FAILED (${r.signal ?? `exit ${r.status}`}, ${secs} s)`);
  } else {
    console.log(`== done in ${secs} s`);
  }
}
if (failed.length) {
  console.error(`\n${failed.length} of ${files.length} benchmarks failed: ${failed.join(', ')}`);
  process.exit(1);
}
