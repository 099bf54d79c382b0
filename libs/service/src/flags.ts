import { LOG_LEVELS } from '@agora/logging';

/**
 * Command-line flags of Agora's components: `--flag value` or `--flag=value`, every flag known in
 * advance, errors as one message for stderr (the caller exits 2). The shared checks keep the wording
 * the same everywhere.
 */
export function readFlags(argv: readonly string[], known: readonly string[], usage: string): Map<string, string> | { error: string } {
  const raw = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { error: usage };
    if (!arg.startsWith('--')) return { error: `unexpected argument "${arg}"\n${usage}` };
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!known.includes(name)) return { error: `unknown flag --${name}\n${usage}` };
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) return { error: `--${name} needs a value` };
    raw.set(name, value);
  }
  return raw;
}

/** An error message, or undefined when the value is fine. */
export function natsUrlError(value: string): string | undefined {
  return /^nats:\/\/\S+$/.test(value) || /^[^\s:/]+:\d+$/.test(value) ? undefined : `--nats must be a nats:// URL, got "${value}"`;
}

export function httpUrlError(flag: string, value: string): string | undefined {
  return /^https?:\/\/\S+$/.test(value) ? undefined : `--${flag} must be an http(s):// URL, got "${value}"`;
}

export function ipv4Error(flag: string, value: string): string | undefined {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(value) && value.split('.').every((o) => Number(o) <= 255) ? undefined : `--${flag} must be an IPv4 address, got "${value}"`;
}

/** The port, or an error message. */
export function parsePort(flag: string, value: string): number | string {
  const n = Number(value);
  return /^\d+$/.test(value) && n >= 1 && n <= 65535 ? n : `--${flag} must be an integer in 1..65535, got "${value}"`;
}

export function logLevelError(value: string): string | undefined {
  return (LOG_LEVELS as readonly string[]).includes(value) ? undefined : `--log-level must be one of ${LOG_LEVELS.join(', ')}`;
}
