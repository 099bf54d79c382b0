/**
 * A small client for Marathon's v2 API (Agora's or Marathon's own): what the `agora app` commands, the
 * end-to-end tests and the benchmark use. Every call returns the status and the parsed body; callers
 * decide what is an error. `events()` follows `/v2/events` (Server-Sent Events).
 */

export interface MarathonResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export interface AppJson {
  id: string;
  instances: number;
  version: string;
  versionInfo?: { lastConfigChangeAt: string; lastScalingAt: string };
  tasksRunning?: number;
  tasksHealthy?: number;
  tasksUnhealthy?: number;
  tasksStaged?: number;
  deployments?: { id: string }[];
  tasks?: TaskJson[];
  healthChecks?: unknown[];
  [field: string]: unknown;
}

export interface TaskJson {
  id: string;
  appId: string;
  host: string;
  ports: number[];
  state: string;
  version: string;
  startedAt: string | null;
  healthCheckResults: { alive: boolean; consecutiveFailures: number }[];
}

export interface DeploymentJson {
  id: string;
  version: string;
  affectedApps: string[];
  steps: { actions: { action: string; app: string }[] }[];
  currentActions: { action: string; app: string; waitingReason?: string }[];
  currentStep: number;
  totalSteps: number;
}

export interface QueueEntryJson {
  app: { id: string };
  count: number;
  delay: { timeLeftSeconds: number; overdue: boolean };
  placement?: { placeable: boolean; summary: string };
}

export interface MarathonEventJson {
  eventType: string;
  timestamp: string;
  [field: string]: unknown;
}

export class MarathonClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<MarathonResponse<T>> {
    const h: Record<string, string> = { accept: 'application/json', ...headers };
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl + path, { method, headers: h, body: payload, signal: AbortSignal.timeout(this.timeoutMs) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed as T, headers: res.headers, text };
  }

  /** Like request, but a non-2xx answer throws with Marathon's message. */
  async ok<T = unknown>(method: string, path: string, body?: unknown): Promise<MarathonResponse<T>> {
    const r = await this.request<T>(method, path, body);
    if (r.status < 200 || r.status >= 300) throw new MarathonError(method, path, r.status, r.body, r.text);
    return r;
  }

  async apps(embed: string[] = []): Promise<AppJson[]> {
    const q = embed.map((e) => `embed=${encodeURIComponent(e)}`).join('&');
    return (await this.ok<{ apps: AppJson[] }>('GET', `/v2/apps${q ? `?${q}` : ''}`)).body.apps;
  }

  /** The app with tasks, counts and deployments; undefined when it does not exist. */
  async app(id: string): Promise<AppJson | undefined> {
    const r = await this.request<{ app: AppJson }>('GET', `/v2/apps${appPath(id)}`);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new MarathonError('GET', `/v2/apps${appPath(id)}`, r.status, r.body, r.text);
    return r.body.app;
  }

  deployments(): Promise<DeploymentJson[]> {
    return this.ok<DeploymentJson[]>('GET', '/v2/deployments').then((r) => r.body);
  }

  queue(): Promise<QueueEntryJson[]> {
    return this.ok<{ queue: QueueEntryJson[] }>('GET', '/v2/queue').then((r) => r.body.queue);
  }

  /** Follows /v2/events; `types` filters by event type. Call close() to stop. */
  events(types: string[] = []): EventStream {
    return new EventStream(this.baseUrl, types);
  }
}

export class MarathonError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
    text: string,
  ) {
    const msg = (body as { message?: unknown } | undefined)?.message;
    const details = (body as { details?: { path: string; errors: string[] }[] } | undefined)?.details;
    const detailText = details?.map((d) => `${d.path}: ${d.errors.join(', ')}`).join('; ');
    super(`${method} ${path}: ${status} ${typeof msg === 'string' ? msg : text.slice(0, 300)}${detailText ? ` (${detailText})` : ''}`);
    this.name = 'MarathonError';
  }
}

/** `/prod/web` → `/prod/web`; ids are sent segment by segment so that odd characters stay escaped. */
export function appPath(id: string): string {
  return '/' + id.split('/').filter(Boolean).map(encodeURIComponent).join('/');
}

/** A live `/v2/events` subscription collecting events in `received`. */
export class EventStream {
  readonly received: MarathonEventJson[] = [];
  private readonly ctl = new AbortController();
  private listeners: Array<(e: MarathonEventJson) => void> = [];
  /** Resolves once the stream is attached (the server sent its first bytes). */
  readonly attached: Promise<void>;

  constructor(baseUrl: string, types: string[]) {
    const q = types.map((t) => `event_type=${encodeURIComponent(t)}`).join('&');
    this.attached = this.run(`${baseUrl}/v2/events${q ? `?${q}` : ''}`);
  }

  onEvent(fn: (e: MarathonEventJson) => void): void {
    this.listeners.push(fn);
  }

  close(): void {
    this.ctl.abort();
  }

  private async run(url: string): Promise<void> {
    const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: this.ctl.signal });
    if (res.status !== 200 || !res.body) throw new Error(`GET /v2/events answered ${res.status}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let first = true;
    let resolveAttached: () => void = () => undefined;
    const attached = new Promise<void>((r) => (resolveAttached = r));
    void (async () => {
      let buf = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          if (first) {
            first = false;
            resolveAttached();
          }
          buf += decoder.decode(value, { stream: true });
          let cut: number;
          while ((cut = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, cut);
            buf = buf.slice(cut + 2);
            const data = frame
              .split('\n')
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trimStart())
              .join('\n');
            if (!data) continue;
            try {
              const e = JSON.parse(data) as MarathonEventJson;
              this.received.push(e);
              for (const l of this.listeners) l(e);
            } catch {
              // not an event
            }
          }
        }
      } catch {
        // closed
      }
    })();
    await attached;
  }
}
