import { Injectable } from '../nest';

/**
 * "Something freed resources or added demand: allocate soon." The allocation loop plugs itself in;
 * everyone else only needs this, which keeps the dependency graph free of cycles.
 */
@Injectable()
export class AllocationTrigger {
  private fn: (() => void) | undefined;

  connect(fn: () => void): void {
    this.fn = fn;
  }

  request(): void {
    this.fn?.();
  }
}
