import { execFile } from 'node:child_process';

export interface DigResult {
  status: string;
  flags: string[];
  answers: string[];
  /** ANSWER count from the header line. */
  answerCount: number;
  raw: string;
}

/**
 * Runs Debian's `dig` (the test client the issue asks for) against a server on loopback and reads what
 * tests need from its output: status, header flags and the answer section's lines. `extra` takes dig's
 * own options (`+tcp`, `+bufsize=4096`, `+noedns`, `+ignore` …). One try, short timeout.
 */
export function dig(server: { host: string; port: number }, name: string, type = 'A', extra: string[] = []): Promise<DigResult> {
  const args = [`@${server.host}`, '-p', String(server.port), name, type, '+tries=1', '+time=2', '+nocmd', '+nostats', ...extra];
  return new Promise((resolve, reject) => {
    execFile('dig', args, { timeout: 10_000 }, (err, stdout) => {
      if (err && !stdout) return reject(err);
      resolve(parseDig(stdout));
    });
  });
}

export function parseDig(out: string): DigResult {
  const status = /status: ([A-Z]+)/.exec(out)?.[1] ?? 'NO_ANSWER';
  const flags = (/;; flags: ([a-z ]+);/.exec(out)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const answerCount = Number(/ANSWER: (\d+)/.exec(out)?.[1] ?? 0);
  const answers: string[] = [];
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l.startsWith(';; ANSWER SECTION:'));
  if (start >= 0) {
    for (const l of lines.slice(start + 1)) {
      if (l.trim() === '' || l.startsWith(';;')) break;
      answers.push(l.trim());
    }
  }
  return { status, flags, answers, answerCount, raw: out };
}

/** The data field (last column(s)) of answer lines: `127.0.1.1`, `0 1 31000 target.`. */
export function rdata(lines: readonly string[]): string[] {
  return lines.map((l) => l.split(/\s+/).slice(4).join(' '));
}
