import { describe, expect, it } from 'vitest';
import { StallDetector, stallMsFrom, WATCHDOG_MIN_STALL_MS, WATCHDOG_STALL_MS } from './watchdog';

describe('StallDetector', () => {
  it('says nothing while frames and transport pulses keep coming', () => {
    const detector = new StallDetector(0, 60_000);
    for (let t = 1_000; t <= 300_000; t += 1_000) {
      detector.frame(t);
      if (t % 15_000 === 0) detector.pulse(t);
      expect(detector.check(t)).toBeNull();
    }
  });

  it('reports a drawing stall after 60 s without a frame', () => {
    const detector = new StallDetector(0, 60_000);
    detector.pulse(59_000);
    expect(detector.check(59_999)).toBeNull();
    expect(detector.check(60_000)).toBe('drawing');
  });

  it('reports a transport stall after 60 s without a sign of life, only when watching the transport', () => {
    const watching = new StallDetector(0, 60_000, true);
    const notWatching = new StallDetector(0, 60_000, false);
    for (const detector of [watching, notWatching]) detector.frame(60_000);
    expect(watching.check(60_000)).toBe('transport');
    expect(notWatching.check(60_000)).toBeNull();
  });

  it('expects no frames while hidden: drawing is judged from when the page shows again', () => {
    const detector = new StallDetector(0, 60_000, false);
    detector.hidden(500_000);
    expect(detector.check(500_000 + 59_000)).toBeNull();
    expect(detector.check(500_000 + 60_000)).toBe('drawing');
  });
});

describe('stallMsFrom', () => {
  it('reads ?watchdogS= in seconds, never below the minimum, and ignores nonsense', () => {
    expect(stallMsFrom(new URLSearchParams(''))).toBe(WATCHDOG_STALL_MS);
    expect(stallMsFrom(new URLSearchParams('watchdogS=5'))).toBe(5_000);
    expect(stallMsFrom(new URLSearchParams('watchdogS=0.1'))).toBe(WATCHDOG_MIN_STALL_MS);
    expect(stallMsFrom(new URLSearchParams('watchdogS=soon'))).toBe(WATCHDOG_STALL_MS);
  });
});
