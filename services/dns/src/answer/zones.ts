import type { RecordSet } from '../records';

/**
 * Where a query name belongs. `domain`/`reverse` = a zone we are authoritative for (apex given);
 * `ptr` = a reverse name outside configured reverse zones that we hold a PTR for; `outside` = forward it.
 */
export type ZoneMatch =
  | { kind: 'domain'; apex: string }
  | { kind: 'reverse'; apex: string }
  | { kind: 'ptr' }
  | { kind: 'outside' };

/** True when `text` has an unescaped dot at `index` (an odd run of backslashes before it escapes it). */
function dotAt(text: string, index: number): boolean {
  if (text[index] !== '.') return false;
  let slashes = 0;
  for (let i = index - 1; i >= 0 && text[i] === '\\'; i--) slashes++;
  return slashes % 2 === 0;
}

/** `name` equals `apex` or lies below it, compared label-wise on presentation text (both lowercase keys). */
export function isAtOrBelow(name: string, apex: string): boolean {
  if (name === apex) return true;
  return name.length > apex.length && name.endsWith(apex) && dotAt(name, name.length - apex.length - 1);
}

export function classify(records: RecordSet, key: string): ZoneMatch {
  if (isAtOrBelow(key, records.domain)) return { kind: 'domain', apex: records.domain };
  if (records.config.ptrOn && key.endsWith('.arpa.')) {
    // reverseZones is sorted longest first, so the most specific zone wins.
    for (const z of records.reverseZones) if (isAtOrBelow(key, z)) return { kind: 'reverse', apex: z };
    if (records.ptr.has(key)) return { kind: 'ptr' };
  }
  return { kind: 'outside' };
}

/** Mesos-DNS strips every `.*` from a query name before looking it up. */
export function cleanWild(name: string): string {
  return name.includes('.*') ? name.split('.*').join('') : name;
}
