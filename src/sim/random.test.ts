import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed } from './random';

const draw = (seed: number, n: number): number[] => {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => random.next());
};

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('createRandom', () => {
  it('repeats the same sequence for the same seed', () => {
    expect(draw(42, 100)).toEqual(draw(42, 100));
  });

  it('gives unrelated sequences for neighbouring seeds', () => {
    const a = draw(1, 100);
    const b = draw(2, 100);
    expect(a.filter((x, i) => x === b[i])).toHaveLength(0);
  });

  it('draws uniformly in [0, 1)', () => {
    const xs = draw(7, 20_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 1);
    const lowTenth = xs.filter((x) => x < 0.1).length / xs.length;
    expect(lowTenth).toBeGreaterThan(0.09);
    expect(lowTenth).toBeLessThan(0.11);
  });

  it('draws standard normals', () => {
    const random = createRandom(3);
    const xs = Array.from({ length: 20_000 }, () => random.normal());
    const m = mean(xs);
    const sd = Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
    expect(m).toBeCloseTo(0, 1);
    expect(sd).toBeGreaterThan(0.97);
    expect(sd).toBeLessThan(1.03);
  });

  it('draws exponential waits with mean 1/rate, and never at rate 0', () => {
    const random = createRandom(5);
    const waits = Array.from({ length: 20_000 }, () => random.exponential(4));
    expect(mean(waits)).toBeGreaterThan(0.24);
    expect(mean(waits)).toBeLessThan(0.26);
    expect(random.exponential(0)).toBe(Infinity);
  });
});

describe('deriveSeed', () => {
  it('is stable and separates labels and seeds', () => {
    expect(deriveSeed(1, 'tokyo')).toBe(deriveSeed(1, 'tokyo'));
    expect(deriveSeed(1, 'tokyo')).not.toBe(deriveSeed(1, 'chicago'));
    expect(deriveSeed(1, 'tokyo')).not.toBe(deriveSeed(2, 'tokyo'));
    expect(Number.isInteger(deriveSeed(1, 'tokyo'))).toBe(true);
  });
});
