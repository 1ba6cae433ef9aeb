import { describe, expect, it } from 'vitest';
import { JitterBuffer, LAG_CATCH_UP_RATE, SPACING_TOLERANCE_MS, STALE_STRIKE_MS, type Placement } from './jitterBuffer';

const at = (p: Placement) => ('at' in p ? p.at : NaN);

describe('JitterBuffer', () => {
  it('plays a live strike (no age) immediately', () => {
    const buffer = new JitterBuffer();
    expect(buffer.place('a', 0, 1000)).toEqual({ at: 1000 });
    expect(buffer.place('a', 0, 1100)).toEqual({ at: 1100 });
  });

  it('spreads a batch that arrives at once back to its original spacing (within the tolerance), first one now', () => {
    const buffer = new JitterBuffer();
    // Struck at 0, 120, 300 ms; sent together at 400 (ages 400, 280, 100), arriving at local 5000.
    const times = [400, 280, 100].map((age) => at(buffer.place('a', age, 5000)));
    const T = SPACING_TOLERANCE_MS;
    expect(times).toEqual([5000, 5120 - T, 5300 - T]);
    expect(times[2]! - times[1]!).toBe(180); // every gap after the first exactly as struck
  });

  it('does not hold a strike for spacing differences within the tolerance (delivery noise)', () => {
    const buffer = new JitterBuffer();
    // One message waited 12 ms behind the page's work; the next came straight through.
    expect(buffer.place('a', 12, 1000)).toEqual({ at: 1000 });
    expect(buffer.place('a', 0, 1004)).toEqual({ at: 1004 });
    // A batch spread wider than the tolerance is still spaced, by what exceeds it.
    expect(buffer.place('a', 40, 1010)).toEqual({ at: 1010 });
    expect(at(buffer.place('a', 0, 1010))).toBe(1010 + 40 - SPACING_TOLERANCE_MS);
  });

  it('keeps order and spacing across a second batch arriving while the first still plays', () => {
    const buffer = new JitterBuffer();
    // Struck at -500 and 0 (local clock), both arriving at 0: played at 0 and 500.
    const T = SPACING_TOLERANCE_MS;
    expect([500, 0].map((age) => at(buffer.place('a', age, 0)))).toEqual([0, 500 - T]);
    // Struck at 100 and 150, arriving at 200 while the second still waits: they follow it, 50 ms apart.
    // Meanwhile the lag drifted back toward the present by LAG_CATCH_UP_RATE per ms (200 ms passed).
    const lag = 500 - LAG_CATCH_UP_RATE * 200;
    expect([100, 50].map((age) => at(buffer.place('a', age, 200)))).toEqual([200 + lag - 100 - T, 200 + lag - 50 - T]);
    expect(200 + lag - 100 - T).toBeGreaterThan(500 - T); // still after the first batch's last strike
  });

  it('never places a strike before an earlier one of the same station', () => {
    const buffer = new JitterBuffer();
    const times: number[] = [];
    let now = 0;
    for (let i = 0; i < 500; i++) {
      now += Math.floor((i * 37) % 50);
      times.push(at(buffer.place('a', (i * 7919) % 900, now)));
    }
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
  });

  it('catches back up to the present once a station has nothing waiting', () => {
    const buffer = new JitterBuffer();
    buffer.place('a', 800, 0); // lag 800
    buffer.place('a', 0, 0); // at 800
    expect(buffer.place('a', 0, 2000)).toEqual({ at: 2000 }); // queue drained: no inherited delay
  });

  it('drifts back to the present under a continuous stream after a delayed batch', () => {
    const buffer = new JitterBuffer();
    buffer.place('a', 1000, 0); // lag 1000 ms
    let last = 0;
    for (let now = 10; now <= 20_000; now += 10) last = at(buffer.place('a', 0, now)) - now;
    expect(last).toBe(0);
  });

  it('delays stations independently', () => {
    const buffer = new JitterBuffer();
    buffer.place('slow', 900, 0);
    expect(buffer.place('fast', 0, 0)).toEqual({ at: 0 });
  });

  it('marks strikes older than the stale limit as history', () => {
    const buffer = new JitterBuffer();
    expect(buffer.place('a', STALE_STRIKE_MS + 1, 0)).toEqual({ stale: true });
    expect(buffer.place('a', 0, 0)).toEqual({ at: 0 });
  });
});
