/**
 * DNS over TCP frames each message with a two-byte big-endian length (RFC 1035 §4.2.2, RFC 7766).
 * Collects bytes from a stream and hands out whole messages; never holds more than one message plus its
 * prefix, so a peer announcing 65535 bytes and sending them slowly costs at most 64 KiB.
 */
export class TcpFramer {
  private buf: Buffer = Buffer.alloc(0);

  /** Appends a chunk; returns the complete messages in it (in order) or 'bad' for a zero-length frame. */
  push(chunk: Buffer): Buffer[] | 'bad' {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    let off = 0;
    while (this.buf.length - off >= 2) {
      const len = this.buf.readUInt16BE(off);
      if (len === 0) return 'bad';
      if (this.buf.length - off - 2 < len) break;
      out.push(this.buf.subarray(off + 2, off + 2 + len));
      off += 2 + len;
    }
    // Copy the remainder so the messages handed out do not pin a large chunk.
    this.buf = off === 0 ? this.buf : Buffer.from(this.buf.subarray(off));
    return out;
  }

  /** Bytes of an incomplete message waiting for the rest. */
  get pending(): number {
    return this.buf.length;
  }
}

/** A message with its length prefix, ready to write. */
export function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(message.length + 2);
  out.writeUInt16BE(message.length, 0);
  out.set(message, 2);
  return out;
}
