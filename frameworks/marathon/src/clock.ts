import { randomUUID } from 'node:crypto';

/**
 * Time and randomness for the service (the core takes them as arguments). Versions are ISO 8601
 * timestamps that strictly increase within this process, so two changes in the same millisecond still
 * get distinct version keys.
 */
export class Clock {
  private lastVersionMs = 0;

  now(): number {
    return Date.now();
  }

  /** A fresh version timestamp, later than every one handed out before. */
  version(): string {
    const ms = Math.max(Date.now(), this.lastVersionMs + 1);
    this.lastVersionMs = ms;
    return new Date(ms).toISOString();
  }

  /** Never hands out a version at or before one that is already stored (after a leader change). */
  observeVersion(iso: string): void {
    const ms = Date.parse(iso);
    if (Number.isFinite(ms) && ms > this.lastVersionMs) this.lastVersionMs = ms;
  }

  iso(ms = Date.now()): string {
    return new Date(ms).toISOString();
  }

  uuid(): string {
    return randomUUID();
  }

  random(): number {
    return Math.random();
  }
}
