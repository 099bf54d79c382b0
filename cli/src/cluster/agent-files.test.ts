import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK, FileReader, lastLines, readTail } from './agent-files';

/** A file held in memory behind the files-API shape, answering at most `max` bytes per read. */
function memoryFile(content: string, max = CHUNK): FileReader & { reads: number } {
  const buf = Buffer.from(content, 'utf8');
  return {
    reads: 0,
    async size() {
      return buf.length;
    },
    async read(_path, offset, length = CHUNK) {
      this.reads++;
      return { data: buf.subarray(offset, offset + Math.min(length, max)).toString('utf8'), offset };
    },
  };
}

test('lastLines keeps the final newline and counts lines, not separators', () => {
  assert.equal(lastLines('a\nb\nc\n', 2), 'b\nc\n');
  assert.equal(lastLines('a\nb\nc', 2), 'b\nc');
  assert.equal(lastLines('a\n', 5), 'a\n');
  assert.equal(lastLines('a\nb\n', 0), '');
});

test('readTail: whole file, or only the last lines with few reads', async () => {
  const lines = Array.from({ length: 20000 }, (_, i) => `line ${i}`).join('\n') + '\n';
  const f = memoryFile(lines);
  const all = await readTail(f, 'stdout', undefined);
  assert.equal(all?.text, lines);
  assert.equal(all?.end, Buffer.byteLength(lines));
  f.reads = 0;
  const tail = await readTail(f, 'stdout', 3);
  assert.equal(tail?.text, 'line 19997\nline 19998\nline 19999\n');
  assert.equal(f.reads, 1);
});

test('readTail copes with an agent answering short reads', async () => {
  const f = memoryFile('one\ntwo\nthree\n', 4);
  assert.equal((await readTail(f, 'x', undefined))?.text, 'one\ntwo\nthree\n');
  assert.equal((await readTail(f, 'x', 1))?.text, 'three\n');
});
