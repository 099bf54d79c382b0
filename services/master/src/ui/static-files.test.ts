import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contentTypeOf, lookupStatic, uiStaticDir } from './static-files';

describe('web UI static files', () => {
  const root = uiStaticDir();

  test('the static dir is found from the compiled file and holds the page, its style and its modules', () => {
    for (const f of ['index.html', 'app.css', 'favicon.svg', 'js/main.mjs']) assert.ok(fs.existsSync(path.join(root, f)), f);
  });

  test('paths map to files with their content type; the dir itself is index.html', () => {
    assert.deepEqual(lookupStatic(root, ''), { ok: true, file: path.join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
    assert.deepEqual(lookupStatic(root, 'js/main.mjs'), { ok: true, file: path.join(root, 'js', 'main.mjs'), contentType: 'text/javascript; charset=utf-8' });
    assert.equal(contentTypeOf('app.css'), 'text/css; charset=utf-8');
    assert.equal(contentTypeOf('x.svg'), 'image/svg+xml');
  });

  test('nothing outside the dir, no dot files, no unknown types', () => {
    for (const bad of ['../package.json', 'js/../../x.html', '.hidden.css', 'js//main.mjs', 'a\\b.js', 'x\0.js']) assert.deepEqual(lookupStatic(root, bad), { ok: false, status: 400 }, bad);
    assert.deepEqual(lookupStatic(root, 'main.ts'), { ok: false, status: 404 });
  });
});
