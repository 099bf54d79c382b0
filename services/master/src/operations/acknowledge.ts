import { Injectable } from '../nest';
import { AgentAck, Acknowledge } from '@agora/contracts';
import type { MessageOf } from '@agora/contracts';
import { Bus, MicroBatcher } from '@agora/nats';
import { MasterUpdates } from '../events/master-updates';
import { isSubjectSafeId } from '../ids';

type AckItem = { frameworkId: string; taskId: string; uuid: string };

/**
 * Framework acks go on to the agent that sent the update (batched per agent), except acks of updates
 * the master generated itself, which settle here.
 */
@Injectable()
export class AcknowledgeHandler {
  private perAgent = new Map<string, MicroBatcher<AckItem>>();

  constructor(
    private readonly bus: Bus,
    private readonly masterUpdates: MasterUpdates,
  ) {}

  handle(msg: MessageOf<typeof Acknowledge>): void {
    for (const a of msg.acks) {
      if (this.masterUpdates.ack(a.uuid)) continue;
      if (!isSubjectSafeId(a.agentId)) continue;
      let b = this.perAgent.get(a.agentId);
      if (!b) {
        const agentId = a.agentId;
        b = new MicroBatcher<AckItem>((acks) => this.publish(agentId, acks), 2, 500);
        this.perAgent.set(agentId, b);
      }
      b.push({ frameworkId: msg.frameworkId, taskId: a.taskId, uuid: a.uuid });
    }
  }

  clear(): void {
    for (const b of this.perAgent.values()) b.flush();
    this.perAgent.clear();
  }

  private publish(agentId: string, acks: AckItem[]): void {
    try {
      this.bus.publish(AgentAck, [agentId], { acks });
    } catch {
      // Closing: the agent retries the update and the framework acks again.
    }
  }
}
