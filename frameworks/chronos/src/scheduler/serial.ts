/**
 * Runs async steps one at a time, in the order they were asked for. The scheduler's ticks, status
 * updates and API changes all go through one of these, so each sees the leader's memory as the previous
 * step left it and the Consul writes of one step are issued before the next step reads.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(step: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(step);
    // A failing step must not stall the ones queued after it.
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every step queued so far has run. */
  idle(): Promise<void> {
    return this.run(() => undefined);
  }
}
