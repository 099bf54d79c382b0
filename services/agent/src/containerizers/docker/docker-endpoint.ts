import Docker from 'dockerode';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** Where the Docker daemon listens, as dockerode wants it. */
export type DockerEndpoint = { socketPath: string } | { protocol: 'http' | 'https'; host: string; port: number };

/** --docker-socket, else DOCKER_HOST, else Docker's default socket. */
export function resolveDockerEndpoint(flag: string | undefined, dockerHost: string | undefined): DockerEndpoint {
  const spec = flag ?? (dockerHost?.trim() ? dockerHost.trim() : DEFAULT_DOCKER_SOCKET);
  if (spec.startsWith('/')) return { socketPath: spec };
  if (spec.startsWith('unix://')) return { socketPath: spec.slice('unix://'.length) };
  const m = /^(tcp|http|https):\/\/([^\s/:]+):(\d+)\/?$/.exec(spec);
  if (m?.[2] && m[3]) return { protocol: m[1] === 'https' ? 'https' : 'http', host: m[2], port: Number(m[3]) };
  throw new Error(`cannot use "${spec}" as a Docker endpoint (a socket path, unix:///path or tcp://host:port)`);
}

export function describeEndpoint(e: DockerEndpoint): string {
  return 'socketPath' in e ? `unix://${e.socketPath}` : `${e.protocol === 'https' ? 'https' : 'tcp'}://${e.host}:${e.port}`;
}

export function connectDocker(e: DockerEndpoint): Docker {
  return new Docker(e);
}

/** Resolves with the daemon's version when it answers within `timeoutMs`, else rejects with why not. */
export async function pingDocker(e: DockerEndpoint, timeoutMs: number): Promise<string> {
  // a client of its own: the timeout must not apply to the long-polling requests of the containerizer
  const docker = new Docker({ ...e, timeout: timeoutMs });
  try {
    const v = await docker.version();
    return `${v.Version} (API ${v.ApiVersion})`;
  } catch (err) {
    throw new Error(dockerErrorMessage(err));
  }
}

/** The daemon's own words for an error when it gave some (dockerode wraps them), else the error's message. */
export function dockerErrorMessage(e: unknown): string {
  if (typeof e === 'object' && e !== null) {
    const json = (e as { json?: unknown }).json;
    if (typeof json === 'object' && json !== null && typeof (json as { message?: unknown }).message === 'string') return (json as { message: string }).message.trim();
    if (typeof json === 'string' && json.trim()) return json.trim();
    if (Buffer.isBuffer(json) && json.length) return json.toString('utf8').trim();
  }
  const msg = e instanceof Error ? e.message.trim() : String(e);
  // dockerode's own prefix carries nothing the daemon's text does not say better
  return /^\(HTTP code \d+\) [^-]*- ([\s\S]+)$/.exec(msg)?.[1]?.trim() || msg;
}

/** HTTP status of a daemon error (404 no such container …), if it was one. */
export function dockerStatusCode(e: unknown): number | undefined {
  const c = typeof e === 'object' && e !== null ? (e as { statusCode?: unknown }).statusCode : undefined;
  return typeof c === 'number' ? c : undefined;
}
