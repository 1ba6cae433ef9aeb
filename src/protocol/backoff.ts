// The one reconnect policy of every client of the relay (pages, devices, the cloud stream):
// exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter").
// Attempt n waits a uniform random time in [0, min(cap, base * 2^n)), so a relay restart is met by
// a spread of reconnects, not a wave. Pure: randomness is passed in for tests.

export interface BackoffRange {
  /** Ceiling of the first retry's wait. */
  baseMs: number;
  /** The ceiling never grows past this. */
  capMs: number;
}

/** The upper bound of the wait before reconnect attempt `attempt` (0 = first retry). */
export function backoffCeilingMs(attempt: number, range: BackoffRange): number {
  return Math.min(range.capMs, range.baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
}

/** Full-jitter wait before attempt `attempt`; `random` returns a number in [0, 1). */
export function fullJitterDelayMs(attempt: number, range: BackoffRange, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeilingMs(attempt, range));
}
