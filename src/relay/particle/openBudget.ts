// When to (re)open the cloud stream: exponential backoff with full jitter, and a sliding-window
// budget so the relay never opens more streams than the cloud allows. Pure; time is passed in.

/** Full-jitter delay for the given attempt (0 = first retry). `random` is in [0, 1). */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

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
