// The chimes of one station: when each one strikes, given the wind. Strikes are a Poisson process
// whose rate grows steeply with wind, thinned by each chime's physical minimum interval; a shared
// swing of the whole frame makes a station's chimes ring together, and a struck chime sometimes
// knocks a neighbour. All times here are wall time (the chimes ring at real speed).
import type { Random } from './random';

/** A chime cannot ring again sooner than this after its last strike. */
export const MIN_STRIKE_INTERVAL_MS = 80;
/** Strikes per second of one chime in a storm (the rate curve saturates here). */
export const MAX_CHIME_STRIKES_PER_S = 4.5;
/** Wind at which a chime strikes at half its storm rate; below a third of it chimes are nearly silent. */
export const HALF_RATE_WIND_MS = 11;
/** Hard ceiling per station, under the relay's 50 strikes/s per station. */
export const MAX_STATION_STRIKES_PER_S = 40;
/** Chance that a strike knocks a neighbouring chime, reached in strong wind. */
export const MAX_KNOCK_PROBABILITY = 0.25;
/** A knocked chime rings this long after the strike that knocked it. */
export const KNOCK_DELAY_MIN_MS = 10;
export const KNOCK_DELAY_MAX_MS = 50;
/** The frame's swing, shared by all chimes of a station: its correlation time and its log spread
 * as a factor on the wind the chimes feel. */
export const SWING_TAU_MS = 1_500;
export const SWING_LOG_SD = 0.2;

export interface ChimeStrike {
  chime: number;
  v: number;
  /** Wall time, ms. */
  t: number;
}

/** Strikes per second of one chime at wind `windMs`: near zero in calm, saturating in a storm. */
export function chimeStrikesPerSecond(windMs: number): number {
  const w4 = windMs ** 4;
  return (MAX_CHIME_STRIKES_PER_S * w4) / (w4 + HALF_RATE_WIND_MS ** 4);
}

/** Typical loudness of a strike at wind `windMs`, before randomness. */
export function meanVelocity(windMs: number): number {
  return 0.12 + 0.83 * (1 - Math.exp(-windMs / 12));
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

export class ChimeSet {
  private readonly lastStrikeMs: number[];
  /** Knocks already scheduled past the end of the last step. */
  private pendingKnocks: ChimeStrike[] = [];
  /** Times of the last MAX_STATION_STRIKES_PER_S accepted strikes, as a ring. */
  private readonly recentMs: number[];
  private recentIndex = 0;
  private swing: number;

  constructor(
    private readonly random: Random,
    readonly count: number,
  ) {
    this.lastStrikeMs = new Array<number>(count).fill(-Infinity);
    this.recentMs = new Array<number>(MAX_STATION_STRIKES_PER_S).fill(-Infinity);
    this.swing = random.normal();
  }

  /** Strikes with t in (fromMs, toMs], in t order, for a wind of `windMs` over that interval. */
  step(fromMs: number, toMs: number, windMs: number): ChimeStrike[] {
    const { random } = this;
    const keep = Math.exp(-(toMs - fromMs) / SWING_TAU_MS);
    this.swing = keep * this.swing + Math.sqrt(1 - keep * keep) * random.normal();
    // The swing scales the wind the chimes feel, not the rate, so the storm rate stays a ceiling.
    const swingFactor = Math.exp(SWING_LOG_SD * this.swing - (SWING_LOG_SD * SWING_LOG_SD) / 2);
    const ratePerMs = chimeStrikesPerSecond(windMs * swingFactor) / 1000;

    const candidates: ChimeStrike[] = [];
    const stillPending: ChimeStrike[] = [];
    for (const knock of this.pendingKnocks) (knock.t <= toMs ? candidates : stillPending).push(knock);
    this.pendingKnocks = stillPending;
    for (let chime = 0; chime < this.count; chime++) {
      // Memoryless, so restarting the draw at each step (or after the dead time) is exact.
      let t = Math.max(fromMs, (this.lastStrikeMs[chime] ?? -Infinity) + MIN_STRIKE_INTERVAL_MS);
      for (;;) {
        t += random.exponential(ratePerMs);
        if (t > toMs) break;
        candidates.push({ chime, t, v: this.velocity(windMs) });
        t += MIN_STRIKE_INTERVAL_MS;
      }
    }
    candidates.sort(byTimeThenChime);

    const accepted: ChimeStrike[] = [];
    while (candidates.length > 0) {
      const strike = candidates.shift() as ChimeStrike;
      if (!this.accept(strike)) continue;
      accepted.push(strike);
      const knock = this.maybeKnock(strike, windMs);
      if (knock === null) continue;
      if (knock.t > toMs) this.pendingKnocks.push(knock);
      else insertSorted(candidates, knock);
    }
    return accepted;
  }

  private accept(strike: ChimeStrike): boolean {
    if (strike.t < (this.lastStrikeMs[strike.chime] ?? -Infinity) + MIN_STRIKE_INTERVAL_MS) return false;
    // The ring holds the last N strike times; the oldest one within a second means the station is full.
    if ((this.recentMs[this.recentIndex] ?? -Infinity) > strike.t - 1000) return false;
    this.recentMs[this.recentIndex] = strike.t;
    this.recentIndex = (this.recentIndex + 1) % this.recentMs.length;
    this.lastStrikeMs[strike.chime] = strike.t;
    return true;
  }

  private maybeKnock(strike: ChimeStrike, windMs: number): ChimeStrike | null {
    if (this.count < 2) return null;
    const probability = (MAX_KNOCK_PROBABILITY * windMs) / (windMs + HALF_RATE_WIND_MS);
    if (this.random.next() >= probability) return null;
    // Chimes hang in a ring, so each has two neighbours.
    const side = this.random.next() < 0.5 ? -1 : 1;
    const chime = (strike.chime + side + this.count) % this.count;
    const delay = KNOCK_DELAY_MIN_MS + (KNOCK_DELAY_MAX_MS - KNOCK_DELAY_MIN_MS) * this.random.next();
    return { chime, t: strike.t + delay, v: clamp01(strike.v * (0.3 + 0.4 * this.random.next())) };
  }

  private velocity(windMs: number): number {
    return clamp01(meanVelocity(windMs) + 0.12 * this.random.normal());
  }
}

function byTimeThenChime(a: ChimeStrike, b: ChimeStrike): number {
  return a.t - b.t || a.chime - b.chime;
}

function insertSorted(strikes: ChimeStrike[], strike: ChimeStrike): void {
  let index = strikes.length;
  while (index > 0 && byTimeThenChime(strikes[index - 1] as ChimeStrike, strike) > 0) index--;
  strikes.splice(index, 0, strike);
}
