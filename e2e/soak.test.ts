// The soak on a 2-minute schedule (the full one is `npm run soak`): heap and DOM do not grow,
// no voice outlives the strikes, and every strike after each relay restart and link cut arrives.
import { expect, it } from 'vitest';
import { runSoak, SHORT_SCHEDULE, SOAK_GROWTH_LIMIT } from '../bench/soak/soak';

it('two minutes at 10x with two relay restarts and a cut link: nothing leaks, nothing is lost', async () => {
  const result = await runSoak({ schedule: SHORT_SCHEDULE, simSpeed: 10 });
  expect(result.failures).toEqual([]);
  expect(Math.abs(result.heapGrowth)).toBeLessThanOrEqual(SOAK_GROWTH_LIMIT);
  expect(Math.abs(result.domGrowth)).toBeLessThanOrEqual(SOAK_GROWTH_LIMIT);
  expect(result.voicesAfterStop).toBe(0);
  expect(result.epochs).toHaveLength(3);
  for (const epoch of result.epochs) expect(epoch.expected).toBeGreaterThan(0);
  expect(result.samples.some((s) => s.voicesActive > 0)).toBe(true); // sound was really on
}, 240_000);
