/** An upstream resolver's address as the forwarder dials it. */
export interface Upstream {
  host: string;
  port: number;
  family: 4 | 6;
  /** `host:port` / `[host]:port`, for logs. */
  text: string;
}

function isIpv4(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s) && s.split('.').every((o) => Number(o) <= 255);
}

function isIpv6(s: string): boolean {
  return s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s);
}

export function isIp(s: string): boolean {
  return isIpv4(s) || isIpv6(s);
}

/**
 * Mesos-DNS lists resolvers as bare IPs (port 53); Agora also takes `IP:PORT` and `[IPv6]:PORT`, so tests
 * and benchmarks can point at a resolver on a high loopback port. Anything else → undefined.
 */
export function parseUpstream(text: string): Upstream | undefined {
  const s = text.trim();
  let host: string;
  let port = 53;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  const hostPort = /^([^:]+):(\d+)$/.exec(s);
  if (bracket) {
    host = bracket[1] ?? '';
    if (bracket[2] !== undefined) port = Number(bracket[2]);
  } else if (hostPort) {
    host = hostPort[1] ?? '';
    port = Number(hostPort[2]);
  } else {
    host = s;
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  if (isIpv4(host)) return { host, port, family: 4, text: `${host}:${port}` };
  if (isIpv6(host)) return { host, port, family: 6, text: `[${host}]:${port}` };
  return undefined;
}
