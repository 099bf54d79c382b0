import * as fs from 'node:fs';
import * as path from 'node:path';

/** Largest chunk /files/read returns at once; clients page with offset. */
export const MAX_READ_BYTES = 1024 * 1024;

export type Resolved = { ok: true; path: string; stat: fs.Stats } | { ok: false; status: 400 | 403 | 404; message: string };

/**
 * Resolves a path asked for through the files API and confines it to the sandboxes root: relative paths
 * are taken from the root, `..` and symlinks are resolved first (realpath), and whatever lands outside
 * is refused (403) even if it exists. `root` must itself be a realpath.
 */
export function resolveSandboxPath(root: string, requested: string | undefined): Resolved {
  if (requested === undefined || requested === '') return { ok: false, status: 400, message: 'the "path" query parameter is required' };
  if (requested.includes('\0')) return { ok: false, status: 400, message: 'invalid path' };
  const abs = path.resolve(root, requested);
  if (!isInside(root, abs)) return { ok: false, status: 403, message: `"${requested}" is outside the agent's sandboxes (${root})` };
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch {
    return { ok: false, status: 404, message: `"${requested}" does not exist` };
  }
  if (!isInside(root, real)) return { ok: false, status: 403, message: `"${requested}" leads outside the agent's sandboxes (${root})` };
  try {
    return { ok: true, path: real, stat: fs.statSync(real) };
  } catch {
    return { ok: false, status: 404, message: `"${requested}" does not exist` };
  }
}

export function isInside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/** One entry of /files/browse, in Mesos' shape. */
export interface FileEntry {
  path: string;
  mode: string;
  nlink: number;
  uid: string;
  gid: string;
  size: number;
  mtime: number;
}

export function fileEntry(p: string, st: fs.Stats, names: IdNames): FileEntry {
  return {
    path: p,
    mode: formatMode(st),
    nlink: st.nlink,
    uid: names.user(st.uid),
    gid: names.group(st.gid),
    size: st.size,
    mtime: Math.floor(st.mtimeMs / 1000),
  };
}

/** A directory's entries (or the file itself when given a file), sorted by path. */
export function browse(p: string, st: fs.Stats, names: IdNames): FileEntry[] {
  if (!st.isDirectory()) return [fileEntry(p, st, names)];
  const out: FileEntry[] = [];
  for (const name of fs.readdirSync(p)) {
    const child = path.join(p, name);
    try {
      out.push(fileEntry(child, fs.lstatSync(child), names));
    } catch {
      // vanished between readdir and lstat
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export type ReadResult = { ok: true; data: string; offset: number } | { ok: false; status: 400; message: string };

/**
 * /files/read semantics (Mesos): offset -1 asks for the size only ({data:"", offset:size}); otherwise up
 * to `length` bytes (default: the rest of the file, capped at MAX_READ_BYTES) from `offset`.
 */
export function readChunk(file: string, size: number, offsetParam: string | undefined, lengthParam: string | undefined): ReadResult {
  const offset = offsetParam === undefined || offsetParam === '' ? 0 : Number(offsetParam);
  if (!Number.isInteger(offset) || offset < -1) return { ok: false, status: 400, message: `offset must be an integer >= -1, got "${offsetParam}"` };
  if (offset === -1) return { ok: true, data: '', offset: size };
  let length = lengthParam === undefined || lengthParam === '' ? size - offset : Number(lengthParam);
  if (!Number.isInteger(length) || length < 0) return { ok: false, status: 400, message: `length must be a non-negative integer, got "${lengthParam}"` };
  length = Math.min(length, MAX_READ_BYTES, Math.max(0, size - offset));
  if (length === 0) return { ok: true, data: '', offset };
  const buf = Buffer.alloc(length);
  const fd = fs.openSync(file, 'r');
  let n = 0;
  try {
    while (n < length) {
      const got = fs.readSync(fd, buf, n, length - n, offset + n);
      if (got === 0) break;
      n += got;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { ok: true, data: buf.subarray(0, n).toString('utf8'), offset };
}

/** `ls -l`-style mode string, as Mesos' browse shows it. */
export function formatMode(st: fs.Stats): string {
  const type = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : st.isFIFO() ? 'p' : st.isSocket() ? 's' : st.isCharacterDevice() ? 'c' : st.isBlockDevice() ? 'b' : '-';
  const m = st.mode;
  const bit = (mask: number, c: string) => (m & mask ? c : '-');
  const exec = (xMask: number, sMask: number, s: string) => (m & sMask ? (m & xMask ? s : s.toUpperCase()) : m & xMask ? 'x' : '-');
  return (
    type +
    bit(0o400, 'r') + bit(0o200, 'w') + exec(0o100, 0o4000, 's') +
    bit(0o040, 'r') + bit(0o020, 'w') + exec(0o010, 0o2000, 's') +
    bit(0o004, 'r') + bit(0o002, 'w') + exec(0o001, 0o1000, 't')
  );
}

/** uid/gid → names from /etc/passwd and /etc/group (read once); unknown ids stay numeric. */
export class IdNames {
  private users: Map<number, string> | undefined;
  private groups: Map<number, string> | undefined;

  user(uid: number): string {
    this.users ??= readIdFile('/etc/passwd');
    return this.users.get(uid) ?? String(uid);
  }

  group(gid: number): string {
    this.groups ??= readIdFile('/etc/group');
    return this.groups.get(gid) ?? String(gid);
  }
}

function readIdFile(file: string): Map<number, string> {
  const out = new Map<number, string>();
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    const id = Number(f[2]);
    if (f[0] && Number.isInteger(id) && !out.has(id)) out.set(id, f[0]);
  }
  return out;
}
