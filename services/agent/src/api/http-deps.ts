import type { AgentCore } from '../agent';
import type { AgentConfig } from '../config/flags';
import type { Registrar } from '../registration/registrar';

/** What the HTTP controllers read; provided under HTTP_DEPS by the composition root. */
export interface HttpDeps {
  core: AgentCore;
  registrar: Registrar;
  config: AgentConfig;
  /** realpath of <work-dir>/sandboxes: the only tree the files API serves. */
  sandboxesRoot: string;
  startTime: number;
  isolation: string;
  version: string;
  /** The port actually bound (differs from the flag with --port 0). */
  port: () => number;
}

export const HTTP_DEPS = 'AGORA_AGENT_HTTP_DEPS';
