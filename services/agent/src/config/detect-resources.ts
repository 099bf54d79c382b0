import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DetectedResources } from './flags';

/**
 * What this machine offers when the operator does not say: every core, the memory minus 1 GiB kept for
 * the system (at least 256 MB), the free space of the work dir's filesystem minus 1 GiB.
 */
export function detectResources(workDir: string): DetectedResources {
  const cpus = Math.max(1, os.cpus().length);
  const memMb = Math.max(256, Math.floor(os.totalmem() / 1024 / 1024) - 1024);
  let diskMb = 0;
  try {
    const st = fs.statfsSync(existingAncestor(path.resolve(workDir)));
    diskMb = Math.max(0, Math.floor((st.bavail * st.bsize) / 1024 / 1024) - 1024);
  } catch {
    diskMb = 0;
  }
  return { cpus, memMb, diskMb };
}

/** The work dir may not exist yet; its filesystem is that of its closest existing ancestor. */
function existingAncestor(dir: string): string {
  let d = dir;
  for (;;) {
    if (fs.existsSync(d)) return d;
    const parent = d.replace(/\/[^/]*\/?$/, '') || '/';
    if (parent === d) return '/';
    d = parent;
  }
}
