/**
 * A binary min-heap of small integer ids ordered by (share, tie), with removal of any id.
 *
 * Keys and positions live in arrays owned by the caller and indexed by id, so several heaps (one per
 * role) can share them as long as an id sits in at most one heap at a time. A key may change only while
 * its id is out of the heap (pop, update, push).
 */
export class ShareHeap {
  private readonly items: number[] = [];

  /**
   * @param share primary key per id
   * @param tie secondary key per id, breaks equal shares
   * @param pos index of each id in its heap, -1 when in none; must start filled with -1
   */
  constructor(
    private readonly share: Float64Array,
    private readonly tie: Float64Array,
    private readonly pos: Int32Array,
  ) {}

  get size(): number {
    return this.items.length;
  }

  has(id: number): boolean {
    return (this.pos[id] as number) >= 0;
  }

  push(id: number): void {
    this.items.push(id);
    this.siftUp(id, this.items.length - 1);
  }

  /** Removes and returns the id with the smallest key; -1 when empty. */
  pop(): number {
    const items = this.items;
    if (items.length === 0) return -1;
    const top = items[0] as number;
    this.removeAt(0);
    return top;
  }

  /** Removes `id`, which must be in this heap. */
  remove(id: number): void {
    this.removeAt(this.pos[id] as number);
  }

  private removeAt(i: number): void {
    const items = this.items;
    const gone = items[i] as number;
    this.pos[gone] = -1;
    const last = items.pop() as number;
    if (i === items.length) return;
    // The moved element may belong above or below the hole.
    if (i > 0 && this.less(last, items[(i - 1) >> 1] as number)) this.siftUp(last, i);
    else this.siftDown(last, i);
  }

  private siftUp(id: number, from: number): void {
    const items = this.items;
    let i = from;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as number;
      if (!this.less(id, p)) break;
      items[i] = p;
      this.pos[p] = i;
      i = parent;
    }
    items[i] = id;
    this.pos[id] = i;
  }

  private siftDown(id: number, from: number): void {
    const items = this.items;
    const n = items.length;
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let child = items[l] as number;
      if (r < n) {
        const right = items[r] as number;
        if (this.less(right, child)) {
          c = r;
          child = right;
        }
      }
      if (!this.less(child, id)) break;
      items[i] = child;
      this.pos[child] = i;
      i = c;
    }
    items[i] = id;
    this.pos[id] = i;
  }

  private less(a: number, b: number): boolean {
    const sa = this.share[a] as number;
    const sb = this.share[b] as number;
    if (sa !== sb) return sa < sb;
    return (this.tie[a] as number) < (this.tie[b] as number);
  }
}
