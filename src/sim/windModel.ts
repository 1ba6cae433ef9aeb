// The wind field: every simulated station's wind and chimes, stepped on a fixed grid of model time
// so the strikes depend only on the seed, the controls and the clock, never on how often advance()
// is called. Pure: no I/O, no timers, no Math.random.
import { ChimeSet } from './chimes';
import { createRandom, deriveSeed } from './random';
import type { SimStationSpec } from './stations';
import { BASE_MEAN_WIND_MS, StationWind, type WindSettings } from './wind';

/** The model advances in steps of this much model time. */
export const MODEL_STEP_MS = 50;

export interface SimStrike {
  station: string;
  chime: number;
  v: number;
  /** Wall time, ms since the epoch. */
  t: number;
}

export interface WindControls {
  /** Multiplies every site's mean wind; default 1, 0..3. */
  windScale: number;
  /** 0..1, default 0.5: how often and how hard gusts come, and how turbulent the wind is. */
  gustiness: number;
  /** Station id -> on; a missing id is on. */
  enabled: Record<string, boolean>;
}

export interface WindField {
  /** Generate every strike with t in (previous advance time, nowMs], in t order. First call starts the clock at startMs.
   * A late call catches up on everything missed (after an hour asleep, an hour of strikes). */
  advance(nowMs: number): SimStrike[];
  /** Current wind speed at a station in m/s (for UI display); 0 for an unknown station. */
  windAt(stationId: string): number;
  setControls(controls: Partial<WindControls>): void;
  readonly controls: WindControls;
}

export interface WindFieldOptions {
  seed: number;
  stations: readonly SimStationSpec[];
  startMs: number;
  /** 10 = the weather runs 10x faster: model time advances timeScale * wall ms. Default 1. */
  timeScale?: number;
}

interface SimStation {
  spec: SimStationSpec;
  wind: StationWind;
  chimes: ChimeSet;
}

const DEFAULT_CONTROLS: WindControls = { windScale: 1, gustiness: 0.5, enabled: {} };
const MAX_WIND_SCALE = 3;

const clamp = (x: number, low: number, high: number): number => Math.min(high, Math.max(low, x));

export function createWindField(options: WindFieldOptions): WindField {
  const { seed, startMs } = options;
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError(`timeScale must be > 0, got ${timeScale}`);
  const wallStepMs = MODEL_STEP_MS / timeScale;

  let controls: WindControls = { ...DEFAULT_CONTROLS, enabled: {} };
  const settingsFor = (spec: SimStationSpec): WindSettings => ({
    meanWindMs: BASE_MEAN_WIND_MS * spec.windiness * controls.windScale,
    gustiness: controls.gustiness,
  });

  // Each station draws from its own stream, so adding or reordering stations leaves the others alone.
  const stations: SimStation[] = options.stations.map((spec) => {
    const wind = createRandom(deriveSeed(seed, `wind:${spec.id}`));
    const chimes = createRandom(deriveSeed(seed, `chimes:${spec.id}`));
    return {
      spec,
      wind: new StationWind(wind, MODEL_STEP_MS, settingsFor(spec)),
      chimes: new ChimeSet(chimes, spec.chimes),
    };
  });
  const byId = new Map(stations.map((station) => [station.spec.id, station]));

  let stepsDone = 0;
  let lastNowMs = startMs;
  // Strikes of steps already taken whose t is still ahead of the caller's clock, in t order.
  let pending: SimStrike[] = [];

  const takeStep = (): void => {
    // Wall times relative to startMs keep sub-millisecond precision on epoch clocks.
    const fromMs = stepsDone * wallStepMs;
    const toMs = (stepsDone + 1) * wallStepMs;
    stepsDone++;
    const batch: SimStrike[] = [];
    for (const station of stations) {
      const windMs = station.wind.step(settingsFor(station.spec));
      // A disabled station still blows and rings, unheard, so turning it back on changes nothing else.
      const strikes = station.chimes.step(fromMs, toMs, windMs);
      if (controls.enabled[station.spec.id] === false) continue;
      for (const strike of strikes) {
        batch.push({ station: station.spec.id, chime: strike.chime, v: strike.v, t: startMs + strike.t });
      }
    }
    if (batch.length > 1) batch.sort((a, b) => a.t - b.t);
    for (const strike of batch) pending.push(strike);
  };

  return {
    advance(nowMs) {
      if (!(nowMs > lastNowMs)) return [];
      lastNowMs = nowMs;
      while (startMs + stepsDone * wallStepMs < nowMs) takeStep();
      let due = 0;
      while (due < pending.length && (pending[due] as SimStrike).t <= nowMs) due++;
      const out = pending.slice(0, due);
      pending = pending.slice(due);
      return out;
    },
    windAt(stationId) {
      return byId.get(stationId)?.wind.speedMs ?? 0;
    },
    setControls(patch) {
      controls = Object.freeze({
        windScale: clamp(patch.windScale ?? controls.windScale, 0, MAX_WIND_SCALE),
        gustiness: clamp(patch.gustiness ?? controls.gustiness, 0, 1),
        enabled: Object.freeze({ ...(patch.enabled ?? controls.enabled) }),
      });
    },
    get controls() {
      return controls;
    },
  };
}
