// Reconnect delays: exponential backoff with full jitter (AWS architecture blog, "Exponential
// Backoff And Jitter"): attempt n waits a uniform random time in [0, min(cap, base * 2^n)], so a
// relay restart is not met by every page at once.

export const RECONNECT_BASE_MS = 500;
export const RECONNECT_CAP_MS = 30_000;

/** The upper bound of the wait before reconnect attempt `attempt` (0 = first retry). */
export function backoffCeilingMs(attempt: number): number {
  return Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** Math.min(attempt, 30));
}

export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeilingMs(attempt));
}
