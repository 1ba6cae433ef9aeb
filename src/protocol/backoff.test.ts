import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, fullJitterDelayMs } from './backoff';

const PAGE = { baseMs: 500, capMs: 30_000 };

describe('full-jitter backoff', () => {
  it('doubles the ceiling from the base and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffCeilingMs(n, PAGE))).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('waits a uniformly jittered time between 0 and the ceiling', () => {
    expect(fullJitterDelayMs(3, PAGE, () => 0)).toBe(0);
    expect(fullJitterDelayMs(3, PAGE, () => 0.5)).toBe(2000);
    expect(fullJitterDelayMs(3, PAGE, () => 0.999999)).toBe(3999);
    expect(fullJitterDelayMs(40, PAGE, () => 0.999999)).toBeLessThan(PAGE.capMs);
    expect(fullJitterDelayMs(3, { baseMs: 1000, capMs: 60_000 }, () => 0.999)).toBe(7992);
  });

  it('spreads real random delays over the whole range', () => {
    const delays = Array.from({ length: 2000 }, () => fullJitterDelayMs(2, PAGE));
    expect(Math.min(...delays)).toBeLessThan(200);
    expect(Math.max(...delays)).toBeGreaterThan(1800);
    expect(delays.every((d) => d >= 0 && d < 2000)).toBe(true);
  });
});
