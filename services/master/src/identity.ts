import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from './nest';
import { AGORA_VERSION, MasterInfo } from '@agora/contracts';
import { agentIdFrom, frameworkIdFrom, offerIdFrom } from '@agora/model';
import { CONFIG } from './tokens';
import type { MasterConfig } from './config';

/** Who this master process is: one random id per run, from which agent, framework and offer ids derive. */
@Injectable()
export class MasterIdentity {
  readonly id = randomUUID();
  readonly startTime = Date.now();
  readonly info: MasterInfo;

  constructor(@Inject(CONFIG) cfg: MasterConfig) {
    this.info = {
      id: this.id,
      hostname: cfg.hostname,
      ip: cfg.ip,
      port: cfg.port,
      url: `http://${cfg.ip}:${cfg.port}`,
      version: AGORA_VERSION,
    };
  }

  /** This master as leader: its info plus the epoch it leads and when it was elected (epoch seconds). */
  asLeader(epoch: number, electedAtMs: number | undefined): MasterInfo {
    const info: MasterInfo = { ...this.info, epoch };
    if (electedAtMs !== undefined) info.electedTime = electedAtMs / 1000;
    return info;
  }

  agentId(n: number): string {
    return agentIdFrom(this.id, n);
  }

  frameworkId(n: number): string {
    return frameworkIdFrom(this.id, n);
  }

  offerId(n: number): string {
    return offerIdFrom(this.id, n);
  }
}
