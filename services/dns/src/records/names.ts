/**
 * Owner names in a RecordSet are "plain" FQDNs: lowercase, trailing dot, labels of 1..63 printable ASCII
 * characters other than `.` and `\`, at most 255 octets on the wire. That makes the text form and the wire
 * form map one-to-one without escapes. Names that break these rules (a raw DiscoveryInfo name with a space,
 * an empty sanitized task name …) cannot be served and are left out.
 */
export function isPlainFqdn(name: string): boolean {
  if (name === '.') return true;
  if (!name.endsWith('.')) return false;
  const labels = name.slice(0, -1).split('.');
  let wire = 1;
  for (const l of labels) {
    if (l.length === 0 || l.length > 63) return false;
    for (let i = 0; i < l.length; i++) {
      const c = l.charCodeAt(i);
      if (c <= 0x20 || c >= 0x7f || c === 0x5c) return false;
    }
    wire += l.length + 1;
  }
  return wire <= 255;
}

/** A host or domain name in the classic sense (letters, digits, `-`, `_`), without a trailing dot. */
export function isValidHostname(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((l) => /^[A-Za-z0-9_-]{1,63}$/.test(l));
}

/** Lowercases ASCII letters only: DNS compares names case-insensitively over ASCII (RFC 4343). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** `a.b.c.` → [`a.b.c.`, `b.c.`, `c.`] (without the root), for empty-non-terminal bookkeeping. */
export function ancestorsOf(fqdn: string): string[] {
  const out: string[] = [];
  let rest = fqdn;
  while (rest !== '' && rest !== '.') {
    out.push(rest);
    const dot = rest.indexOf('.');
    rest = rest.slice(dot + 1);
  }
  return out;
}
