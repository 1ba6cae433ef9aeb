import { describe, expect, it } from 'vitest';
import { HISTORY_REPLAY_MAX_SPEED, HISTORY_REPLAY_MIN_SPEED } from './replayRange';
import { HISTORY_SPEED_LIMITS, MAX_PLAY_SPEED, PLAY_SPEED_LIMITS, readSpeed, speedLimitsFor } from './speedOption';

describe('?speed=', () => {
  it('plays a history range at 1..60x, clamping beyond, and nonsense at 1x', () => {
    const speed = (raw: string | null) => readSpeed(raw, HISTORY_SPEED_LIMITS).speed;
    expect(speed('10')).toBe(10);
    expect(speed('2.5')).toBe(2.5);
    expect(speed('600')).toBe(HISTORY_REPLAY_MAX_SPEED);
    expect(speed('0.1')).toBe(HISTORY_REPLAY_MIN_SPEED);
    expect(speed('-3')).toBe(1);
    expect(speed('fast')).toBe(1);
    expect(speed(null)).toBe(1);
  });

  it('plays the simulation and a recording above 0 up to 100x: a faster ask is clamped, not dropped to 1x', () => {
    expect(readSpeed('0.5', PLAY_SPEED_LIMITS)).toEqual({ speed: 0.5, notice: null });
    expect(readSpeed('100', PLAY_SPEED_LIMITS)).toEqual({ speed: MAX_PLAY_SPEED, notice: null });
    expect(readSpeed('250', PLAY_SPEED_LIMITS)).toEqual({ speed: MAX_PLAY_SPEED, notice: "Speed 250× is above this source's fastest: playing at 100×." });
  });

  it('says what plays instead whenever the address asks for something else, and nothing when it plays as asked', () => {
    expect(readSpeed('0.1', HISTORY_SPEED_LIMITS).notice).toBe("Speed 0.1× is below this source's slowest: playing at 1×.");
    expect(readSpeed('600', HISTORY_SPEED_LIMITS).notice).toBe("Speed 600× is above this source's fastest: playing at 60×.");
    expect(readSpeed('abc', PLAY_SPEED_LIMITS).notice).toBe('Speed "abc" is not a number above 0: playing at 1× (try &speed=10).');
    expect(readSpeed('60', HISTORY_SPEED_LIMITS).notice).toBeNull();
    expect(readSpeed(null, HISTORY_SPEED_LIMITS).notice).toBeNull();
  });

  it('takes the history limits only for a replay of a time range', () => {
    expect(speedLimitsFor(new URLSearchParams('source=replay&from=2025-11-25T14:00:00Z&to=2025-11-25T15:00:00Z'))).toBe(HISTORY_SPEED_LIMITS);
    expect(speedLimitsFor(new URLSearchParams('source=replay&url=/r.ndjson'))).toBe(PLAY_SPEED_LIMITS);
    expect(speedLimitsFor(new URLSearchParams('source=sim'))).toBe(PLAY_SPEED_LIMITS);
  });
});
