import { describe, expect, it } from 'vitest';
import { CirclePool, MAX_CIRCLES } from './circlePool';

describe('CirclePool', () => {
  it('expires finished circles from the old end', () => {
    const pool = new CirclePool();
    pool.spawn(0, 0, 10, 0, 100, 100);
    pool.spawn(0, 0, 10, 0, 200, 200);
    pool.expire(1150, 1000);
    expect(pool.size).toBe(1);
    pool.expire(1200, 1000);
    expect(pool.size).toBe(0);
  });

  it('replaces the oldest circle when full, never growing', () => {
    const pool = new CirclePool();
    for (let i = 0; i < MAX_CIRCLES + 10; i++) pool.spawn(i, 0, 1, 0, i, i);
    expect(pool.size).toBe(MAX_CIRCLES);
    expect(pool.x[pool.tail % MAX_CIRCLES]).toBe(10);
  });

  it('merges a chime struck again within the merge window into its circle, growing it', () => {
    const pool = new CirclePool();
    const chime = {};
    expect(pool.spawnOrMerge(chime, 5, 5, 10, 0, 1000, 1000, 150)).toBe(false);
    expect(pool.spawnOrMerge(chime, 5, 5, 20, 0, 1100, 1100, 150)).toBe(true);
    expect(pool.size).toBe(1);
    expect(pool.radius[0]).toBe(20);
    expect(pool.spawnOrMerge({}, 9, 9, 10, 1, 1100, 1100, 150)).toBe(false); // another chime
    expect(pool.spawnOrMerge(chime, 5, 5, 10, 0, 1150, 1150, 150)).toBe(false); // window passed
    expect(pool.size).toBe(3);
  });
});
