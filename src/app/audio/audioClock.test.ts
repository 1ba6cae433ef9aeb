import { describe, expect, it } from 'vitest';
import { AudioClock } from './audioClock';

describe('AudioClock', () => {
  it('keeps the spacing of notes exactly, although the audio clock advances in chunks', () => {
    const clock = new AudioClock();
    // Audio clock stuck at 1.000 s for the whole 10 ms chunk while page time moves on.
    clock.sample(1.0, 5_000);
    const a = clock.toAudioS(5_000, 5_000, 0.02);
    clock.sample(1.0, 5_004);
    const b = clock.toAudioS(5_004, 5_004, 0.02);
    expect(b - a).toBeCloseTo(0.004, 9);
  });

  it('never schedules in the past: late notes sound now plus the look-ahead', () => {
    const clock = new AudioClock();
    clock.sample(2, 10_000);
    expect(clock.toAudioS(0, 10_000, 0.02)).toBeCloseTo(2.02, 9);
    expect(clock.toAudioS(10_100, 10_000, 0.02)).toBeCloseTo(2.12, 9);
  });

  it('resynchronises when the audio clock falls behind (a stall or a suspend)', () => {
    const clock = new AudioClock();
    clock.sample(2, 10_000);
    clock.sample(2.5, 11_000); // audio lost half a second
    expect(clock.toAudioS(11_000, 11_000, 0)).toBeCloseTo(2.5, 9);
  });
});
