/** `host:port`, `[v6]:port` → parts (Go's net.SplitHostPort, minus its zone handling). */
export function splitHostPort(text: string): { host: string; port: number } | undefined {
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text[close + 1] !== ':') return undefined;
    host = text.slice(1, close);
    portText = text.slice(close + 2);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) return undefined;
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    // An unbracketed IPv6 address is ambiguous, as in Go.
    if (host.includes(':')) return undefined;
  }
  if (host === '' || !/^[0-9]{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  return port <= 65535 ? { host, port } : undefined;
}

const DEFAULT_SCHEME_PORTS: Record<string, number> = { http: 80, https: 443 };

/** Host and port of an absolute URL (`http://10.0.0.5:8080/ui`); the scheme's default port when none is given. */
export function urlHostPort(url: string): { host: string; port: number | undefined } | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]/?#]*\]|[^:/?#]*)(?::([0-9]{1,5}))?(?:[/?#]|$)/.exec(url);
  if (!m) return undefined;
  const scheme = (m[1] ?? '').toLowerCase();
  let host = m[2] ?? '';
  if (host.startsWith('[')) host = host.slice(1, -1);
  if (host === '') return undefined;
  const port = m[3] !== undefined ? Number(m[3]) : DEFAULT_SCHEME_PORTS[scheme];
  return { host, port: port !== undefined && port <= 65535 ? port : undefined };
}
