import * as dgram from 'node:dgram';
import { RRType, buildQuery, parseMessage, type DnsMessage } from '../wire';

/**
 * A minimal DNS client over UDP for benchmarks that must ask thousands of times (spawning `dig` for each
 * would measure `dig`). Tests use `dig` itself.
 */
export class DnsClient {
  private readonly socket = dgram.createSocket('udp4');
  private readonly pending = new Map<number, (m: DnsMessage | undefined) => void>();
  private nextId = 1;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.socket.on('message', (msg) => {
      const p = parseMessage(msg);
      if (!p.ok) return;
      const fn = this.pending.get(p.message.header.id);
      if (!fn) return;
      this.pending.delete(p.message.header.id);
      fn(p.message);
    });
    this.socket.unref();
  }

  query(name: string, type: number = RRType.A, timeoutMs = 1000): Promise<DnsMessage | undefined> {
    const id = this.nextId;
    this.nextId = (this.nextId % 0xffff) + 1;
    const bytes = buildQuery({ id, name: name.endsWith('.') ? name : `${name}.`, type, edns: { udpSize: 1232 } });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.pending.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.socket.send(bytes, this.port, this.host);
    });
  }

  /** The A/AAAA addresses of an answer, dotted. */
  static addresses(m: DnsMessage | undefined): string[] {
    return (m?.answers ?? []).flatMap((r) => (r.data.kind === 'A' ? [[...r.data.address].join('.')] : []));
  }

  close(): void {
    for (const fn of this.pending.values()) fn(undefined);
    this.pending.clear();
    this.socket.close();
  }
}
