/** Where the view stands in the leader's event stream: the epoch and the last sequence applied. */
export interface StreamPosition {
  epoch: number;
  sequence: number;
}

/**
 * What to do with a cluster event, given the view's position. Every task, agent and framework event
 * carries `{epoch, sequence}`; the sequence grows by one per event within an epoch:
 * - apply:  the next event in order;
 * - skip:   already covered (the snapshot contains it, a duplicate) or from a deposed leader;
 * - resync: something was missed (a gap) or a new leader started counting: re-read the whole state.
 */
export function sequenceDecision(pos: StreamPosition, ev: StreamPosition): 'apply' | 'skip' | 'resync' {
  if (ev.epoch < pos.epoch) return 'skip';
  if (ev.epoch > pos.epoch) return 'resync';
  if (ev.sequence <= pos.sequence) return 'skip';
  return ev.sequence === pos.sequence + 1 ? 'apply' : 'resync';
}
