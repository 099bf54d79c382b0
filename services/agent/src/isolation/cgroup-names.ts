import { createHash } from 'node:crypto';

/** Cgroup directory names stay short and made of safe characters, whatever ids frameworks pick. */
const MAX_NAME = 120;

export function cgroupSlug(s: string): string {
  let slug = s.replace(/[^A-Za-z0-9_.:-]/g, '_');
  if (slug === '' || slug === '.' || slug === '..') slug = `_${slug}`;
  if (slug.length > MAX_NAME) slug = `${slug.slice(0, MAX_NAME - 13)}-${createHash('sha1').update(s).digest('hex').slice(0, 12)}`;
  return slug;
}

export function taskCgroupName(frameworkId: string, taskId: string): string {
  return cgroupSlug(`${frameworkId}_${taskId}`);
}

/** cgroup v1 cpu.shares: 1024 per cpu, as Mesos does; the kernel's minimum is 2. */
export function cpuShares(cpus: number): number {
  return Math.max(2, Math.round(cpus * 1024));
}

/** cgroup v2 cpu.weight: 100 (the default weight) per cpu, within the kernel's 1..10000. */
export function cpuWeight(cpus: number): number {
  return Math.min(10000, Math.max(1, Math.round(cpus * 100)));
}

/** Below this a limit would kill the wrapper shell itself before the command starts. */
export const MIN_MEMORY_LIMIT_MB = 8;

/** Reads a named counter (`oom_kill 3`) out of memory.oom_control / memory.events text. */
export function readCounter(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name}\\s+(\\d+)\\s*$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}
