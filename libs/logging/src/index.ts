import pino, { Logger, LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/**
 * One logger shape for every component: structured JSON lines, `component` on each line. Quiet by
 * default: `info` for lifecycle facts (registered, elected, lost), `debug` for per-task chatter.
 * Level from the caller, else AGORA_LOG_LEVEL, else `info`.
 */
export function createLogger(component: string, level?: string): Logger {
  const lvl = (level ?? process.env.AGORA_LOG_LEVEL ?? 'info') as LevelWithSilent;
  return pino({ name: component, level: lvl, base: { component, pid: process.pid } });
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
