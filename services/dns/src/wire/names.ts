import { MAX_LABEL_LENGTH, MAX_NAME_WIRE_LENGTH } from './constants';

/** Thrown by the encoder for a name that cannot go on the wire (a programming error, never input-driven). */
export class EncodeError extends Error {}

/** Presentation text of one label's bytes: `.` and `\` escaped, bytes outside 0x21..0x7e as `\DDD`. */
export function labelToText(bytes: Uint8Array, start: number, length: number): string {
  let out = '';
  for (let i = start; i < start + length; i++) {
    const c = bytes[i] as number;
    if (c === 0x2e || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
    else if (c > 0x20 && c < 0x7f) out += String.fromCharCode(c);
    else out += `\\${c.toString().padStart(3, '0')}`;
  }
  return out;
}

/**
 * Splits a presentation-form name into labels (one char per octet, codes 0..255) and the text offset where
 * each label starts (suffix `text.slice(starts[i])` is the name from label i down, the compression key).
 */
export function nameToLabels(name: string): { labels: string[]; starts: number[] } {
  const labels: string[] = [];
  const starts: number[] = [];
  if (name === '.' || name === '') return { labels, starts };
  if (!name.includes('\\')) {
    // Fast path: no escapes, so the text is the octets.
    const body = name.endsWith('.') ? name.slice(0, -1) : name;
    let at = 0;
    for (const l of body.split('.')) {
      labels.push(l);
      starts.push(at);
      at += l.length + 1;
    }
  } else {
    let cur = '';
    let start = 0;
    for (let i = 0; i < name.length; i++) {
      const ch = name.charCodeAt(i);
      if (ch === 0x5c) {
        const d = name.slice(i + 1, i + 4);
        if (/^[0-9]{3}$/.test(d)) {
          const v = Number(d);
          if (v > 255) throw new EncodeError(`bad escape in "${name}"`);
          cur += String.fromCharCode(v);
          i += 3;
        } else if (i + 1 < name.length) {
          cur += name[i + 1];
          i += 1;
        } else throw new EncodeError(`dangling escape in "${name}"`);
      } else if (ch === 0x2e) {
        labels.push(cur);
        starts.push(start);
        cur = '';
        start = i + 1;
      } else cur += name[i];
    }
    if (start < name.length) {
      labels.push(cur);
      starts.push(start);
    }
  }
  let wire = 1;
  for (const l of labels) {
    if (l.length === 0) throw new EncodeError(`empty label in "${name}"`);
    if (l.length > MAX_LABEL_LENGTH) throw new EncodeError(`label longer than 63 octets in "${name}"`);
    for (let i = 0; i < l.length; i++) if (l.charCodeAt(i) > 0xff) throw new EncodeError(`non-octet character in "${name}"`);
    wire += l.length + 1;
  }
  if (wire > MAX_NAME_WIRE_LENGTH) throw new EncodeError(`name longer than 255 octets: "${name}"`);
  return { labels, starts };
}

/** Lookup key of a name: ASCII letters lowercased (escapes use only digits and punctuation, so they survive). */
export function nameKey(name: string): string {
  return name.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
