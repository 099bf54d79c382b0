import { exec } from 'node:child_process';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';

/**
 * One probe of a task: an HTTP(S) GET, a TCP connect, or a shell command. `pass` true/false, or
 * `ignored` for an HTTP 1xx answer when the check says ignoreHttp1xx.
 */
export type ProbeResult = { outcome: 'pass' } | { outcome: 'fail'; cause: string } | { outcome: 'ignored' };

export interface HttpProbe {
  kind: 'http';
  https: boolean;
  host: string;
  port: number;
  path: string;
  timeoutMs: number;
  ignoreHttp1xx?: boolean;
  /** Statuses that pass: default 200–399 (health checks); readiness checks pass their own list. */
  passStatuses?: readonly number[];
}

export interface TcpProbe {
  kind: 'tcp';
  host: string;
  port: number;
  timeoutMs: number;
}

export interface CommandProbe {
  kind: 'command';
  command: string;
  env: Record<string, string>;
  timeoutMs: number;
}

export type Probe = HttpProbe | TcpProbe | CommandProbe;

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

export function runProbe(p: Probe): Promise<ProbeResult> {
  switch (p.kind) {
    case 'http':
      return httpProbe(p).then((r) => r.result);
    case 'tcp':
      return tcpProbe(p);
    case 'command':
      return commandProbe(p);
  }
}

/** HTTP(S) GET; HTTPS does not verify certificates (Marathon does not either). */
export function httpProbe(p: HttpProbe): Promise<{ result: ProbeResult; answer?: HttpAnswer }> {
  return new Promise((resolve) => {
    const lib = p.https ? https : http;
    let settled = false;
    const done = (v: { result: ProbeResult; answer?: HttpAnswer }) => {
      if (settled) return;
      settled = true;
      resolve(v);
    };
    const req = lib.request(
      { host: p.host, port: p.port, path: p.path, method: 'GET', timeout: p.timeoutMs, rejectUnauthorized: false, agent: false, headers: { 'User-Agent': 'agora-marathon-health' } },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < 4096) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          const answer = { status, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8').slice(0, 4096) };
          if (p.passStatuses) return done({ result: p.passStatuses.includes(status) ? { outcome: 'pass' } : { outcome: 'fail', cause: `HTTP ${status}` }, answer });
          if (status >= 100 && status < 200 && p.ignoreHttp1xx) return done({ result: { outcome: 'ignored' }, answer });
          done({ result: status >= 200 && status < 400 ? { outcome: 'pass' } : { outcome: 'fail', cause: `HTTP ${status}` }, answer });
        });
        res.on('error', (e) => done({ result: { outcome: 'fail', cause: e.message } }));
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error(`no answer within ${p.timeoutMs} ms`));
    });
    req.on('error', (e) => done({ result: { outcome: 'fail', cause: e.message } }));
    req.end();
  });
}

export function tcpProbe(p: TcpProbe): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: p.host, port: p.port });
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({ outcome: 'fail', cause: `no connection within ${p.timeoutMs} ms` });
    }, p.timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ outcome: 'pass' });
    });
    sock.once('error', (e) => {
      clearTimeout(timer);
      resolve({ outcome: 'fail', cause: e.message });
    });
  });
}

/** A COMMAND check run by Marathon itself with the task's environment (exit status 0 passes). */
export function commandProbe(p: CommandProbe): Promise<ProbeResult> {
  return new Promise((resolve) => {
    exec(p.command, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...p.env }, timeout: p.timeoutMs, shell: '/bin/sh' }, (err) => {
      if (!err) return resolve({ outcome: 'pass' });
      const code = (err as NodeJS.ErrnoException & { code?: unknown }).code;
      resolve({ outcome: 'fail', cause: err.killed ? `timed out after ${p.timeoutMs} ms` : `exit status ${String(code ?? '?')}` });
    });
  });
}
