import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { RRClass, RRType, Rcode, emptyHeader, encodeMessage, nameKey, parseMessage, type DnsMessage } from '../wire';
import { TcpFramer, frame } from '../server/tcp-framing';

/**
 * A tiny authoritative DNS server for tests: A records from a fixed table, NXDOMAIN for the rest, on
 * UDP and TCP of one loopback port. It stands in for "an upstream resolver" when testing forwarding.
 */
export class StaticDnsServer {
  private udp: dgram.Socket | undefined;
  private tcp: net.Server | undefined;
  queries = 0;

  /** `records`: lowercase FQDN with trailing dot → IPv4 addresses. */
  constructor(private readonly records: Record<string, string[]>) {}

  answer(packet: Uint8Array): Uint8Array | undefined {
    const p = parseMessage(packet);
    if (!p.ok || p.message.header.qr) return undefined;
    this.queries++;
    const q = p.message.questions[0];
    const ips = q ? this.records[nameKey(q.name)] : undefined;
    const msg: DnsMessage = {
      header: { ...emptyHeader(p.message.header.id), qr: true, aa: true, rd: p.message.header.rd, ra: true },
      rcode: ips ? Rcode.NOERROR : Rcode.NXDOMAIN,
      questions: q ? [q] : [],
      answers:
        q && ips && (q.type === RRType.A || q.type === RRType.ANY)
          ? ips.map((ip) => ({ name: q.name, type: RRType.A, class: RRClass.IN, ttl: 30, data: { kind: 'A' as const, address: Uint8Array.from(ip.split('.').map(Number)) } }))
          : [],
      authorities: [],
      additionals: [],
    };
    return encodeMessage(msg).bytes;
  }

  async listen(host: string, port: number): Promise<void> {
    const udp = dgram.createSocket('udp4');
    udp.on('message', (m, r) => {
      const a = this.answer(m);
      if (a) udp.send(a, r.port, r.address);
    });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, host, () => resolve());
    });
    this.udp = udp;
    const tcp = net.createServer((sock) => {
      const framer = new TcpFramer();
      sock.on('error', () => sock.destroy());
      sock.on('data', (chunk) => {
        const msgs = framer.push(chunk);
        if (msgs === 'bad') return void sock.destroy();
        for (const m of msgs) {
          const a = this.answer(m);
          if (a) sock.write(frame(a));
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, host, () => resolve());
    });
    this.tcp = tcp;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r()));
    await new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : r()));
  }
}
