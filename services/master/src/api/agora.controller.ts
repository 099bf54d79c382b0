import type { ServerResponse } from 'node:http';
import { Controller, Get, Param, Query, Res } from '../nest';
import { ConsulClient } from '@agora/consul';
import { Leadership } from '../leader/leadership';
import { MasterIdentity } from '../identity';
import { MasterState } from '../registry/master-state';
import type { AgoraServices } from './service-directory';
import { ServiceDirectory } from './service-directory';
import { agentFilesUrl } from './agent-files-relay';

/** How long the relay waits for an agent's files API. */
const AGENT_TIMEOUT_MS = 5000;

/**
 * Agora's own endpoints beside the Mesos-shaped ones, for the web UI (`/ui/`, see ui/):
 * `/agora/services` (where Marathon, Chronos and DNS answer; any master, leading or not) and
 * `/agora/agents/{id}/files/read` (an agent's sandbox files, relayed by the leader, so the browser
 * needs to reach only the master, as DC/OS's admin router does for agents).
 */
@Controller()
export class AgoraController {
  private readonly directory: ServiceDirectory;

  constructor(
    consul: ConsulClient,
    private readonly leadership: Leadership,
    private readonly identity: MasterIdentity,
    private readonly state: MasterState,
  ) {
    this.directory = new ServiceDirectory(consul);
  }

  @Get()
  root(@Res() res: ServerResponse): void {
    res.statusCode = 302;
    res.setHeader('Location', '/ui/');
    res.end();
  }

  @Get('agora/services')
  async services(): Promise<AgoraServices> {
    const found = await this.directory.lookup();
    return { self: this.identity.info.url, leader: this.leadership.current?.url ?? null, ...found };
  }

  @Get('agora/agents/:agentId/files/read')
  async agentFile(@Param('agentId') agentId: string, @Query() query: Record<string, unknown>, @Res() res: ServerResponse): Promise<void> {
    const agent = this.state.agents.get(agentId);
    if (!agent) return reply(res, 404, { message: `no agent ${agentId}` });
    const url = agentFilesUrl(agent.info, query);
    if (!url) return reply(res, 400, { message: 'path (a string) is required; offset and length are optional' });
    let upstream: Response;
    try {
      upstream = await fetch(url, { signal: AbortSignal.timeout(AGENT_TIMEOUT_MS) });
    } catch (e) {
      return reply(res, 502, { message: `agent ${agentId} at ${agent.info.ip}:${agent.info.port} did not answer: ${e instanceof Error ? e.message : String(e)}` });
    }
    res.statusCode = upstream.status;
    res.setHeader('Content-Type', upstream.headers.get('content-type') ?? 'application/json; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(Buffer.from(await upstream.arrayBuffer()));
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
