import * as dgram from 'node:dgram';
import * as dns from 'node:dns';
import { isIP, isIPv6 } from 'node:net';
import type { Logger } from '@agora/logging';
import type { QueryHandler } from './query-handler';

/** Kernel receive buffer asked for: absorbs bursts while the event loop is busy (the kernel may cap it). */
const RECV_BUFFER = 4 * 1024 * 1024;

/**
 * dgram resolves the destination of every send, even an IP literal, through dns.lookup, which answers on
 * the next tick: a closure, a tick and an async-id scope per reply. Replies always go to the sender's
 * address, so literals are passed straight through (names, e.g. a `Listener` host name, still resolve).
 */
const literalLookup = ((address: string, family: unknown, callback: (err: Error | null, address: string, family: number) => void): void => {
  const v = isIP(address);
  if (v !== 0) callback(null, address, v);
  else dns.lookup(address, { family: family === 6 ? 6 : 4 }, callback);
}) as unknown as dgram.SocketOptions['lookup'];

/** DNS over UDP: one datagram in, at most one out. Socket errors are logged, never fatal. */
export class UdpServer {
  private socket: dgram.Socket | undefined;
  sendErrors = 0;

  constructor(
    private readonly handler: QueryHandler,
    private readonly log: Logger,
  ) {}

  listen(host: string, port: number): Promise<void> {
    const s = dgram.createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', recvBufferSize: RECV_BUFFER, sendBufferSize: RECV_BUFFER, lookup: literalLookup });
    this.socket = s;
    return new Promise((resolve, reject) => {
      const onStartError = (e: Error): void => reject(e);
      s.once('error', onStartError);
      s.on('message', (msg, rinfo) => {
        try {
          this.handler.handle(msg, 'udp', (bytes) => this.send(s, bytes, rinfo));
        } catch (e) {
          // The handler answers every input itself; this only guards against a bug costing the socket.
          this.log.error({ err: e instanceof Error ? e.stack : String(e) }, 'udp query handling threw');
        }
      });
      s.bind(port, host, () => {
        s.off('error', onStartError);
        s.on('error', (e) => {
          this.sendErrors++;
          this.log.debug({ err: e.message }, 'udp socket error');
        });
        resolve();
      });
    });
  }

  private send(s: dgram.Socket, bytes: Uint8Array, rinfo: dgram.RemoteInfo): void {
    // No callback: Node then skips a JS completion call per datagram; a failed send surfaces as the
    // socket's 'error' event, which is logged.
    s.send(bytes, rinfo.port, rinfo.address);
  }

  close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => {
      try {
        s.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}
