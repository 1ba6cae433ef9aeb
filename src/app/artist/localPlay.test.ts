import { describe, expect, it } from 'vitest';
import { chimeNear, CHIME_HIT_RADIUS_PX } from './localPlay';
import { parseSemitones } from './soundFolder';

describe('chimeNear (which chime a click strikes)', () => {
  const chimes = [
    { station: 'a', chime: 0, x: 100, y: 100 },
    { station: 'a', chime: 1, x: 110, y: 100 },
    { station: 'b', chime: 0, x: 300, y: 300 },
  ];
  it('strikes the nearest chime within reach', () => {
    expect(chimeNear(chimes, 107, 101)).toMatchObject({ station: 'a', chime: 1 });
    expect(chimeNear(chimes, 296, 303)).toMatchObject({ station: 'b', chime: 0 });
  });
  it('a click away from every chime strikes nothing', () => {
    expect(chimeNear(chimes, 100, 100 + CHIME_HIT_RADIUS_PX + 1)).toBeNull();
    expect(chimeNear([], 0, 0)).toBeNull();
  });
});

describe('parseSemitones (the custom scale field)', () => {
  it('reads steps separated by spaces or commas, sorted and without repeats', () => {
    expect(parseSemitones('0 3, 5 7 10 3')).toEqual([0, 3, 5, 7, 10]);
  });
  it('refuses what is not a step of one octave, so the last good scale stays', () => {
    expect(parseSemitones('')).toBeNull();
    expect(parseSemitones('0 12')).toBeNull();
    expect(parseSemitones('0 two')).toBeNull();
    expect(parseSemitones('1.5')).toBeNull();
  });
});
