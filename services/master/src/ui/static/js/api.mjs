// @ts-check
// HTTP calls from the page: the master (same origin) and the component APIs it names (other origins,
// allowed by their --access-control-allow-origin, which the launcher sets to the masters' URLs).

export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {number} status 0 = no answer (network, CORS or timeout)
   * @param {unknown} [body]
   */
  constructor(message, status, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/**
 * @param {string} url
 * @param {RequestInit & {timeoutMs?: number}} [init]
 * @returns {Promise<Response>}
 */
async function call(url, init = {}) {
  const { timeoutMs = 10000, ...rest } = init;
  try {
    return await fetch(url, { ...rest, signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
  } catch (e) {
    const origin = new URL(url, location.href).origin;
    const why = e instanceof DOMException && e.name === 'TimeoutError' ? 'no answer in time' : 'unreachable, or it does not allow this page (CORS)';
    throw new ApiError(`${origin}: ${why}`, 0);
  }
}

/** A message from an error body (Marathon's {message}, Chronos' {message, errors}, plain text). @param {unknown} body @param {Response} res */
function messageOf(body, res) {
  if (body && typeof body === 'object') {
    const b = /** @type {Record<string, unknown>} */ (body);
    const details = Array.isArray(b.details) ? ` (${b.details.map((d) => JSON.stringify(d)).join('; ')})` : '';
    if (typeof b.message === 'string') return b.message + details;
  }
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 300);
  return `${res.status} ${res.statusText}`;
}

/** @param {Response} res */
async function bodyOf(res) {
  const text = await res.text();
  if ((res.headers.get('content-type') ?? '').includes('json') && text) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * GET JSON; throws ApiError unless 2xx.
 * @param {string} url
 * @param {{timeoutMs?: number}} [opts]
 */
export async function getJson(url, opts = {}) {
  const res = await call(url, { headers: { Accept: 'application/json' }, ...opts });
  const body = await bodyOf(res);
  if (!res.ok) throw new ApiError(messageOf(body, res), res.status, body);
  return body;
}

/**
 * GET text; throws ApiError unless 2xx.
 * @param {string} url
 */
export async function getText(url) {
  const res = await call(url);
  const text = await res.text();
  if (!res.ok) throw new ApiError(text.slice(0, 300) || `${res.status}`, res.status, text);
  return text;
}

/**
 * A change (POST, PUT, PATCH, DELETE) with an optional JSON body; returns the parsed body and headers.
 * @param {string} method
 * @param {string} url
 * @param {unknown} [json]
 */
export async function send(method, url, json) {
  /** @type {RequestInit} */
  const init = { method, headers: { Accept: 'application/json' } };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
  }
  const res = await call(url, init);
  const body = await bodyOf(res);
  if (!res.ok) throw new ApiError(messageOf(body, res), res.status, body);
  return { body, headers: res.headers };
}

/** @param {unknown} e */
export function errorText(e) {
  return e instanceof Error ? e.message : String(e);
}
