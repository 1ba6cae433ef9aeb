import { describe, expect, it } from 'vitest';
import { SlidingWindowCounter, TokenBucket } from './rateLimit';

describe('TokenBucket', () => {
  it('grants the burst at once, then the sustained rate', () => {
    const bucket = new TokenBucket(50, 100, 0);
    expect(bucket.take(150, 0)).toBe(100);
    expect(bucket.take(100, 1000)).toBe(50);
    expect(bucket.take(10, 1100)).toBe(5);
  });

  it('never saves more than the burst', () => {
    const bucket = new TokenBucket(50, 100, 0);
    expect(bucket.take(1000, 60_000)).toBe(100);
  });
});

describe('SlidingWindowCounter', () => {
  it('forgets events older than the window', () => {
    const counter = new SlidingWindowCounter(10_000);
    for (let i = 0; i < 20; i++) counter.hit(i * 100);
    expect(counter.hit(2_000)).toBe(21);
    expect(counter.hit(11_950)).toBe(2);
  });
});
