#!/usr/bin/env node
// Pure cores (DESIGN.md) import no NestJS, no NATS, no Consul, no Node I/O. This check runs in every
// build; it fails the build when a pure file imports something it must not.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const PURE_DIRS = [
  'libs/model/src',
  'libs/contracts/src',
  'services/master/src/allocator',
  'services/dns/src/records',
  'services/dns/src/wire',
  'services/dns/src/answer',
  'frameworks/marathon/src/core',
  'frameworks/chronos/src/core',
];
const ALLOWED = [/^\.{1,2}\//, /^@agora\/model$/, /^@agora\/contracts$/, /^zod$/, /^cron-parser$/, /^fast-check$/, /^node:test$/, /^node:assert(\/strict)?$/];

let bad = 0;
function walk(dir) {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith('.ts')) check(p);
  }
}
function check(file) {
  const src = fs.readFileSync(file, 'utf8');
  const isTest = file.endsWith('.test.ts');
  const re = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  let m;
  while ((m = re.exec(src))) {
    const spec = m[1] || m[2] || m[3];
    if (ALLOWED.some((r) => r.test(spec))) continue;
    // tests of a pure core may read fixtures from disk
    if (isTest && /^node:(fs|path)$/.test(spec)) continue;
    if (file.includes('libs/contracts') && spec === '@agora/model') continue;
    console.error(`purity: ${path.relative(root, file)} imports "${spec}" (pure cores may import only the model, contracts, zod and cron-parser)`);
    bad++;
  }
}
for (const d of PURE_DIRS) walk(path.join(root, d));
if (bad) process.exit(1);
