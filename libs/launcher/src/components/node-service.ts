import { ManagedProcess } from '../managed-process';
import { builtMain } from '../repo-paths';
import type { ComponentContext, ComponentEndpoint, Instance } from '../types';

/** Starts one of our own compiled services (master, agent, later the frameworks) with Node. */
export function spawnNodeService(ctx: ComponentContext, main: string, ep: ComponentEndpoint, args: string[]): Instance {
  const proc = ManagedProcess.spawn({
    name: ep.name,
    command: process.execPath,
    args: ['--enable-source-maps', builtMain(main), ...args],
    cwd: ep.workDir,
    logFile: ep.logFile,
    env: { ...process.env, ...ctx.opts.env },
  });
  return { ...ep, proc };
}
