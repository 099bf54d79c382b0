import { z } from 'zod';
import { CliError } from '../errors';
import { causeOf } from './master-state';

const ReadReply = z.object({ data: z.string(), offset: z.number() });

/** Bytes asked per read; the agent may answer fewer. */
export const CHUNK = 64 * 1024;

/** What reading a sandbox file needs; AgentFiles is the real one. */
export interface FileReader {
  size(path: string): Promise<number | undefined>;
  read(path: string, offset: number, length?: number): Promise<{ data: string; offset: number } | undefined>;
}

/**
 * An agent's files API (Mesos `/files/read`): `offset=-1` answers the file's size, otherwise up to
 * `length` bytes from `offset`. `undefined` means the file is not there (404).
 */
export class AgentFiles implements FileReader {
  constructor(private readonly agentUrl: string) {}

  async size(path: string): Promise<number | undefined> {
    const r = await this.call(path, -1, 0);
    return r?.offset;
  }

  async read(path: string, offset: number, length = CHUNK): Promise<{ data: string; offset: number } | undefined> {
    return this.call(path, offset, length);
  }

  private async call(path: string, offset: number, length: number): Promise<{ data: string; offset: number } | undefined> {
    const url = `${this.agentUrl}/files/read?path=${encodeURIComponent(path)}&offset=${offset}&length=${length}`;
    let res: Response;
    try {
      res = await fetch(url);
    } catch (e) {
      throw new CliError(`cannot reach the agent at ${this.agentUrl}: ${causeOf(e)}`);
    }
    const text = await res.text();
    if (res.status === 404) return undefined;
    if (!res.ok) throw new CliError(`the agent at ${this.agentUrl} answered ${res.status} reading ${path}: ${text.slice(0, 200)}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new CliError(`the agent at ${this.agentUrl} did not answer JSON reading ${path}`);
    }
    const parsed = ReadReply.safeParse(body);
    if (!parsed.success) throw new CliError(`the agent at ${this.agentUrl} answered out of shape reading ${path}`);
    return parsed.data;
  }
}

/** The last `n` lines of `text` (a final newline does not count as an empty last line). */
export function lastLines(text: string, n: number): string {
  if (n <= 0) return '';
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const lines = body.split('\n');
  const kept = lines.slice(Math.max(0, lines.length - n)).join('\n');
  return text.endsWith('\n') ? kept + '\n' : kept;
}

/** Number of bytes a chunk of the file occupied (offsets are byte offsets; data arrives as text). */
export function byteLength(data: string): number {
  return Buffer.byteLength(data, 'utf8');
}

/**
 * Reads the end of a file: the last `lines` lines (or all of it without `lines`). Reads backwards one
 * chunk at a time so a long log costs only what is shown. Returns the text and the offset after it.
 */
export async function readTail(files: FileReader, path: string, lines: number | undefined): Promise<{ text: string; end: number } | undefined> {
  const size = await files.size(path);
  if (size === undefined) return undefined;
  if (lines === undefined) {
    const text = await readRange(files, path, 0, size);
    return { text, end: size };
  }
  let start = size;
  let text = '';
  while (start > 0) {
    const from = Math.max(0, start - CHUNK);
    text = (await readRange(files, path, from, start)) + text;
    start = from;
    const newlines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (newlines > lines) break;
  }
  return { text: lastLines(text, lines), end: size };
}

/** Bytes [from, to) of the file, in as many reads as the agent needs. */
export async function readRange(files: FileReader, path: string, from: number, to: number): Promise<string> {
  let out = '';
  let at = from;
  while (at < to) {
    const r = await files.read(path, at, Math.min(CHUNK, to - at));
    if (!r || r.data.length === 0) break;
    out += r.data;
    at += byteLength(r.data);
  }
  return out;
}
