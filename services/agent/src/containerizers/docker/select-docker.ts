import type Docker from 'dockerode';
import type { Logger } from '@agora/logging';
import type { AgentConfig, ContainerizerName } from '../../config/flags';
import { connectDocker, describeEndpoint, pingDocker, resolveDockerEndpoint } from './docker-endpoint';

/** How long start-up waits for the Docker daemon to answer. */
const PING_TIMEOUT_MS = 3000;

export type DockerSelection =
  | { ok: true; containerizers: ContainerizerName[]; client?: Docker; endpoint?: string }
  | { ok: false; message: string };

/**
 * Which containerizers the agent runs. Asked for explicitly: docker must answer (else the agent refuses
 * to start: exit 2 with the reason). Not asked: docker,process when a daemon answers, else process only.
 */
export async function selectDocker(config: AgentConfig, dockerHost: string | undefined, log: Logger): Promise<DockerSelection> {
  const wanted = config.containerizers.includes('docker');
  if (!wanted) return { ok: true, containerizers: config.containerizers };
  let endpoint;
  try {
    endpoint = resolveDockerEndpoint(config.dockerSocket, dockerHost);
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  const where = describeEndpoint(endpoint);
  try {
    const version = await pingDocker(endpoint, PING_TIMEOUT_MS);
    log.info({ docker: where, version }, 'docker containerizer enabled');
    return { ok: true, containerizers: config.containerizers, client: connectDocker(endpoint), endpoint: where };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (!config.containerizersAuto)
      return { ok: false, message: `--containerizers includes docker but no Docker daemon answers at ${where}: ${why} (start one, or see --docker-socket)` };
    log.info({ docker: where, reason: why }, 'no Docker daemon answers: running the process containerizer only');
    return { ok: true, containerizers: config.containerizers.filter((c) => c !== 'docker') };
  }
}
