import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Docker from 'dockerode';
import { dockerHostSocket, ensureDockerDaemon, SYSTEM_DOCKER_SOCKET, type DockerDaemon } from '@agora/launcher';

/** The image every Docker test and benchmark runs: Debian's static busybox with its applets, nothing else. */
export const TEST_IMAGE = 'agora-test/busybox:2';
const BUSYBOX = '/bin/busybox';
/**
 * The applets linked into the image. Few on purpose: with the vfs storage driver every container starts
 * with a full copy of the image, so each file costs on every launch.
 */
const APPLETS = [
  'sh', 'true', 'false', 'echo', 'printf', 'sleep', 'cat', 'env', 'pwd', 'ls', 'id', 'mkdir', 'touch', 'rm', 'test', '[', 'dd',
  'head', 'tail', 'wc', 'grep', 'sed', 'seq', 'kill', 'ps', 'date', 'hostname', 'httpd', 'nc', 'wget', 'ip', 'ifconfig',
];

export interface TestDocker {
  /** The daemon's API socket (pass `{socket}` as a test cluster's `docker`). */
  readonly socket: string;
  readonly docker: Docker;
  /** True when this helper started the daemon (no other answered); stop() stops it. */
  readonly startedByUs: boolean;
  readonly image: string;
  /** Stops the daemon if we started it. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The Docker daemon for a test: the one at DOCKER_HOST (scripts/run-tests.js starts one per run and sets
 * it) or /var/run/docker.sock, else a private one started here (vfs, data in a temp dir), stopped by
 * stop(). Makes sure TEST_IMAGE exists (built once per daemon). Throws, with the reason, when there is no
 * daemon and none can be started: Docker tests fail loudly, they never skip.
 */
export async function useTestDocker(): Promise<TestDocker> {
  const candidates = [dockerHostSocket(), SYSTEM_DOCKER_SOCKET].filter((s): s is string => s !== undefined);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-dockerd-'));
  let daemon: DockerDaemon;
  try {
    daemon = await ensureDockerDaemon({ dir, logFile: path.join(dir, 'dockerd.log'), candidates });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `this test needs a Docker daemon: none answers at ${candidates.join(' or ')} and none could be started ` +
        `(${e instanceof Error ? e.message : String(e)}). Install docker.io (deploy/install-system.sh) and run as root.`,
    );
  }
  if (!daemon.startedByUs) fs.rmSync(dir, { recursive: true, force: true });
  const docker = new Docker({ socketPath: daemon.socket });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await daemon.stop();
      if (daemon.startedByUs) fs.rmSync(dir, { recursive: true, force: true });
    })());
  try {
    await busyboxImage(docker, TEST_IMAGE);
  } catch (e) {
    await stop();
    throw e;
  }
  return { socket: daemon.socket, docker, startedByUs: daemon.startedByUs, image: TEST_IMAGE, stop };
}

/**
 * Builds `tag` unless present: `docker import` of a root filesystem holding /bin/busybox with symlinks for
 * the APPLETS (sh, true, sleep, cat, env, dd, httpd …), /etc/passwd and /tmp. No registry needed.
 */
export async function busyboxImage(docker: Docker, tag: string): Promise<void> {
  try {
    await docker.getImage(tag).inspect();
    return;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode !== 404) throw e;
  }
  if (!isStaticBusybox(BUSYBOX)) throw new Error(`${BUSYBOX} must be a statically linked busybox (Debian package busybox-static) to build ${tag}`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-rootfs-'));
  try {
    for (const d of ['bin', 'etc', 'tmp', 'root']) fs.mkdirSync(path.join(root, d));
    fs.chmodSync(path.join(root, 'tmp'), 0o1777);
    fs.copyFileSync(BUSYBOX, path.join(root, 'bin', 'busybox'));
    fs.chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
    const available = new Set(execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n'));
    for (const a of APPLETS) if (available.has(a)) fs.symlinkSync('busybox', path.join(root, 'bin', a));
    fs.writeFileSync(path.join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n');
    fs.writeFileSync(path.join(root, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
    const [repo, version] = tag.split(':');
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const progress = await docker.importImage(tar.stdout, { repo, tag: version ?? 'latest' });
    await new Promise<void>((resolve, reject) => {
      let failure: string | undefined;
      progress.on('data', (b: Buffer) => {
        const m = /"error(?:Detail)?"\s*:\s*(?:\{"message":)?"([^"]*)"/.exec(b.toString('utf8'));
        if (m) failure ??= m[1];
      });
      progress.on('end', () => (failure ? reject(new Error(`docker import of ${tag} failed: ${failure}`)) : resolve()));
      progress.on('error', reject);
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** An ELF without a program interpreter (PT_INTERP) runs anywhere, an empty image included. */
function isStaticBusybox(file: string): boolean {
  try {
    const head = fs.readFileSync(file).subarray(0, 4096);
    return head.subarray(0, 4).toString('latin1') === '\x7fELF' && !head.includes(Buffer.from('/lib64/ld-linux')) && !head.includes(Buffer.from('/lib/ld-linux'));
  } catch {
    return false;
  }
}
