import * as net from 'node:net';
import type { Logger } from '@agora/logging';
import type { QueryHandler } from './query-handler';
import { TcpFramer, frame } from './tcp-framing';

export interface TcpLimits {
  /** A connection with nothing to read or write for this long is closed (RFC 7766 §6.2.3). */
  idleMs: number;
  maxConnections: number;
  /** Queries of one connection being answered at once (pipelining); reading pauses beyond it. */
  maxInFlight: number;
  /** Unsent response bytes of one connection above which reading pauses until the client reads. */
  maxBufferedBytes: number;
}

export const DEFAULT_TCP_LIMITS: TcpLimits = { idleMs: 10_000, maxConnections: 1024, maxInFlight: 64, maxBufferedBytes: 1 << 20 };

/**
 * DNS over TCP with length framing: several queries per connection, answered as they are ready (possibly
 * out of order, which RFC 7766 allows). A slow or silent client holds at most one partial message and
 * its connection until the idle timeout; a zero-length frame closes the connection.
 */
export class TcpServer {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  connections = 0;

  constructor(
    private readonly handler: QueryHandler,
    private readonly log: Logger,
    private readonly limits: TcpLimits = DEFAULT_TCP_LIMITS,
  ) {}

  listen(host: string, port: number): Promise<void> {
    const server = net.createServer((sock) => this.serve(sock));
    server.maxConnections = this.limits.maxConnections;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        server.on('error', (e) => this.log.warn({ err: e.message }, 'tcp server error'));
        resolve();
      });
    });
  }

  private serve(sock: net.Socket): void {
    this.connections++;
    this.sockets.add(sock);
    const framer = new TcpFramer();
    let inFlight = 0;
    let paused = false;
    const maybeResume = (): void => {
      if (paused && inFlight < this.limits.maxInFlight && sock.writableLength < this.limits.maxBufferedBytes) {
        paused = false;
        sock.resume();
      }
    };
    sock.setNoDelay(true);
    sock.setTimeout(this.limits.idleMs, () => sock.destroy());
    sock.on('error', () => sock.destroy());
    sock.on('close', () => this.sockets.delete(sock));
    sock.on('drain', maybeResume);
    sock.on('data', (chunk: Buffer) => {
      const msgs = framer.push(chunk);
      if (msgs === 'bad') {
        sock.destroy();
        return;
      }
      for (const m of msgs) {
        inFlight++;
        let answered = false;
        const reply = (bytes: Uint8Array): void => {
          if (answered) return;
          answered = true;
          inFlight--;
          if (!sock.destroyed && sock.writable) sock.write(frame(bytes));
          maybeResume();
        };
        let willReply = false;
        try {
          willReply = this.handler.handle(m, 'tcp', reply);
        } catch (e) {
          this.log.error({ err: e instanceof Error ? e.stack : String(e) }, 'tcp query handling threw');
        }
        // A dropped query gets no reply; it must not count against the connection forever.
        if (!willReply && !answered) {
          answered = true;
          inFlight--;
        }
      }
      if (!paused && (inFlight >= this.limits.maxInFlight || sock.writableLength >= this.limits.maxBufferedBytes)) {
        paused = true;
        sock.pause();
      }
    });
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
