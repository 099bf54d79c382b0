/**
 * The URL of an agent's `/files/read` for a relayed request. Only `path`, `offset` and `length` are passed
 * on, and only to an agent the master knows (by id), so the relay cannot be pointed anywhere else. The
 * agent itself confines `path` to its sandboxes.
 */
export function agentFilesUrl(agent: { ip: string; port: number }, query: Record<string, unknown>): string | undefined {
  const params = new URLSearchParams();
  for (const key of ['path', 'offset', 'length'] as const) {
    const v = query[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') return undefined;
    params.set(key, v);
  }
  if (!params.get('path')) return undefined;
  const host = agent.ip.includes(':') ? `[${agent.ip}]` : agent.ip;
  return `http://${host}:${agent.port}/files/read?${params.toString()}`;
}
