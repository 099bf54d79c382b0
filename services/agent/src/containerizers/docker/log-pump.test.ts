import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LOG_MARK_FILE, LogPump, readLogMark, sinceParam } from './log-pump';

function frame(stream: 1 | 2, ts: string, text: string): Buffer {
  const payload = Buffer.from(`${ts} ${text}`);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(payload.length, 4);
  return Buffer.concat([head, payload]);
}

const T1 = '2026-11-21T10:00:00.000000001Z';
const T2 = '2026-11-21T10:00:00.500000000Z';
const T3 = '2026-11-21T10:00:01.000000000Z';

describe('LogPump', () => {
  test('demultiplexes frames split anywhere into stdout and stderr, strips timestamps, marks the last one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-logpump-'));
    try {
      const pump = new LogPump(dir);
      const all = Buffer.concat([frame(1, T1, 'out 1\n'), frame(2, T2, 'err 1\n'), frame(1, T3, 'partial')]);
      // byte by byte: the HTTP stream may cut frames (and headers) at any point
      for (let i = 0; i < all.length; i++) pump.feed(all.subarray(i, i + 1));
      await pump.close();
      assert.equal(fs.readFileSync(path.join(dir, 'stdout'), 'utf8'), 'out 1\npartial');
      assert.equal(fs.readFileSync(path.join(dir, 'stderr'), 'utf8'), 'err 1\n');
      assert.equal(readLogMark(dir), T3);

      // a restarted agent resumes after the mark: nothing is copied twice
      const again = new LogPump(dir, readLogMark(dir));
      again.feed(Buffer.concat([frame(1, T2, 'old\n'), frame(1, T3, 'old too\n'), frame(1, '2026-11-21T10:00:02.000000000Z', 'new\n')]));
      await again.close();
      assert.equal(fs.readFileSync(path.join(dir, 'stdout'), 'utf8'), 'out 1\npartialnew\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('sinceParam and a garbled mark', () => {
    assert.equal(sinceParam(T2), `${Date.parse('2026-11-21T10:00:00Z') / 1000}.500000000`);
    assert.equal(sinceParam('nonsense'), undefined);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-logpump-'));
    try {
      fs.writeFileSync(path.join(dir, LOG_MARK_FILE), 'garbage');
      assert.equal(readLogMark(dir), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
