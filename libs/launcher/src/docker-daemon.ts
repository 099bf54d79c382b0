import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { ManagedProcess } from './managed-process';
import { repoRoot } from './repo-paths';

/**
 * The Docker daemon the agents' docker containerizer talks to. Where one already answers (DOCKER_HOST,
 * the system's /var/run/docker.sock, or one we started earlier in the same directory) it is used as it
 * is; otherwise `deploy/docker-daemon.sh run DIR` starts Agora's own (vfs storage, no default bridge, no
 * iptables; data under DIR) as a supervised child, stopped again by whoever started it.
 */
export interface DockerDaemon {
  /** Path of the API socket. */
  socket: string;
  /** True when we started it (and stop() stops it). */
  startedByUs: boolean;
  /** The dockerd we started. */
  pid?: number;
  /** Stops the daemon if we started it and cleans up after it (its network-namespace mount); else nothing. */
  stop(): Promise<void>;
}

export interface EnsureDockerOptions {
  /** Where a daemon of our own keeps its data (see deploy/docker-daemon.sh). */
  dir: string;
  /** Our daemon's output goes here. */
  logFile: string;
  /** Also consider these sockets (first that answers wins) before starting one. Default: DOCKER_HOST, /var/run/docker.sock. */
  candidates?: string[];
  /** How long our daemon may take to answer (default 60 s: the first start creates its state). */
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

export const SYSTEM_DOCKER_SOCKET = '/var/run/docker.sock';
const SCRIPT = (): string => path.join(repoRoot(), 'deploy', 'docker-daemon.sh');

/** The unix socket of DOCKER_HOST (unix:// or a bare path), if it names one. */
export function dockerHostSocket(dockerHost: string | undefined = process.env.DOCKER_HOST): string | undefined {
  const h = dockerHost?.trim();
  if (!h) return undefined;
  if (h.startsWith('unix://')) return h.slice('unix://'.length);
  return h.startsWith('/') ? h : undefined;
}

/** True when a Docker daemon answers `GET /_ping` on this unix socket within `timeoutMs`. */
export function dockerAnswers(socket: string, timeoutMs = 2000): Promise<boolean> {
  if (!fs.existsSync(socket)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const req = http.get({ socketPath: socket, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Where deploy/docker-daemon.sh puts the socket of a daemon with its data in `dir`. */
export function ownDaemonSocket(dir: string): string {
  return execFileSync('bash', [SCRIPT(), 'socket', path.resolve(dir)], { encoding: 'utf8' }).trim();
}

/** Uses a daemon that answers, else starts ours in `dir`. Rejects (with the tail of its log) when it cannot. */
export async function ensureDockerDaemon(o: EnsureDockerOptions): Promise<DockerDaemon> {
  const own = ownDaemonSocket(o.dir);
  const candidates = o.candidates ?? [dockerHostSocket(), SYSTEM_DOCKER_SOCKET].filter((s): s is string => s !== undefined);
  for (const socket of [...candidates, own]) {
    if (await dockerAnswers(socket)) return { socket, startedByUs: false, stop: () => Promise.resolve() };
  }
  return startDockerDaemon(o, own);
}

async function startDockerDaemon(o: EnsureDockerOptions, socket: string): Promise<DockerDaemon> {
  const dir = path.resolve(o.dir);
  // a daemon of an earlier run that was SIGKILLed leaves its mounts and pid file: clear them first
  try {
    execFileSync('bash', [SCRIPT(), 'cleanup', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new Error(`docker: ${stderrOf(e) || 'an earlier dockerd for this directory still runs'}`);
  }
  const proc = ManagedProcess.spawn({ name: 'dockerd', command: 'bash', args: [SCRIPT(), 'run', dir], logFile: o.logFile });
  const stop = async (): Promise<void> => {
    await proc.stop('SIGTERM', 20_000);
    try {
      execFileSync('bash', [SCRIPT(), 'cleanup', dir], { stdio: 'ignore' });
    } catch {
      // best effort: the next start cleans up again
    }
  };
  const deadline = Date.now() + (o.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (await dockerAnswers(socket, 1000)) return { socket, startedByUs: true, pid: proc.pid, stop };
    const aborted = o.signal?.aborted === true;
    if (!proc.running || aborted || Date.now() > deadline) {
      const why = aborted ? 'the cluster is stopping' : proc.running ? 'dockerd did not answer in time' : proc.describeExit();
      const tail = proc.logTail(15);
      await stop();
      throw new Error(`docker: ${why} (log: ${o.logFile})${tail ? `\n${tail}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Removes the containers of these agents (found by their `agora.agent.dir` label): what a crashed agent
 * left running, so that a cluster's stop leaves nothing behind. Returns how many were removed.
 */
export async function removeAgentContainers(socket: string, agentWorkDirs: readonly string[]): Promise<number> {
  if (agentWorkDirs.length === 0 || !(await dockerAnswers(socket))) return 0;
  let n = 0;
  for (const dir of agentWorkDirs) {
    const real = realpathOr(dir);
    const filters = encodeURIComponent(JSON.stringify({ label: [`agora.agent.dir=${real}`] }));
    const list = await dockerRequest(socket, 'GET', `/containers/json?all=1&filters=${filters}`);
    if (list.status !== 200) continue;
    const ids = (JSON.parse(list.body) as { Id?: unknown }[]).map((c) => c.Id).filter((id): id is string => typeof id === 'string');
    for (const id of ids) {
      const r = await dockerRequest(socket, 'DELETE', `/containers/${id}?force=1&v=1`);
      if (r.status === 204) n++;
    }
  }
  return n;
}

function dockerRequest(socket: string, method: string, p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.request({ socketPath: socket, method, path: p, timeout: 30_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

function realpathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function stderrOf(e: unknown): string {
  const s = (e as { stderr?: unknown }).stderr;
  return Buffer.isBuffer(s) ? s.toString('utf8').trim() : typeof s === 'string' ? s.trim() : '';
}
