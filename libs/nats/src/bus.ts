import { connect, NatsConnection, Msg, Subscription, RequestError, TimeoutError, NoRespondersError } from '@nats-io/transport-node';
import { z } from 'zod';
import { AgoraError, ErrorBody, EventDef, RequestDef } from '@agora/contracts';
import type { Logger } from '@agora/logging';

export interface RequestOptions {
  /** Milliseconds for one attempt (default 5000). */
  timeoutMs?: number;
  /**
   * Keep retrying NO_LEADER / NOT_LEADER / TIMEOUT with backoff until this many ms have passed
   * (default 0: one attempt). Other errors are never retried.
   */
  retryForMs?: number;
}

type Handler<Req, Res> = (req: Req, msg: Msg) => Res | Promise<Res>;

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Typed request/reply and events over one NATS connection, always through a contracts descriptor.
 * Replies are envelopes; a handler's thrown AgoraError becomes `{ok:false,error}` and anything else
 * INTERNAL. "No responders" (nobody serves the subject — e.g. no leader yet) is distinguished from a
 * timeout, and both are retried with backoff when the caller asks for it.
 */
export class Bus {
  constructor(
    readonly nc: NatsConnection,
    private readonly log: Logger,
  ) {}

  static async connect(servers: string | string[], name: string, log: Logger): Promise<Bus> {
    const nc = await connect({
      servers,
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: 10_000,
    });
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect' || s.type === 'reconnect') log.info({ nats: s.type }, 'nats connection status');
      }
    })().catch(() => undefined);
    return new Bus(nc, log);
  }

  async request<Req extends z.ZodType, Res extends z.ZodType, Args extends unknown[]>(
    def: RequestDef<Req, Res, Args>,
    args: Args,
    payload: z.input<Req>,
    opts: RequestOptions = {},
  ): Promise<DataOf<Res>> {
    const timeout = opts.timeoutMs ?? 5000;
    const deadline = Date.now() + (opts.retryForMs ?? 0);
    let delay = 50;
    for (;;) {
      try {
        return await this.requestOnce(def, args, payload, timeout);
      } catch (e) {
        const retriable = e instanceof AgoraError && (e.code === 'NO_LEADER' || e.code === 'NOT_LEADER' || e.code === 'TIMEOUT');
        if (!retriable || Date.now() + delay > deadline) throw e;
        await sleep(delay);
        delay = Math.min(delay * 2, 1000);
      }
    }
  }

  private async requestOnce<Req extends z.ZodType, Res extends z.ZodType, Args extends unknown[]>(
    def: RequestDef<Req, Res, Args>,
    args: Args,
    payload: z.input<Req>,
    timeout: number,
  ): Promise<DataOf<Res>> {
    const subject = def.subject(...args);
    let msg: Msg;
    try {
      msg = await this.nc.request(subject, enc.encode(JSON.stringify(payload)), { timeout });
    } catch (e) {
      if (isNoResponders(e)) throw new AgoraError('NO_LEADER', `nobody serves ${subject}`);
      if (isTimeout(e)) throw new AgoraError('TIMEOUT', `${subject} did not answer within ${timeout} ms`);
      throw e;
    }
    let body: unknown;
    try {
      body = JSON.parse(dec.decode(msg.data));
    } catch {
      throw new AgoraError('INTERNAL', `${subject} replied with something that is not JSON`);
    }
    const parsed = def.reply.safeParse(body);
    if (!parsed.success) throw new AgoraError('INTERNAL', `${subject} replied out of contract: ${formatIssues(parsed.error)}`);
    const env = parsed.data as { ok: true; data: DataOf<Res> } | { ok: false; error: ErrorBody };
    if (env.ok) return env.data;
    throw new AgoraError(env.error.code, env.error.message);
  }

  /** Serve a request subject. Returns the subscription; unsubscribe to stop serving. */
  serve<Req extends z.ZodType, Res extends z.ZodType, Args extends unknown[]>(
    def: RequestDef<Req, Res, Args>,
    args: Args,
    handler: Handler<z.output<Req>, DataOf<Res>>,
    opts: { queue?: string } = {},
  ): Subscription {
    const subject = def.subject(...args);
    return this.nc.subscribe(subject, {
      queue: opts.queue,
      callback: (err, msg) => {
        if (err) {
          this.log.warn({ err: err.message, subject }, 'subscription error');
          return;
        }
        void this.handleRequest(def, msg, handler);
      },
    });
  }

  private async handleRequest<Req extends z.ZodType, Res extends z.ZodType, Args extends unknown[]>(
    def: RequestDef<Req, Res, Args>,
    msg: Msg,
    handler: Handler<z.output<Req>, DataOf<Res>>,
  ): Promise<void> {
    const reply = (body: unknown) => {
      if (!msg.reply) return;
      try {
        msg.respond(enc.encode(JSON.stringify(body)));
      } catch (e) {
        this.log.debug({ err: String(e) }, 'could not reply');
      }
    };
    let input: unknown;
    try {
      input = JSON.parse(dec.decode(msg.data));
    } catch {
      reply({ ok: false, error: { code: 'INVALID_MESSAGE', message: `${def.name}: payload is not JSON` } });
      return;
    }
    const parsed = def.request.safeParse(input);
    if (!parsed.success) {
      reply({ ok: false, error: { code: 'INVALID_MESSAGE', message: `${def.name}: ${formatIssues(parsed.error)}` } });
      return;
    }
    try {
      const data = await handler(parsed.data, msg);
      reply({ ok: true, data });
    } catch (e) {
      if (e instanceof AgoraError) reply({ ok: false, error: { code: e.code, message: e.message } });
      else {
        this.log.error({ err: e instanceof Error ? e.stack : String(e), subject: msg.subject }, 'handler failed');
        reply({ ok: false, error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } });
      }
    }
  }

  publish<M extends z.ZodType, Args extends unknown[]>(def: EventDef<M, Args>, args: Args, message: z.input<M>): void {
    this.nc.publish(def.subject(...args), enc.encode(JSON.stringify(message)));
  }

  /**
   * Listen to an event subject (`subject` defaults to the descriptor's own subject; pass `def.wildcard`
   * for every instance). Messages out of contract are logged and dropped, never thrown.
   */
  on<M extends z.ZodType, Args extends unknown[]>(
    def: EventDef<M, Args>,
    subject: string,
    handler: (msg: z.output<M>, raw: Msg) => void | Promise<void>,
    opts: { queue?: string } = {},
  ): Subscription {
    return this.nc.subscribe(subject, {
      queue: opts.queue,
      callback: (err, raw) => {
        if (err) {
          this.log.warn({ err: err.message, subject }, 'subscription error');
          return;
        }
        let input: unknown;
        try {
          input = JSON.parse(dec.decode(raw.data));
        } catch {
          this.log.warn({ subject: raw.subject }, 'dropped an event that is not JSON');
          return;
        }
        const parsed = def.message.safeParse(input);
        if (!parsed.success) {
          this.log.warn({ subject: raw.subject, issues: formatIssues(parsed.error) }, 'dropped an event out of contract');
          return;
        }
        Promise.resolve()
          .then(() => handler(parsed.data, raw))
          .catch((e: unknown) => this.log.error({ err: e instanceof Error ? e.stack : String(e), subject: raw.subject }, 'event handler failed'));
      },
    });
  }

  async flush(): Promise<void> {
    await this.nc.flush();
  }

  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    try {
      await this.nc.drain();
    } catch {
      await this.nc.close().catch(() => undefined);
    }
  }
}

type DataOf<Res extends z.ZodType> = z.output<Res> extends infer E ? (E extends { ok: true; data: infer D } ? D : never) : never;

export function formatIssues(err: z.ZodError): string {
  return err.issues
    .slice(0, 10)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

function isNoResponders(e: unknown): boolean {
  if (e instanceof NoRespondersError) return true;
  if (e instanceof RequestError) return e.isNoResponders();
  return false;
}

function isTimeout(e: unknown): boolean {
  if (e instanceof TimeoutError) return true;
  return e instanceof RequestError && e.cause instanceof TimeoutError;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
