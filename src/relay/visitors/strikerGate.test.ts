import { describe, expect, it } from 'vitest';
import type { StationStriker, StrikerLimits } from '../../protocol';
import { StrikerGate, inQuietHours } from './strikerGate';

const configured: StationStriker = { chimes: [0, 1, 2, 3], maxPerMinute: 5, minGapMs: 2_000 };
const declared: StrikerLimits = { chimes: [0, 1, 2], maxPerMinute: 30, minGapMs: 1_500 };
const NOON_UTC = Date.parse('2026-06-01T12:00:00Z');

describe('StrikerGate', () => {
  it('rings only chimes both the stations file and the device list, for a device that declared a striker', () => {
    const gate = new StrikerGate();
    expect(gate.decide('s', configured, undefined, 0, NOON_UTC, NOON_UTC)).toEqual({ ring: false, reason: 'not_declared' });
    expect(gate.decide('s', configured, declared, 3, NOON_UTC, NOON_UTC)).toEqual({ ring: false, reason: 'chime' });
    expect(gate.decide('s', configured, declared, 5, NOON_UTC, NOON_UTC)).toEqual({ ring: false, reason: 'chime' });
    expect(gate.decide('s', configured, declared, 2, NOON_UTC, NOON_UTC)).toEqual({ ring: true });
  });

  it('keeps the stricter gap and per-minute limit of both, on a fake clock', () => {
    const gate = new StrikerGate();
    let now = NOON_UTC;
    const ring = () => gate.decide('s', configured, declared, 0, now, now);
    expect(ring()).toEqual({ ring: true });
    now += 1_999;
    expect(ring()).toEqual({ ring: false, reason: 'gap' });
    // Five rings 2 s apart fill the minute (stations file: 5/min, device: 30/min).
    for (let i = 0; i < 4; i++) {
      now += 2_000;
      expect(ring()).toEqual({ ring: true });
    }
    now += 2_000;
    expect(ring()).toEqual({ ring: false, reason: 'rate' });
    now = NOON_UTC + 60_000;
    expect(ring()).toEqual({ ring: true });
  });

  it('rings nothing for a touch older than RING_MAX_DELAY_MS (history, catch-up)', () => {
    expect(new StrikerGate().decide('s', configured, declared, 0, NOON_UTC - 2_001, NOON_UTC)).toEqual({ ring: false, reason: 'late' });
  });

  it('rings nothing in quiet hours, in the station\'s time zone', () => {
    const night = { ...configured, quietHours: { from: '22:00', to: '08:00', tz: 'Europe/Berlin' } };
    const gate = new StrikerGate();
    // 21:30 UTC in June is 23:30 in Berlin (CEST).
    const late = Date.parse('2026-06-01T21:30:00Z');
    expect(gate.decide('s', night, declared, 0, late, late)).toEqual({ ring: false, reason: 'quiet_hours' });
    expect(gate.decide('s', night, declared, 0, NOON_UTC, NOON_UTC)).toEqual({ ring: true });
  });
});

describe('inQuietHours', () => {
  it('wraps midnight when from is later than to; from is inside, to is not', () => {
    const quiet = { from: '22:00', to: '08:00', tz: 'UTC' };
    expect(inQuietHours(quiet, Date.parse('2026-01-01T22:00:00Z'))).toBe(true);
    expect(inQuietHours(quiet, Date.parse('2026-01-01T03:00:00Z'))).toBe(true);
    expect(inQuietHours(quiet, Date.parse('2026-01-01T08:00:00Z'))).toBe(false);
    expect(inQuietHours(quiet, Date.parse('2026-01-01T21:59:00Z'))).toBe(false);
    const lunch = { from: '12:00', to: '13:30', tz: 'America/Chicago' };
    expect(inQuietHours(lunch, Date.parse('2026-01-01T18:15:00Z'))).toBe(true);
    expect(inQuietHours(lunch, Date.parse('2026-01-01T19:30:00Z'))).toBe(false);
  });
});
