import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

/**
 * The repository root (where package.json and dist/ live), found by walking up from this compiled file,
 * so the launcher works from any current directory.
 */
export function repoRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && fs.existsSync(path.join(dir, 'dist'))) {
      try {
        const name = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: unknown }).name;
        if (name === 'agora') return (cached = dir);
      } catch {
        // not ours, keep walking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the agora repository root above ${__dirname}`);
    dir = up;
  }
}

/** Absolute path of a compiled entry point, e.g. `services/master/src/main` → …/dist/services/master/src/main.js. */
export function builtMain(relative: string): string {
  return path.join(repoRoot(), 'dist', `${relative}.js`);
}
