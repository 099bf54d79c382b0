/**
 * An error meant for the person at the terminal: printed as `agora: <message>` without a stack, and the
 * process exits with `exitCode`.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A one-line message for any error (AgoraError keeps its code visible, as scripts may grep for it). */
export function messageOf(e: unknown): string {
  if (e instanceof CliError) return e.message;
  if (e instanceof Error) {
    const code = (e as Error & { code?: unknown }).code;
    return typeof code === 'string' && e.name === 'AgoraError' ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}

/** Wraps a command's action: errors become `agora: …` on stderr and a non-zero exit status. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      process.exitCode = code ?? 0;
    } catch (e) {
      process.stderr.write(`agora: ${messageOf(e)}\n`);
      process.exitCode = e instanceof CliError ? e.exitCode : 1;
    }
  };
}
