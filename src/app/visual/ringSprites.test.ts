import { describe, expect, it } from 'vitest';
import { quantiseRadius, radiusOfStep } from './ringSprites';

describe('ring sprite radii', () => {
  it('round-trip within half a pixel up to 16 px, within 2% above', () => {
    for (let r = 0.5; r < 300; r += 0.37) {
      const back = radiusOfStep(quantiseRadius(r));
      if (r <= 16) expect(Math.abs(back - r)).toBeLessThanOrEqual(0.5);
      else expect(Math.abs(back - r) / r).toBeLessThan(0.021);
    }
  });

  it('keep the number of distinct sprites small', () => {
    expect(quantiseRadius(300)).toBeLessThan(120);
  });
});
