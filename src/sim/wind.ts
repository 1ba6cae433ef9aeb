// Wind speed at one site: a slow log-normal "weather" level (Ornstein-Uhlenbeck in log space) that
// brings hours of breeze and minutes of calm, fast turbulence on top, and Poisson gusts that rise
// and decay. All times here are model time.
import type { Random } from './random';

/** Mean wind of a site with windiness 1 at windScale 1. */
export const BASE_MEAN_WIND_MS = 4;
/** Correlation time of the weather level; calm spells and windy spells last about this long. */
export const WEATHER_TAU_MS = 8 * 60_000;
/** Spread of the weather level in log space; large enough that calm spells happen. */
export const WEATHER_LOG_SD = 0.65;
/** Correlation time and relative size (at gustiness 1) of the turbulence. */
export const TURBULENCE_TAU_MS = 6_000;
export const TURBULENCE_SD_AT_FULL_GUSTINESS = 0.3;
/** Gusts per minute at gustiness 1 in ordinary wind (fewer when the weather is calm). */
export const GUSTS_PER_MIN_AT_FULL_GUSTINESS = 4;
/** A gust rises over about GUST_RISE_MS and dies away over about GUST_DECAY_MS. */
export const GUST_RISE_MS = 800;
export const GUST_DECAY_MS = 5_000;
/** Nothing above this, whatever the controls. */
export const MAX_WIND_MS = 45;

export interface WindSettings {
  /** Mean wind of the site right now: BASE_MEAN_WIND_MS * windiness * windScale. */
  meanWindMs: number;
  /** 0..1 */
  gustiness: number;
}

/** Exact one-step update of an OU process with unit variance: x' = a x + b N(0, 1). */
function ouCoefficients(dtMs: number, tauMs: number): { keep: number; noise: number } {
  const keep = Math.exp(-dtMs / tauMs);
  return { keep, noise: Math.sqrt(1 - keep * keep) };
}

// The difference of two exponentials gives a gust its rise-then-decay shape; this scales its peak to 1.
const GUST_PEAK_TIME_MS =
  (Math.log(GUST_DECAY_MS / GUST_RISE_MS) * GUST_DECAY_MS * GUST_RISE_MS) / (GUST_DECAY_MS - GUST_RISE_MS);
const GUST_PEAK_NORM = 1 / (Math.exp(-GUST_PEAK_TIME_MS / GUST_DECAY_MS) - Math.exp(-GUST_PEAK_TIME_MS / GUST_RISE_MS));

export class StationWind {
  private weather: number; // standard normal, slow
  private turbulence: number; // standard normal, fast
  private gustSlow = 0; // m/s, decays with GUST_DECAY_MS
  private gustFast = 0; // m/s, decays with GUST_RISE_MS
  private speed = 0;
  private readonly weatherStep;
  private readonly turbulenceStep;
  private readonly gustSlowKeep;
  private readonly gustFastKeep;

  constructor(
    private readonly random: Random,
    private readonly stepMs: number,
    settings: WindSettings,
  ) {
    // Start from the stationary distribution, so a fresh field is not always at the mean.
    this.weather = random.normal();
    this.turbulence = random.normal();
    this.weatherStep = ouCoefficients(stepMs, WEATHER_TAU_MS);
    this.turbulenceStep = ouCoefficients(stepMs, TURBULENCE_TAU_MS);
    this.gustSlowKeep = Math.exp(-stepMs / GUST_DECAY_MS);
    this.gustFastKeep = Math.exp(-stepMs / GUST_RISE_MS);
    this.speed = this.compose(settings);
  }

  /** Wind speed in m/s after the last step. */
  get speedMs(): number {
    return this.speed;
  }

  /** Speed of the current gusts alone, m/s (drives the shared swing of a station's chimes). */
  get gustMs(): number {
    return Math.max(0, (this.gustSlow - this.gustFast) * GUST_PEAK_NORM);
  }

  /** Advance one fixed step of model time; returns the new speed in m/s. */
  step(settings: WindSettings): number {
    const { random } = this;
    this.weather = this.weatherStep.keep * this.weather + this.weatherStep.noise * random.normal();
    this.turbulence = this.turbulenceStep.keep * this.turbulence + this.turbulenceStep.noise * random.normal();
    this.gustSlow *= this.gustSlowKeep;
    this.gustFast *= this.gustFastKeep;

    const level = this.weatherLevel(settings);
    // Gusts come with the weather: a calm day has few, and they are small.
    const calmFactor = settings.meanWindMs > 0 ? Math.min(1.5, level / settings.meanWindMs) : 0;
    const gustsPerMs = (GUSTS_PER_MIN_AT_FULL_GUSTINESS * settings.gustiness * calmFactor) / 60_000;
    // At most one gust per step: the step is far shorter than the gaps between gusts.
    if (random.next() < gustsPerMs * this.stepMs) {
      const amplitude = level * (0.3 + 0.9 * random.next()) * (0.3 + settings.gustiness);
      this.gustSlow += amplitude;
      this.gustFast += amplitude;
    }
    this.speed = this.compose(settings);
    return this.speed;
  }

  private weatherLevel(settings: WindSettings): number {
    const logMeanCorrection = (WEATHER_LOG_SD * WEATHER_LOG_SD) / 2;
    return settings.meanWindMs * Math.exp(WEATHER_LOG_SD * this.weather - logMeanCorrection);
  }

  private compose(settings: WindSettings): number {
    const turbulenceSd = TURBULENCE_SD_AT_FULL_GUSTINESS * (0.3 + 0.7 * settings.gustiness);
    const turbulent = this.weatherLevel(settings) * Math.max(0, 1 + turbulenceSd * this.turbulence);
    return Math.min(MAX_WIND_MS, turbulent + this.gustMs);
  }
}
