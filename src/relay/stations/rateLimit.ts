// Pure rate-limiting primitives, driven by an explicit clock so they test without timers.

/** Token bucket: `ratePerS` tokens a second, at most `burst` saved up. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerS: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Takes up to `wanted` tokens; returns how many were granted. */
  take(wanted: number, now: number): number {
    const elapsedS = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsedS * this.ratePerS);
    this.updatedAt = now;
    const granted = Math.min(wanted, Math.floor(this.tokens));
    this.tokens -= granted;
    return granted;
  }
}

/** Counts events inside a sliding window of `windowMs`. */
export class SlidingWindowCounter {
  private readonly times: number[] = [];

  constructor(private readonly windowMs: number) {}

  /** Records one event at `now` and returns how many fall inside the window. */
  hit(now: number): number {
    this.times.push(now);
    while (this.times.length > 0 && this.times[0]! <= now - this.windowMs) this.times.shift();
    return this.times.length;
  }
}
