// The cloud's limit on opening event streams: a sliding-window budget, so the relay (with its
// reconnect backoff, src/protocol/backoff.ts) never opens more streams than the cloud allows.
// Pure; time is passed in.

/** Remembers recent stream opens; says how long to wait before the next one is allowed. */
export class OpenBudget {
  private readonly opens: number[] = [];

  constructor(
    private readonly maxOpens: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until an open is allowed (0 = now). */
  waitMs(now: number): number {
    this.forget(now);
    if (this.opens.length < this.maxOpens) return 0;
    return this.opens[0]! + this.windowMs - now;
  }

  record(now: number): void {
    this.forget(now);
    this.opens.push(now);
  }

  private forget(now: number): void {
    while (this.opens.length > 0 && this.opens[0]! <= now - this.windowMs) this.opens.shift();
  }
}
