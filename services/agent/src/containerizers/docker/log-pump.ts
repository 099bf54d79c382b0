import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the timestamp of the last log line copied into the sandbox is kept, for a restarted agent. */
export const LOG_MARK_FILE = '.agora-docker-logs';
/** The mark is rewritten at most this often: a crash may copy up to this much output twice, never lose it. */
const MARK_EVERY_MS = 1000;

/**
 * Copies a container's output, as Docker's logs endpoint streams it (non-TTY: frames of
 * `[stream, 0, 0, 0, size32be]` + payload, each payload one log message prefixed with its RFC 3339
 * timestamp), into the sandbox's `stdout` and `stderr` files. Remembers the last timestamp so that a
 * restarted agent can resume after it (`since` + `skipThrough`) instead of copying everything again.
 */
export class LogPump {
  private pending: Buffer = Buffer.alloc(0);
  private readonly out: fs.WriteStream;
  private readonly err: fs.WriteStream;
  private last: string | undefined;
  private markedAt = 0;
  private marked: string | undefined;

  constructor(
    private readonly sandbox: string,
    /** Messages with a timestamp up to this one were copied by an earlier agent. */
    private readonly skipThrough?: string,
  ) {
    this.out = fs.createWriteStream(path.join(sandbox, 'stdout'), { flags: 'a' });
    this.err = fs.createWriteStream(path.join(sandbox, 'stderr'), { flags: 'a' });
    // a sandbox removed under us must not take the agent down
    this.out.on('error', () => undefined);
    this.err.on('error', () => undefined);
  }

  feed(chunk: Buffer): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (buf.length >= 8) {
      const size = buf.readUInt32BE(4);
      if (buf.length < 8 + size) break;
      this.message(buf[0] === 2 ? this.err : this.out, buf.subarray(8, 8 + size));
      buf = buf.subarray(8 + size);
    }
    this.pending = Buffer.from(buf);
    if (this.last !== undefined && this.last !== this.marked && Date.now() - this.markedAt >= MARK_EVERY_MS) this.mark();
  }

  /** Timestamp of the last message copied (or of the one resumed after), to follow on from it. */
  get lastTimestamp(): string | undefined {
    return this.last ?? this.skipThrough;
  }

  /** Flushes the files and the mark; resolves once the output is written. */
  async close(): Promise<void> {
    if (this.last !== undefined && this.last !== this.marked) this.mark();
    await Promise.all([endStream(this.out), endStream(this.err)]);
  }

  private message(to: fs.WriteStream, payload: Buffer): void {
    const sp = payload.indexOf(0x20);
    if (sp <= 0) {
      to.write(payload);
      return;
    }
    const ts = payload.subarray(0, sp).toString('latin1');
    // Docker's fixed-width nanosecond UTC timestamps order correctly as strings
    if (this.skipThrough !== undefined && ts <= this.skipThrough) return;
    this.last = ts;
    to.write(payload.subarray(sp + 1));
  }

  private mark(): void {
    this.markedAt = Date.now();
    this.marked = this.last;
    try {
      fs.writeFileSync(path.join(this.sandbox, LOG_MARK_FILE), `${this.last}\n`);
    } catch {
      // sandbox gone: nothing to resume into anyway
    }
  }
}

/** The timestamp an earlier agent copied the logs up to, if any. */
export function readLogMark(sandbox: string): string | undefined {
  try {
    const t = fs.readFileSync(path.join(sandbox, LOG_MARK_FILE), 'utf8').trim();
    return /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(t) ? t : undefined;
  } catch {
    return undefined;
  }
}

/** Docker's `since` (seconds.nanoseconds) for a log timestamp. */
export function sinceParam(ts: string): string | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(ts);
  if (!m?.[1]) return undefined;
  const secs = Math.floor(Date.parse(`${m[1]}Z`) / 1000);
  if (!Number.isFinite(secs)) return undefined;
  return `${secs}.${(m[2] ?? '').padEnd(9, '0')}`;
}

function endStream(s: fs.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (s.destroyed || s.writableFinished) return resolve();
    s.end(() => resolve());
    s.once('error', () => resolve());
  });
}
