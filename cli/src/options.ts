import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_PORTS } from '@agora/contracts';

export const DEFAULT_MASTER = `http://127.0.0.1:${DEFAULT_PORTS.master}`;

/** `--master URL` on every command: any master will do, a standby redirects to the leader. */
export function masterOption(): Option {
  return new Option('--master <url>', 'master HTTP URL (a standby redirects to the leader)').default(DEFAULT_MASTER).env('AGORA_MASTER');
}

export function jsonOption(): Option {
  return new Option('--json', 'print JSON for scripts instead of a table');
}

/** Option parsers: a bad value stops the command with commander's "option … argument … is invalid" message. */
export function numberAtLeast(min: number, what: string, exclusive = false): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || (exclusive ? n <= min : n < min)) {
      throw new InvalidArgumentError(`${what} must be a number ${exclusive ? 'above' : 'of at least'} ${min}.`);
    }
    return n;
  };
}

export function integerAtLeast(min: number, what: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min) throw new InvalidArgumentError(`${what} must be an integer of at least ${min}.`);
    return n;
  };
}

/** Repeatable `--env K=V`: collects into a record; a later K wins. */
export function collectEnv(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const idx = value.indexOf('=');
  if (idx <= 0) throw new InvalidArgumentError(`"${value}" is not NAME=VALUE.`);
  const name = value.slice(0, idx);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new InvalidArgumentError(`"${name}" is not a valid environment variable name.`);
  return { ...previous, [name]: value.slice(idx + 1) };
}
