import { Injectable } from '../nest';
import { AgoraError, Subscribe } from '@agora/contracts';
import type { ParsedRequestOf } from '@agora/contracts';
import { isValidRole } from '@agora/model';
import { MasterState } from '../registry/master-state';
import { RegistryStore } from '../registry/registry-store';
import { ClusterEvents } from '../events/cluster-events';
import { AllocationTrigger } from '../offers/allocation-trigger';
import { OfferBook } from '../offers/offer-book';
import { MasterIdentity } from '../identity';
import { isSubjectSafeId } from '../ids';
import type { ReplyData } from '../reply-data';

export const FRAMEWORK_HEARTBEAT_INTERVAL_SECONDS = 1;

/**
 * Subscribe: a new framework gets an id; a known id re-subscribes (also ids this leader has never seen:
 * they subscribed with a previous leader). Torn-down ids are refused for good.
 */
@Injectable()
export class SubscribeHandler {
  constructor(
    private readonly state: MasterState,
    private readonly identity: MasterIdentity,
    private readonly store: RegistryStore,
    private readonly events: ClusterEvents,
    private readonly allocation: AllocationTrigger,
    private readonly offers: OfferBook,
  ) {}

  async handle(req: ParsedRequestOf<typeof Subscribe>): Promise<ReplyData<typeof Subscribe>> {
    const { info } = req;
    if (!isValidRole(info.role)) throw new AgoraError('INVALID_MESSAGE', `role "${info.role}" is not valid (use * or path segments without ., .., leading - or whitespace)`);
    if (req.frameworkId !== undefined) {
      if (!isSubjectSafeId(req.frameworkId)) throw new AgoraError('INVALID_MESSAGE', `framework id "${req.frameworkId}" is not usable (letters, digits, _ : - only)`);
      if (this.state.tornDown.has(req.frameworkId)) throw new AgoraError('FRAMEWORK_TORN_DOWN', `framework ${req.frameworkId} was torn down; subscribe without an id`);
    }
    const now = Date.now();
    const term = this.state.term;
    let id = req.frameworkId;
    let fw = id !== undefined ? this.state.frameworks.get(id) : undefined;
    let type: 'ADDED' | 'UPDATED' = 'UPDATED';
    if (fw) {
      // A re-subscribing scheduler may have restarted and forgotten its offers: take them back so they are re-offered.
      this.offers.rescindFramework(fw.id);
      fw.info = info;
      fw.connected = true;
      fw.active = true;
      fw.suppressed = false;
      fw.placeholder = false;
      fw.lastSeen = now;
      fw.reregisteredTime = now;
      fw.unregisteredTime = undefined;
    } else {
      type = 'ADDED';
      if (id === undefined) {
        do id = this.identity.frameworkId(++this.state.frameworkSeq);
        while (this.state.frameworks.has(id) || this.state.tornDown.has(id));
      }
      fw = this.state.newFramework(id, info, now, { connected: true, placeholder: false });
      if (req.frameworkId !== undefined) fw.reregisteredTime = now;
      this.state.frameworks.set(id, fw);
    }
    this.events.framework(type, fw);
    await this.store.saveFramework(fw.id, fw.info, fw.registeredTime);
    if (this.state.term !== term) throw new AgoraError('NOT_LEADER', 'leadership changed during subscription');
    this.allocation.request();
    return { frameworkId: fw.id, heartbeatIntervalSeconds: FRAMEWORK_HEARTBEAT_INTERVAL_SECONDS, master: this.identity.asLeader(this.state.epoch, this.state.electedAt) };
  }
}
