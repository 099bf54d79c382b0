/**
 * A small client for the parts of Consul's HTTP API Agora uses: KV (with compare-and-set, sessions and
 * blocking queries), sessions, and the agent's service catalog. Node's fetch, no dependencies.
 */
export interface KvEntry {
  key: string;
  value: string | null;
  modifyIndex: number;
  createIndex: number;
  session?: string;
}

interface RawKv {
  Key: string;
  Value: string | null;
  ModifyIndex: number;
  CreateIndex: number;
  Session?: string;
}

export class ConsulError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ConsulError';
  }
}

export class ConsulClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  private async call(method: string, path: string, body?: unknown, timeoutMs = 10_000, signal?: AbortSignal): Promise<Response> {
    const ctl = new AbortController();
    const t = setTimeout(() => ctl.abort(), timeoutMs);
    const onAbort = () => ctl.abort();
    signal?.addEventListener('abort', onAbort);
    try {
      const res = await fetch(this.baseUrl + path, {
        method,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        signal: ctl.signal,
      });
      return res;
    } catch (e) {
      throw new ConsulError(`consul ${method} ${path}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async ok(res: Response, what: string): Promise<Response> {
    if (!res.ok) throw new ConsulError(`consul ${what}: ${res.status} ${await res.text().catch(() => '')}`, res.status);
    return res;
  }

  // ------------------------------------------------------------------ KV
  async get(key: string): Promise<KvEntry | undefined> {
    const res = await this.call('GET', `/v1/kv/${encodeKey(key)}`);
    if (res.status === 404) return undefined;
    await this.ok(res, `get ${key}`);
    const [raw] = (await res.json()) as RawKv[];
    return raw ? toEntry(raw) : undefined;
  }

  /**
   * Blocking query: returns when the key's index moves past `index` or after `wait` (Consul caps it).
   * Returns the entry (or undefined when absent) and the new index.
   */
  async watch(key: string, index: number, waitSeconds = 30, signal?: AbortSignal): Promise<{ entry?: KvEntry; index: number }> {
    const res = await this.call('GET', `/v1/kv/${encodeKey(key)}?index=${index}&wait=${waitSeconds}s`, undefined, (waitSeconds + 10) * 1000, signal);
    const newIndex = Number(res.headers.get('x-consul-index') ?? index);
    if (res.status === 404) return { index: newIndex };
    await this.ok(res, `watch ${key}`);
    const [raw] = (await res.json()) as RawKv[];
    return { entry: raw ? toEntry(raw) : undefined, index: newIndex };
  }

  async list(prefix: string): Promise<KvEntry[]> {
    const res = await this.call('GET', `/v1/kv/${encodeKey(prefix)}?recurse=true`);
    if (res.status === 404) return [];
    await this.ok(res, `list ${prefix}`);
    return ((await res.json()) as RawKv[]).map(toEntry);
  }

  /** Plain put. */
  async put(key: string, value: string): Promise<void> {
    const res = await this.call('PUT', `/v1/kv/${encodeKey(key)}`, value);
    await this.ok(res, `put ${key}`);
  }

  /** Compare-and-set: cas=0 means "only if absent". Returns false when someone else changed it first. */
  async cas(key: string, value: string, modifyIndex: number): Promise<boolean> {
    const res = await this.call('PUT', `/v1/kv/${encodeKey(key)}?cas=${modifyIndex}`, value);
    await this.ok(res, `cas ${key}`);
    return ((await res.json()) as boolean) === true;
  }

  async delete(key: string, opts: { recurse?: boolean; cas?: number } = {}): Promise<boolean> {
    const q = opts.recurse ? '?recurse=true' : opts.cas !== undefined ? `?cas=${opts.cas}` : '';
    const res = await this.call('DELETE', `/v1/kv/${encodeKey(key)}${q}`);
    await this.ok(res, `delete ${key}`);
    return ((await res.json()) as boolean) === true;
  }

  async acquire(key: string, value: string, session: string): Promise<boolean> {
    const res = await this.call('PUT', `/v1/kv/${encodeKey(key)}?acquire=${session}`, value);
    await this.ok(res, `acquire ${key}`);
    return ((await res.json()) as boolean) === true;
  }

  async release(key: string, session: string): Promise<boolean> {
    const res = await this.call('PUT', `/v1/kv/${encodeKey(key)}?release=${session}`, '');
    await this.ok(res, `release ${key}`);
    return ((await res.json()) as boolean) === true;
  }

  // ------------------------------------------------------------------ sessions
  /**
   * A session for locks. `checks` (check ids, e.g. `service:<id>`) bind it to those health checks as well
   * as the node's: Consul invalidates it the moment one of them goes critical, not only when its TTL lapses.
   */
  async createSession(name: string, ttlSeconds: number, lockDelaySeconds = 0, checks: readonly string[] = []): Promise<string> {
    const res = await this.call('PUT', '/v1/session/create', {
      Name: name,
      TTL: `${ttlSeconds}s`,
      LockDelay: `${lockDelaySeconds}s`,
      Behavior: 'release',
      ...(checks.length ? { Checks: ['serfHealth', ...checks] } : {}),
    });
    await this.ok(res, 'session create');
    return ((await res.json()) as { ID: string }).ID;
  }

  /** Returns false when the session no longer exists (expired or destroyed). */
  async renewSession(id: string): Promise<boolean> {
    const res = await this.call('PUT', `/v1/session/renew/${id}`);
    if (res.status === 404) return false;
    await this.ok(res, 'session renew');
    return true;
  }

  async destroySession(id: string): Promise<void> {
    const res = await this.call('PUT', `/v1/session/destroy/${id}`);
    await this.ok(res, 'session destroy');
  }

  // ------------------------------------------------------------------ service catalog
  async registerService(svc: { id: string; name: string; address: string; port: number; tags?: string[]; ttlSeconds?: number; meta?: Record<string, string> }): Promise<void> {
    const res = await this.call('PUT', '/v1/agent/service/register', {
      ID: svc.id,
      Name: svc.name,
      Address: svc.address,
      Port: svc.port,
      Tags: svc.tags ?? [],
      Meta: svc.meta ?? {},
      Check: { CheckID: `service:${svc.id}`, TTL: `${svc.ttlSeconds ?? 15}s`, DeregisterCriticalServiceAfter: '1m' },
    });
    await this.ok(res, `register service ${svc.id}`);
  }

  async passCheck(serviceId: string, note = ''): Promise<void> {
    const res = await this.call('PUT', `/v1/agent/check/pass/service:${encodeURIComponent(serviceId)}?note=${encodeURIComponent(note)}`);
    await this.ok(res, `pass check ${serviceId}`);
  }

  async deregisterService(id: string): Promise<void> {
    const res = await this.call('PUT', `/v1/agent/service/deregister/${encodeURIComponent(id)}`);
    await this.ok(res, `deregister service ${id}`);
  }

  async healthyServices(name: string): Promise<Array<{ id: string; address: string; port: number; meta: Record<string, string> }>> {
    const res = await this.call('GET', `/v1/health/service/${encodeURIComponent(name)}?passing=true`);
    await this.ok(res, `health ${name}`);
    const list = (await res.json()) as Array<{ Service: { ID: string; Address: string; Port: number; Meta: Record<string, string> | null } }>;
    return list.map((e) => ({ id: e.Service.ID, address: e.Service.Address, port: e.Service.Port, meta: e.Service.Meta ?? {} }));
  }

  async leader(): Promise<string> {
    const res = await this.call('GET', '/v1/status/leader');
    await this.ok(res, 'status leader');
    return (await res.json()) as string;
  }
}

function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function toEntry(raw: RawKv): KvEntry {
  return {
    key: raw.Key,
    value: raw.Value === null ? null : Buffer.from(raw.Value, 'base64').toString('utf8'),
    modifyIndex: raw.ModifyIndex,
    createIndex: raw.CreateIndex,
    session: raw.Session,
  };
}
