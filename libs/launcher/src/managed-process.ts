import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { registerChild } from './process-registry';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  /** Short name for messages: 'consul', 'agent-2'. */
  name: string;
  command: string;
  args: string[];
  /** stdout and stderr are appended here; created with its directory when missing. */
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * A child process we own: output to a log file, an `exited` promise, and stop() that escalates to
 * SIGKILL after a grace period. Runs in its own process group so a terminal's Ctrl-C reaches only the
 * launcher, which stops components in order; the process registry kills it if we die first.
 */
export class ManagedProcess {
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;

  private constructor(
    readonly name: string,
    readonly command: string,
    readonly args: readonly string[],
    readonly logFile: string,
    /** Size of the log when we started: the tail of *this* run begins here (logs are appended to). */
    private readonly logStart: number,
    pid: number,
    exited: Promise<ExitInfo>,
  ) {
    this.pid = pid;
    this.exited = exited.then((info) => (this.exitInfo = info));
  }

  static spawn(opts: SpawnOptions): ManagedProcess {
    fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
    if (opts.cwd) fs.mkdirSync(opts.cwd, { recursive: true });
    const fd = fs.openSync(opts.logFile, 'a');
    const logStart = fs.fstatSync(fd).size;
    fs.writeSync(fd, `---- ${new Date().toISOString()} ${opts.name}: ${[opts.command, ...opts.args].join(' ')}\n`);
    let child;
    try {
      child = spawn(opts.command, opts.args, {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        stdio: ['ignore', fd, fd],
        detached: true,
      });
    } finally {
      fs.closeSync(fd);
    }
    const exited = new Promise<ExitInfo>((resolve) => {
      // 'error' without 'exit' happens when the binary cannot be spawned at all (ENOENT)
      child.once('error', (err) => {
        if (child.pid === undefined) {
          fs.appendFileSync(opts.logFile, `spawn failed: ${err.message}\n`);
          resolve({ code: 127, signal: null });
        }
      });
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    if (child.pid !== undefined) registerChild(child);
    return new ManagedProcess(opts.name, opts.command, opts.args, opts.logFile, logStart, child.pid ?? -1, exited);
  }

  get running(): boolean {
    return this.exitInfo === undefined && this.pid > 0;
  }

  get exitStatus(): ExitInfo | undefined {
    return this.exitInfo;
  }

  /** Sends a signal to the process itself (not its group: an agent's tasks must survive a crash test). */
  signal(sig: NodeJS.Signals): void {
    if (!this.running) return;
    try {
      process.kill(this.pid, sig);
    } catch {
      // exited between the check and the kill
    }
  }

  /** Signals, waits up to graceMs for the exit, then SIGKILLs. Resolves with how it ended. */
  async stop(sig: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<ExitInfo> {
    if (!this.running) return this.exited;
    this.signal(sig);
    if (sig === 'SIGKILL') return this.exited;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const first = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (first !== 'timeout') return first;
    this.signal('SIGKILL');
    return this.exited;
  }

  /** The last `lines` lines this run wrote to its log. */
  logTail(lines = 30): string {
    return readTail(this.logFile, this.logStart, lines);
  }

  describeExit(): string {
    const e = this.exitInfo;
    if (!e) return `${this.name} is running (pid ${this.pid})`;
    return e.signal ? `${this.name} was killed by ${e.signal}` : `${this.name} exited with code ${e.code}`;
  }
}

/** Last lines of a file from `start` on, reading at most 16 KiB. */
export function readTail(file: string, start: number, lines: number): string {
  try {
    const size = fs.statSync(file).size;
    const from = Math.max(start, size - 16 * 1024);
    if (size <= from) return '';
    const buf = Buffer.alloc(size - from);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, buf, 0, buf.length, from);
    } finally {
      fs.closeSync(fd);
    }
    return buf.toString('utf8').split('\n').filter((l) => l.length > 0).slice(-lines).join('\n');
  } catch {
    return '';
  }
}
