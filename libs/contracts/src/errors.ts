import { z } from 'zod';

/**
 * Every NATS reply is an envelope: `{ok:true, data}` or `{ok:false, error:{code, message}}`. Codes are
 * stable strings clients branch on; messages are for people.
 */
export const ERROR_CODES = [
  'INVALID_MESSAGE', // the payload did not match the schema (or was not JSON)
  'NOT_LEADER', // this replica is not (or no longer) the leader
  'NO_LEADER', // client side: nobody answered on a leader-only subject
  'TIMEOUT', // client side: the request timed out
  'UNKNOWN_AGENT',
  'UNKNOWN_FRAMEWORK',
  'UNKNOWN_OFFER',
  'UNKNOWN_TASK',
  'FRAMEWORK_TORN_DOWN',
  'INSUFFICIENT_RESOURCES', // accept asked for more than the offers hold
  'INVALID_TASK', // a task definition is unusable (no command, bad id, duplicate id …)
  'INVALID_OPERATION',
  'TASK_EXISTS',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBody = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
export type ErrorBody = z.infer<typeof ErrorBody>;

export function envelope<T extends z.ZodType>(data: T) {
  return z.union([z.object({ ok: z.literal(true), data }), z.object({ ok: z.literal(false), error: ErrorBody })]);
}

/** Thrown by handlers (and by the client wrapper) to carry a code across the wire. */
export class AgoraError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AgoraError';
  }
}

export function isAgoraError(e: unknown, code?: ErrorCode): e is AgoraError {
  return e instanceof AgoraError && (code === undefined || e.code === code);
}
