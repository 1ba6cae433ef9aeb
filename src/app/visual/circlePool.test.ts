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
});
