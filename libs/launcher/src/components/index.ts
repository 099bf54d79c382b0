import type { ComponentDef } from '../types';
import { agentComponent } from './agent';
import { chronosComponent } from './chronos';
import { consulComponent } from './consul';
import { dnsComponent } from './dns';
import { marathonComponent } from './marathon';
import { masterComponent } from './master';
import { natsComponent } from './nats';

export { agentComponent, chronosComponent, consulComponent, dnsComponent, marathonComponent, masterComponent, natsComponent };
export { chronosEndpoint } from './chronos';
export { marathonEndpoint } from './marathon';
export { listedAgents } from './agent';

/**
 * What a cluster runs, in start order (stopped in reverse). The frameworks and services join here as
 * their issues land (marathon, chronos, dns: Node services with a `main`, skipped until built).
 */
export const CORE_COMPONENTS: readonly ComponentDef[] = [natsComponent, consulComponent, masterComponent, agentComponent];

/**
 * The kernel plus DNS and the frameworks that are built (a framework whose main.js is missing is skipped with
 * `missing: 'skip'`): what `agora up` runs. Tests opt in with `components: ALL_COMPONENTS`.
 */
export const ALL_COMPONENTS: readonly ComponentDef[] = [...CORE_COMPONENTS, dnsComponent, marathonComponent, chronosComponent];
