/** Agent attributes as Mesos' `--attributes` flag gives them: `rack:a;zone:z1;level:3`. */
export type Attributes = Record<string, string>;

export function parseAttributes(text: string): Attributes | string {
  const out: Attributes = {};
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const idx = part.indexOf(':');
    if (idx <= 0 || idx === part.length - 1) return `attribute "${part}" is not name:value`;
    out[part.slice(0, idx).trim()] = part.slice(idx + 1).trim();
  }
  return out;
}
