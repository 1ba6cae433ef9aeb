import { describe, expect, it } from 'vitest';
import { outcomeText, TOUCH_ANNOUNCE_INTERVAL_MS, TouchAnnouncer } from './touchFeedback';

describe('what a visitor is told', () => {
  it('says why a touch was refused, in words', () => {
    const refused = (reason: Parameters<typeof outcomeText>[0] & { kind: 'refused' }) => outcomeText(reason, 'Chicago', 2);
    expect(refused({ kind: 'refused', reason: 'slow_down', retryMs: 1200 })).toBe('Slow down: try again in 2 s.');
    expect(refused({ kind: 'refused', reason: 'resting' })).toMatch(/^Visitors are resting/);
    expect(refused({ kind: 'refused', reason: 'station_resting' })).toBe('Visitors are resting at Chicago.');
    expect(outcomeText({ kind: 'heard', seq: 4 }, 'Chicago', 2)).toBe('You played chime 3 in Chicago: everyone listening heard it.');
  });

  it("announces others' touches at most once per interval, then sums up the rest", () => {
    const announcer = new TouchAnnouncer();
    expect(announcer.heard('Tokyo', 0, 1000)).toBe('A visitor played chime 1 in Tokyo.');
    expect(announcer.heard('Tokyo', 1, 1100)).toBeNull();
    expect(announcer.heard('Oslo', 1, 1200)).toBeNull();
    expect(announcer.flush(1000 + TOUCH_ANNOUNCE_INTERVAL_MS)).toBe('Visitors played 2 more chimes.');
    expect(announcer.flush(1000 + 2 * TOUCH_ANNOUNCE_INTERVAL_MS)).toBeNull();
    expect(announcer.heard('Oslo', 4, 1000 + 4 * TOUCH_ANNOUNCE_INTERVAL_MS)).toBe('A visitor played chime 5 in Oslo.');
  });
});
