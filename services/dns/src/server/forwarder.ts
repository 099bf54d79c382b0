import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type { Logger } from '@agora/logging';
import { TcpFramer, frame } from './tcp-framing';
import type { Upstream } from './upstream-address';

interface Pending {
  upstream: Upstream;
  resolve: (bytes: Buffer | undefined) => void;
  timer: NodeJS.Timeout;
}

/** How many forwarded queries may wait for an upstream at once; beyond that they fail at once (SERVFAIL). */
const MAX_PENDING = 10_000;

/**
 * Relays queries for names outside our zones to upstream resolvers, as Mesos-DNS does. Over UDP the query
 * goes out through one shared socket per address family with a fresh id (the client's id is put back on
 * the answer), and an answer counts only when it comes from the upstream asked. Upstreams are tried in
 * order, each for `timeoutMs`; a TC answer to a TCP client is fetched again over TCP. `undefined` means
 * nobody answered: the caller replies SERVFAIL.
 */
export class Forwarder {
  private sockets: Partial<Record<4 | 6, dgram.Socket>> = {};
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  forwarded = 0;
  failed = 0;

  constructor(private readonly log: Logger) {}

  async forward(query: Uint8Array, upstreams: readonly Upstream[], transport: 'udp' | 'tcp', timeoutMs: number): Promise<Buffer | undefined> {
    this.forwarded++;
    for (const u of upstreams) {
      if (this.closed) break;
      let answer = await this.udpExchange(query, u, timeoutMs);
      if (answer && transport === 'tcp' && answer.length >= 3 && ((answer[2] as number) & 0x02) !== 0) {
        answer = (await this.tcpExchange(query, u, timeoutMs)) ?? answer;
      }
      if (answer) return answer;
    }
    this.failed++;
    return undefined;
  }

  private socket(family: 4 | 6): dgram.Socket {
    const existing = this.sockets[family];
    if (existing) return existing;
    const s = dgram.createSocket(family === 4 ? 'udp4' : 'udp6');
    s.on('message', (msg, rinfo) => this.onAnswer(msg, rinfo));
    s.on('error', (e) => {
      this.log.warn({ err: e.message }, 'forwarder socket error; reopening');
      if (this.sockets[family] === s) delete this.sockets[family];
      s.close();
    });
    s.bind(0, family === 4 ? '0.0.0.0' : '::');
    s.unref();
    this.sockets[family] = s;
    return s;
  }

  private onAnswer(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (msg.length < 12 || ((msg[2] as number) & 0x80) === 0) return;
    const id = msg.readUInt16BE(0);
    const p = this.pending.get(id);
    if (!p || p.upstream.port !== rinfo.port || normalise(p.upstream.host) !== normalise(rinfo.address)) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(msg);
  }

  private freeId(): number | undefined {
    if (this.pending.size >= MAX_PENDING) return undefined;
    for (let i = 0; i < 64; i++) {
      const id = Math.floor(Math.random() * 0x10000);
      if (!this.pending.has(id)) return id;
    }
    return undefined;
  }

  private udpExchange(query: Uint8Array, u: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
    const id = this.freeId();
    if (id === undefined || query.length < 12) return Promise.resolve(undefined);
    const clientId = ((query[0] as number) << 8) | (query[1] as number);
    const out = Buffer.from(query);
    out.writeUInt16BE(id, 0);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.pending.set(id, {
        upstream: u,
        timer,
        resolve: (bytes) => {
          if (bytes) bytes.writeUInt16BE(clientId, 0);
          resolve(bytes);
        },
      });
      try {
        this.socket(u.family).send(out, u.port, u.host, (err) => {
          if (!err) return;
          this.log.debug({ upstream: u.text, err: err.message }, 'forward send failed');
          const p = this.pending.get(id);
          if (p) {
            this.pending.delete(id);
            clearTimeout(p.timer);
            resolve(undefined);
          }
        });
      } catch (e) {
        this.pending.delete(id);
        clearTimeout(timer);
        this.log.debug({ upstream: u.text, err: String(e) }, 'forward send failed');
        resolve(undefined);
      }
    });
  }

  private tcpExchange(query: Uint8Array, u: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const framer = new TcpFramer();
      let done = false;
      const sock = net.connect({ host: u.host, port: u.port });
      const finish = (bytes: Buffer | undefined): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        sock.destroy();
        resolve(bytes);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      sock.on('connect', () => sock.write(frame(query)));
      sock.on('data', (chunk) => {
        const msgs = framer.push(chunk);
        if (msgs === 'bad') return finish(undefined);
        const first = msgs[0];
        if (first) finish(Buffer.from(first));
      });
      sock.on('error', () => finish(undefined));
      sock.on('close', () => finish(undefined));
    });
  }

  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.resolve(undefined);
    }
    this.pending.clear();
    for (const s of Object.values(this.sockets)) s?.close();
    this.sockets = {};
  }
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are the same sender. */
function normalise(addr: string): string {
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr.toLowerCase();
}
