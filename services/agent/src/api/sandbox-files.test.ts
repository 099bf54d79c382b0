import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browse, formatMode, IdNames, MAX_READ_BYTES, readChunk, resolveSandboxPath } from './sandbox-files';

describe('files API helpers', () => {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agora-files-')));
  const root = path.join(tmp, 'sandboxes');
  const box = path.join(root, 'fw', 't1');
  fs.mkdirSync(box, { recursive: true });
  fs.writeFileSync(path.join(box, 'stdout'), 'hello world\n');
  fs.writeFileSync(path.join(tmp, 'secret'), 'no');
  fs.symlinkSync(path.join(tmp, 'secret'), path.join(box, 'escape'));
  fs.symlinkSync(path.join(box, 'stdout'), path.join(box, 'inside-link'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('paths inside the sandboxes resolve; relative ones from the root', () => {
    const r = resolveSandboxPath(root, path.join(box, 'stdout'));
    assert.ok(r.ok && r.path === path.join(box, 'stdout'));
    const rel = resolveSandboxPath(root, 'fw/t1/stdout');
    assert.ok(rel.ok && rel.path === path.join(box, 'stdout'));
    const link = resolveSandboxPath(root, path.join(box, 'inside-link'));
    assert.ok(link.ok && link.path === path.join(box, 'stdout'));
  });

  test('outside, through .. or a symlink: 403; missing: 404; no path: 400', () => {
    const status = (p: string | undefined) => {
      const r = resolveSandboxPath(root, p);
      return r.ok ? 200 : r.status;
    };
    assert.equal(status('/etc/passwd'), 403);
    assert.equal(status(path.join(root, '..', 'secret')), 403);
    assert.equal(status('../secret'), 403);
    assert.equal(status(path.join(box, 'escape')), 403);
    assert.equal(status(`${root}-evil/x`), 403);
    assert.equal(status(path.join(box, 'nope')), 404);
    assert.equal(status(undefined), 400);
    assert.equal(status(''), 400);
  });

  test('readChunk: whole file, offset/length, offset -1 for the size, past the end', () => {
    const f = path.join(box, 'stdout');
    const size = fs.statSync(f).size;
    assert.deepEqual(readChunk(f, size, undefined, undefined), { ok: true, data: 'hello world\n', offset: 0 });
    assert.deepEqual(readChunk(f, size, '6', '5'), { ok: true, data: 'world', offset: 6 });
    assert.deepEqual(readChunk(f, size, '-1', undefined), { ok: true, data: '', offset: size });
    assert.deepEqual(readChunk(f, size, '100', '5'), { ok: true, data: '', offset: 100 });
    assert.equal(readChunk(f, size, '-2', undefined).ok, false);
    assert.equal(readChunk(f, size, 'x', undefined).ok, false);
    assert.equal(readChunk(f, size, '0', '-3').ok, false);
  });

  test('readChunk caps a read at MAX_READ_BYTES', () => {
    const big = path.join(box, 'big');
    fs.writeFileSync(big, Buffer.alloc(MAX_READ_BYTES + 10, 97));
    const r = readChunk(big, MAX_READ_BYTES + 10, '0', undefined);
    assert.ok(r.ok && r.data.length === MAX_READ_BYTES);
  });

  test('browse lists a directory (Mesos entry shape) and a file as itself', () => {
    const names = new IdNames();
    const list = browse(box, fs.statSync(box), names);
    const stdout = list.find((e) => e.path === path.join(box, 'stdout'));
    assert.ok(stdout);
    assert.equal(stdout.size, 12);
    assert.match(stdout.mode, /^-[r-][w-][xsS-][r-][w-][xsS-][r-][w-][xtT-]$/);
    assert.equal(typeof stdout.uid, 'string');
    assert.equal(browse(path.join(box, 'stdout'), fs.statSync(path.join(box, 'stdout')), names).length, 1);
  });

  test('formatMode', () => {
    const st = fs.statSync(box);
    assert.equal(formatMode(st)[0], 'd');
  });
});
