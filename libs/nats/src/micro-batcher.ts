/**
 * Collects items pushed in the same tick (or within `maxDelayMs`) and flushes them as one batch: status
 * updates and acks travel as one NATS message per burst instead of one per task.
 */
export class MicroBatcher<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly flushFn: (items: T[]) => void,
    private readonly maxDelayMs = 2,
    private readonly maxItems = 500,
  ) {}

  push(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.maxItems) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.maxDelayMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.items.length === 0) return;
    const batch = this.items;
    this.items = [];
    this.flushFn(batch);
  }
}
