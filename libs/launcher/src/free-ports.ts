import * as dgram from 'node:dgram';
import * as net from 'node:net';

/** Ports this process already handed out: the kernel may offer a just-closed port again. */
const handedOut = new Set<string>();

export interface FreePortOptions {
  /** Address to probe (default 127.0.0.1); agents probe their own 127.0.1.N. */
  host?: string;
  /** Also require the UDP port to be free (Consul's serf, DNS). */
  udp?: boolean;
}

/**
 * `count` distinct ports that are free right now on `host`, found by binding port 0 (the kernel picks)
 * and holding every socket until all are found. Another process can still take one before we use it;
 * on a loopback-only test machine that window is small enough.
 */
export async function findFreePorts(count: number, opts: FreePortOptions = {}): Promise<number[]> {
  const host = opts.host ?? '127.0.0.1';
  const held: Array<{ close(): void }> = [];
  const ports: number[] = [];
  try {
    let tries = 0;
    while (ports.length < count) {
      if (++tries > count * 50) throw new Error(`could not find ${count} free ports on ${host}`);
      const server = await listenTcp(host);
      held.push({ close: () => server.close() });
      const port = (server.address() as net.AddressInfo).port;
      const key = `${host}:${port}`;
      if (handedOut.has(key) || ports.includes(port)) continue;
      if (opts.udp) {
        const sock = await bindUdp(host, port);
        if (!sock) continue;
        held.push({ close: () => sock.close() });
      }
      ports.push(port);
    }
  } finally {
    for (const h of held) h.close();
  }
  for (const p of ports) handedOut.add(`${host}:${p}`);
  return ports;
}

export async function findFreePort(opts: FreePortOptions = {}): Promise<number> {
  const [p] = await findFreePorts(1, opts);
  return p as number;
}

function listenTcp(host: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => resolve(server));
  });
}

function bindUdp(host: string, port: number): Promise<dgram.Socket | undefined> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    sock.unref();
    sock.once('error', () => {
      try {
        sock.close();
      } catch {
        // never bound
      }
      resolve(undefined);
    });
    sock.bind({ address: host, port, exclusive: true }, () => resolve(sock));
  });
}
