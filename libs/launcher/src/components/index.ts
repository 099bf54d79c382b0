import type { ComponentDef } from '../types';
import { agentComponent } from './agent';
import { consulComponent } from './consul';
import { masterComponent } from './master';
import { natsComponent } from './nats';

export { agentComponent, consulComponent, masterComponent, natsComponent };
export { listedAgents } from './agent';

/**
 * What a cluster runs, in start order (stopped in reverse). The frameworks and services join here as
 * their issues land (marathon, chronos, dns: Node services with a `main`, skipped until built).
 */
export const CORE_COMPONENTS: readonly ComponentDef[] = [natsComponent, consulComponent, masterComponent, agentComponent];
