import { z } from 'zod';

/**
 * A NATS endpoint is described once, here in contracts, and nowhere else: its subject (or a builder for a
 * per-instance subject) and the schema of what travels on it. Handlers and callers only ever go through
 * these descriptors, so a subject string never appears in a service.
 */
export interface RequestDef<Req extends z.ZodType, Res extends z.ZodType, Args extends unknown[] = []> {
  kind: 'request';
  name: string;
  subject: (...args: Args) => string;
  request: Req;
  reply: Res;
}

export interface EventDef<Msg extends z.ZodType, Args extends unknown[] = []> {
  kind: 'event';
  name: string;
  subject: (...args: Args) => string;
  /** Subject to subscribe to when listening for every instance (wildcards). */
  wildcard: string;
  message: Msg;
}

export function request<Req extends z.ZodType, Res extends z.ZodType, Args extends unknown[] = []>(
  name: string,
  subject: (...args: Args) => string,
  req: Req,
  res: Res,
): RequestDef<Req, Res, Args> {
  return { kind: 'request', name, subject, request: req, reply: res };
}

export function event<Msg extends z.ZodType, Args extends unknown[] = []>(
  name: string,
  subject: (...args: Args) => string,
  wildcard: string,
  msg: Msg,
): EventDef<Msg, Args> {
  return { kind: 'event', name, subject, wildcard, message: msg };
}

export type RequestOf<D> = D extends RequestDef<infer R, z.ZodType, unknown[]> ? z.input<R> : never;
export type ParsedRequestOf<D> = D extends RequestDef<infer R, z.ZodType, unknown[]> ? z.output<R> : never;
export type ReplyOf<D> = D extends RequestDef<z.ZodType, infer S, unknown[]> ? z.output<S> : never;
export type MessageOf<D> = D extends EventDef<infer M, unknown[]> ? z.output<M> : never;
export type MessageInputOf<D> = D extends EventDef<infer M, unknown[]> ? z.input<M> : never;
