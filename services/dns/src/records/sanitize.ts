/**
 * Mesos-DNS label sanitization (spec "Label sanitization (exact)"). A label function turns any string into a
 * DNS label; `domainFrag` applies it to each dot-separated part of a framework name.
 */
export type LabelFunc = (name: string) => string;

const RFC1123_LEFT = '-';
const RFC952_LEFT = '-0123456789';

/** Step 1: A–Z lowercased, a–z0–9 kept, `-` `.` `_` become `-`, every other character (incl. non-ASCII) dropped. */
function mapChars(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) out += String.fromCharCode(c + 0x20);
    else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) out += name[i];
    else if (c === 0x2d || c === 0x2e || c === 0x5f) out += '-';
  }
  return out;
}

function trimLeft(s: string, set: string): string {
  let i = 0;
  while (i < s.length && set.includes(s[i] as string)) i++;
  return s.slice(i);
}

function trimRight(s: string, set: string): string {
  let j = s.length;
  while (j > 0 && set.includes(s[j - 1] as string)) j--;
  return s.slice(0, j);
}

/**
 * Steps 2 and 3: trim the left set, cut to maxLen; when the cut ends in dashes, strip them and refill from
 * the remainder (its leading dashes skipped) up to the length lost. The refill is not trimmed again.
 */
function trimCut(mapped: string, maxLen: number, left: string): string {
  const trimmed = trimLeft(mapped, left);
  const size = Math.min(trimmed.length, maxLen);
  const head = trimRight(trimmed.slice(0, size), '-');
  if (head.length === size) return head;
  const tail = trimLeft(trimmed.slice(size), '-');
  return head + tail.slice(0, size - head.length);
}

/** RFC 1123 (the default): 63 characters, may start with a digit. */
export function labelRfc1123(name: string): string {
  return trimCut(mapChars(name), 63, RFC1123_LEFT);
}

/** RFC 952 (`EnforceRFC952`): 24 characters, starts with a letter. */
export function labelRfc952(name: string): string {
  return trimCut(mapChars(name), 24, RFC952_LEFT);
}

export function labelFunc(enforceRfc952: boolean): LabelFunc {
  return enforceRfc952 ? labelRfc952 : labelRfc1123;
}

/** Framework names keep their dots: each part is sanitized on its own and empty parts are dropped. */
export function domainFrag(name: string, label: LabelFunc): string {
  return name
    .split('.')
    .map(label)
    .filter((l) => l !== '')
    .join('.');
}
