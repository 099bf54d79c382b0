import type { IncomingMessage, ServerResponse } from 'node:http';

/** The Express request members Chronos reads (no @types/express in the workspace). */
export interface HttpRequest extends IncomingMessage {
  path: string;
  originalUrl: string;
  method: string;
  query: Record<string, unknown>;
  /** The body as text, read by raw-body.ts (Nest's JSON parser is off: Chronos clients send any content type). */
  rawBody?: string;
}

export type HttpResponse = ServerResponse;

export type Next = (err?: unknown) => void;
