export interface HttpRequestOptions {
  method?: string;
  /** Sent as JSON unless it is already a string. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Per-request timeout (default 5000 ms). */
  timeoutMs?: number;
  /** 'follow' (default) or 'manual' to see a standby's 307 itself. */
  redirect?: 'follow' | 'manual';
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  body: T;
  text: string;
}

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly url: string,
    readonly status: number,
    readonly text: string,
  ) {
    super(`${url} answered ${status}${text ? `: ${text.slice(0, 300)}` : ''}`);
  }
}

/** One HTTP call, any status: the caller looks at `status`. Network errors throw. */
export async function httpRequest<T = unknown>(url: string, opts: HttpRequestOptions = {}): Promise<HttpResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, {
    method: opts.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    redirect: opts.redirect ?? 'follow',
    signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
  });
  const text = await res.text();
  let parsed: unknown;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** GET (or any method) expecting 2xx JSON: resolves with the parsed body, throws HttpError otherwise. */
export async function httpJson<T = unknown>(url: string, opts: HttpRequestOptions = {}): Promise<T> {
  const res = await httpRequest<T>(url, opts);
  if (res.status < 200 || res.status >= 300) throw new HttpError(url, res.status, res.text);
  return res.body;
}
