import { describe, expect, it } from 'vitest';
import { OpenBudget, backoffDelayMs } from './openBudget';

describe('backoffDelayMs', () => {
  it('grows exponentially up to the cap, jittered over the whole range', () => {
    expect(backoffDelayMs(0, 1000, 60_000, () => 0.999)).toBe(999);
    expect(backoffDelayMs(3, 1000, 60_000, () => 0.999)).toBe(7992);
    expect(backoffDelayMs(20, 1000, 60_000, () => 0.999)).toBe(59_940);
    expect(backoffDelayMs(5, 1000, 60_000, () => 0)).toBe(0);
  });
});

describe('OpenBudget', () => {
  it('allows the cloud limit of opens per window, then waits for the oldest to leave it', () => {
    const budget = new OpenBudget(3, 1000);
    for (const t of [0, 100, 200]) {
      expect(budget.waitMs(t)).toBe(0);
      budget.record(t);
    }
    expect(budget.waitMs(300)).toBe(700);
    expect(budget.waitMs(1000)).toBe(0);
  });
});
