import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The web UI's files are plain HTML, CSS and ES modules kept in the source tree (`src/ui/static/`), not
 * compiled: the master serves them from there, found by walking up from this compiled file to the
 * repository root. So `npm run build` needs no copy step and a clean clone works as it is.
 */
const STATIC_REL = path.join('services', 'master', 'src', 'ui', 'static');

let cachedDir: string | undefined;

/** Absolute path of the UI's static dir; throws when the repository layout is not around the master. */
export function uiStaticDir(): string {
  if (cachedDir) return cachedDir;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, STATIC_REL);
    if (fs.existsSync(path.join(candidate, 'index.html'))) return (cachedDir = candidate);
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the web UI files (${STATIC_REL}) above ${__dirname}`);
    dir = up;
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

export function contentTypeOf(file: string): string | undefined {
  return CONTENT_TYPES[path.extname(file).toLowerCase()];
}

export type StaticLookup = { ok: true; file: string; contentType: string } | { ok: false; status: 400 | 404 };

/**
 * Maps a request path below `/ui/` to a file of the static dir. Only known file types are served, and
 * nothing outside the dir (no `..`, no dot files, no encoded slashes): the path is checked segment by
 * segment before it touches the file system. `''` and paths ending in `/` mean index.html.
 */
export function lookupStatic(root: string, relPath: string): StaticLookup {
  let rel = relPath;
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const segments = rel.split('/');
  for (const s of segments) {
    if (s === '' || s.startsWith('.') || s.includes('\\') || s.includes('\0')) return { ok: false, status: 400 };
  }
  const file = path.join(root, ...segments);
  if (!file.startsWith(root + path.sep)) return { ok: false, status: 400 };
  const contentType = contentTypeOf(file);
  if (!contentType) return { ok: false, status: 404 };
  return { ok: true, file, contentType };
}
