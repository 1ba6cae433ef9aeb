import { describe, expect, it } from 'vitest';
import { OpenBudget } from './openBudget';

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
