import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, backoffDelayMs, RECONNECT_CAP_MS } from './backoff';

describe('reconnect backoff', () => {
  it('doubles from 0.5 s and stops at the 30 s cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map(backoffCeilingMs)).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('waits a uniformly jittered time between 0 and the ceiling (full jitter)', () => {
    expect(backoffDelayMs(3, () => 0)).toBe(0);
    expect(backoffDelayMs(3, () => 0.5)).toBe(2000);
    expect(backoffDelayMs(3, () => 0.999999)).toBe(3999);
    expect(backoffDelayMs(40, () => 0.999999)).toBeLessThan(RECONNECT_CAP_MS);
  });

  it('spreads real random delays over the whole range', () => {
    const delays = Array.from({ length: 2000 }, () => backoffDelayMs(2));
    expect(Math.min(...delays)).toBeLessThan(200);
    expect(Math.max(...delays)).toBeGreaterThan(1800);
    expect(delays.every((d) => d >= 0 && d < 2000)).toBe(true);
  });
});
