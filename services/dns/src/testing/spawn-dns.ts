import * as fs from 'node:fs';
import * as path from 'node:path';
import { ManagedProcess, builtMain, findFreePort, httpRequest, waitFor } from '@agora/launcher';

export interface SpawnedDns {
  proc: ManagedProcess;
  host: string;
  port: number;
  httpPort: number;
  url: string;
  configFile: string | undefined;
  /** Waits until /health answers with `status` (200 = a cluster snapshot is loaded, 503 = not yet). */
  waitHealth(status?: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a DNS server process of our own (besides the one the launcher starts) for tests and benchmarks
 * that need their own flags or config file: free DNS (UDP+TCP) and HTTP ports on 127.0.0.1.
 */
export async function spawnDns(opts: { nats: string; workDir: string; name?: string; config?: object; flags?: string[] }): Promise<SpawnedDns> {
  const name = opts.name ?? 'dns-extra';
  const port = await findFreePort({ udp: true });
  const httpPort = await findFreePort();
  fs.mkdirSync(opts.workDir, { recursive: true });
  let configFile: string | undefined;
  if (opts.config) {
    configFile = path.join(opts.workDir, `${name}.json`);
    fs.writeFileSync(configFile, JSON.stringify(opts.config, null, 2));
  }
  const proc = ManagedProcess.spawn({
    name,
    command: process.execPath,
    args: [
      '--enable-source-maps',
      builtMain('services/dns/src/main'),
      '--nats', opts.nats,
      '--ip', '127.0.0.1',
      '--port', String(port),
      '--http-port', String(httpPort),
      ...(configFile ? ['--config', configFile] : []),
      ...(opts.flags ?? []),
    ],
    logFile: path.join(opts.workDir, `${name}.log`),
    cwd: opts.workDir,
  });
  const url = `http://127.0.0.1:${httpPort}`;
  return {
    proc,
    host: '127.0.0.1',
    port,
    httpPort,
    url,
    configFile,
    async waitHealth(status = 200, timeoutMs = 20_000) {
      await waitFor(
        async () => {
          if (!proc.running) throw new Error(`${name} exited: ${proc.logTail(20)}`);
          try {
            return (await httpRequest(`${url}/health`, { timeoutMs: 1000 })).status === status;
          } catch {
            return false;
          }
        },
        { what: `${name} /health ${status}`, timeoutMs },
      );
    },
    async stop() {
      await proc.stop('SIGTERM', 5000);
    },
  };
}
