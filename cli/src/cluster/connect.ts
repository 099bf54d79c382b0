import pino from 'pino';
import { Bus } from '@agora/nats';
import type { Logger } from '@agora/logging';
import { CliError } from '../errors';
import { causeOf, fetchMasterState, MesosState, natsUrlOf } from './master-state';

/**
 * The CLI's logger: pino on stderr (stdout is for the command's output), quiet unless AGORA_LOG_LEVEL
 * says otherwise.
 */
export function cliLogger(): Logger {
  return pino({ name: 'agora-cli', level: process.env.AGORA_LOG_LEVEL ?? 'error', base: { component: 'cli' } }, pino.destination(2));
}

/**
 * Connects to the bus the leading master is on: asks the master (HTTP, following a standby's redirect)
 * for its `nats` flag unless `natsOverride` is given.
 */
export async function connectToCluster(
  master: string,
  natsOverride: string | undefined,
  log: Logger,
): Promise<{ bus: Bus; natsUrl: string; state: MesosState | undefined }> {
  let natsUrl = natsOverride;
  let state: MesosState | undefined;
  if (!natsUrl) {
    state = (await fetchMasterState(master)).state;
    natsUrl = natsUrlOf(state);
    if (!natsUrl) throw new CliError(`the master at ${master} does not tell its NATS URL (flags.nats); pass --nats URL`);
  }
  try {
    const bus = await Bus.connect(natsUrl, 'agora-cli', log);
    return { bus, natsUrl, state };
  } catch (e) {
    throw new CliError(`cannot connect to NATS at ${natsUrl}: ${causeOf(e)}`);
  }
}
