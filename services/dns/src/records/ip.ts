/**
 * IP address parsing and formatting without Node's `net` (pure). Semantics follow Go's net.ParseIP, which
 * Mesos-DNS uses: dotted quads without leading zeros, RFC 4291 IPv6 text, no zones; an IPv4-mapped IPv6
 * address is an IPv4 address (A record, in-addr.arpa).
 */
export interface IpAddress {
  family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
  /** Canonical text: dotted quad, or RFC 5952 IPv6. */
  text: string;
}

function parseV4Bytes(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseV6Bytes(s: string): number[] | undefined {
  if (s.length < 2 || s.length > 45) return undefined;
  let head = s;
  let tail = '';
  const dbl = s.indexOf('::');
  if (dbl >= 0) {
    if (s.indexOf('::', dbl + 1) >= 0) return undefined;
    head = s.slice(0, dbl);
    tail = s.slice(dbl + 2);
  }
  const groups = (part: string, allowV4: boolean): number[] | undefined => {
    if (part === '') return [];
    const fields = part.split(':');
    const out: number[] = [];
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] ?? '';
      if (allowV4 && i === fields.length - 1 && f.includes('.')) {
        const v4 = parseV4Bytes(f);
        if (!v4) return undefined;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(f)) return undefined;
      out.push(parseInt(f, 16));
    }
    return out;
  };
  const h = groups(head, dbl < 0);
  const t = dbl >= 0 ? groups(tail, true) : [];
  if (!h || !t) return undefined;
  let words: number[];
  if (dbl >= 0) {
    const missing = 8 - h.length - t.length;
    if (missing < 1) return undefined;
    words = [...h, ...new Array<number>(missing).fill(0), ...t];
  } else {
    if (h.length !== 8) return undefined;
    words = h;
  }
  const bytes: number[] = [];
  for (const w of words) bytes.push(w >> 8, w & 0xff);
  return bytes;
}

function isV4Mapped(b: readonly number[] | Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

export function formatIpv4(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** RFC 5952: lowercase, no leading zeros, the longest run (≥ 2) of zero groups becomes `::`, first on a tie. */
export function formatIpv6(b: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) return words.map((w) => w.toString(16)).join(':');
  const left = words.slice(0, bestStart).map((w) => w.toString(16)).join(':');
  const right = words.slice(bestStart + bestLen).map((w) => w.toString(16)).join(':');
  return `${left}::${right}`;
}

export function formatIp(bytes: Uint8Array): string {
  return bytes.length === 4 ? formatIpv4(bytes) : formatIpv6(bytes);
}

export function parseIp(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const b = parseV6Bytes(text);
    if (!b) return undefined;
    if (isV4Mapped(b)) {
      const v4 = Uint8Array.from(b.slice(12));
      return { family: 4, bytes: v4, text: formatIpv4(v4) };
    }
    const bytes = Uint8Array.from(b);
    return { family: 6, bytes, text: formatIpv6(bytes) };
  }
  const b = parseV4Bytes(text);
  if (!b) return undefined;
  const bytes = Uint8Array.from(b);
  return { family: 4, bytes, text: formatIpv4(bytes) };
}

export function isLoopback(ip: IpAddress): boolean {
  if (ip.family === 4) return ip.bytes[0] === 127;
  return ip.bytes.every((x, i) => (i === 15 ? x === 1 : x === 0));
}

export function isUnspecified(ip: IpAddress): boolean {
  return ip.bytes.every((x) => x === 0);
}

/** The PTR owner name of an address: `4.3.2.1.in-addr.arpa.` or the 32 nibbles under `ip6.arpa.`. */
export function reverseName(ip: IpAddress): string {
  if (ip.family === 4) return `${ip.bytes[3]}.${ip.bytes[2]}.${ip.bytes[1]}.${ip.bytes[0]}.in-addr.arpa.`;
  const nibbles: string[] = [];
  for (let i = 15; i >= 0; i--) {
    const x = ip.bytes[i] ?? 0;
    nibbles.push((x & 0xf).toString(16), (x >> 4).toString(16));
  }
  return `${nibbles.join('.')}.ip6.arpa.`;
}

export interface Cidr {
  ip: IpAddress;
  prefix: number;
  /** The reverse zone apex this prefix delegates, e.g. `0.10.in-addr.arpa.` for 10.0.0.0/16. */
  zone: string;
}

/** Parses `10.0.0.0/16` or `fd00::/8`; reverse zones must sit on an octet (IPv4) or nibble (IPv6) boundary. */
export function parseCidr(text: string): Cidr | string {
  const slash = text.indexOf('/');
  if (slash < 0) return `"${text}" is not a CIDR (address/prefix)`;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^[0-9]{1,3}$/.test(prefixText)) return `"${text}" is not a CIDR`;
  const prefix = Number(prefixText);
  const max = ip.family === 4 ? 32 : 128;
  const step = ip.family === 4 ? 8 : 4;
  if (prefix > max) return `"${text}": prefix longer than ${max}`;
  if (prefix % step !== 0) return `"${text}": a reverse zone needs a prefix that is a multiple of ${step}`;
  const full = reverseName(ip).split('.');
  // full = [...units reversed, 'in-addr'|'ip6', 'arpa', '']; keep the last prefix/step units plus the suffix.
  const units = max / step;
  const keep = prefix / step;
  const zone = [...full.slice(units - keep, units), ...full.slice(units)].join('.');
  return { ip, prefix, zone };
}
