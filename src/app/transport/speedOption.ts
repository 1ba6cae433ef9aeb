// `?speed=`: how fast the simulation and replays play. One reading for every source, so the speed
// a viewer gets and the notice they see agree: a number out of range is clamped to the nearest
// speed the source plays (not dropped back to 1x), and the notice says what is played instead.
import { HISTORY_REPLAY_MAX_SPEED, HISTORY_REPLAY_MIN_SPEED, rangeFromParams } from './replayRange';
import type { TransportOptions } from './types';

/** Fastest `?speed=` for the simulation and for a recording file. */
export const MAX_PLAY_SPEED = 100;

/** The slowest and fastest speed a source plays (a speed must also be above 0). */
export interface SpeedLimits {
  min: number;
  max: number;
}

/** A recording file and the simulation: anything above 0, up to MAX_PLAY_SPEED. */
export const PLAY_SPEED_LIMITS: SpeedLimits = { min: 0, max: MAX_PLAY_SPEED };
/** A history range of the relay's archive (its pacing is built for 1..60x). */
export const HISTORY_SPEED_LIMITS: SpeedLimits = { min: HISTORY_REPLAY_MIN_SPEED, max: HISTORY_REPLAY_MAX_SPEED };

export interface SpeedReading {
  speed: number;
  /** What to tell the viewer when the address's speed is not what plays; null when it is. */
  notice: string | null;
}

/** The speed `raw` (a `?speed=` value, null when absent) plays at within `limits`, and why if not as asked. */
export function readSpeed(raw: string | null, limits: SpeedLimits): SpeedReading {
  if (raw === null) return { speed: 1, notice: null };
  const asked = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(asked) || asked <= 0) {
    return { speed: 1, notice: `Speed "${raw.slice(0, 20)}" is not a number above 0: playing at 1× (try &speed=10).` };
  }
  if (asked < limits.min) return { speed: limits.min, notice: `Speed ${asked}× is below this source's slowest: playing at ${limits.min}×.` };
  if (asked > limits.max) return { speed: limits.max, notice: `Speed ${asked}× is above this source's fastest: playing at ${limits.max}×.` };
  return { speed: asked, notice: null };
}

/** The limits of the source the address picks: a history range has its own; the rest share one. */
export function speedLimitsFor(options: TransportOptions): SpeedLimits {
  return options.get('source') === 'replay' && rangeFromParams(options) ? HISTORY_SPEED_LIMITS : PLAY_SPEED_LIMITS;
}
