import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file so that a crash leaves either the old or the new content, never half of one: write a
 * sibling temp file, then rename over. Synchronous on purpose: these files are a few hundred bytes, and
 * a launch must not report RUNNING before its checkpoint exists.
 */
export function writeFileAtomic(file: string, data: string): void {
  const tmp = `${file}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, data);
  }
  fs.renameSync(tmp, file);
}

export function readJson<T>(file: string): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
