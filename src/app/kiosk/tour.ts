// The kiosk's tour: it glides from view to view (the world, the ensemble, the busiest station close
// up) on the artist's schedule: `?tour=world,ensemble,busiest&tourS=30`, or the preset's `tour`.
// The renderer crossfades each change, so the screen is never blank; a stop with nothing to show
// (no station active) is skipped.
import type { StationActivity } from '../store/activity';
import type { LiveStore } from '../store/liveStore';
import { clampToLimit } from '../store/knobLimit';
import { MAX_TOUR_STOPS, TOUR_STOPS, VISUAL_LIMITS, type TourSettings, type TourStop } from '../store/visualSettings';
import type { Station } from '../../protocol';

/** `?tour` without stops tours all three. */
export const DEFAULT_TOUR_STOPS: readonly TourStop[] = TOUR_STOPS;

/**
 * The tour the address asks for: null when it names none (the preset's then applies). Unknown stops
 * are dropped; `?tour=off` (or only unknown stops) is an explicit "no tour".
 */
export function tourFromAddress(params: URLSearchParams, fallbackDwellS: number): TourSettings | null {
  if (!params.has('tour') && !params.has('tourS')) return null;
  const asked = params.get('tour');
  const stops = asked ? asked.split(',').flatMap((word) => TOUR_STOPS.filter((stop) => stop === word.trim())).slice(0, MAX_TOUR_STOPS) : [...DEFAULT_TOUR_STOPS];
  const dwellS = clampToLimit(Number(params.get('tourS') ?? fallbackDwellS), VISUAL_LIMITS.tourDwellS, fallbackDwellS);
  return { stops, dwellS };
}

/** The online station with the most strikes per second lately, or null when all are still. */
export function busiestStation(stations: readonly Station[], activity: Record<string, StationActivity>): string | null {
  let busiest: string | null = null;
  let rate = 0;
  for (const station of stations) {
    const stationRate = activity[station.id]?.ratePerS ?? 0;
    if (station.online && stationRate > rate) [busiest, rate] = [station.id, stationRate];
  }
  return busiest;
}

export interface TourDeps {
  store: LiveStore;
  /** The tour to run; read at every step, so a preset arriving later takes over at the next. */
  settings(): TourSettings;
  timers?: { setTimeout(run: () => void, ms: number): unknown; clearTimeout(timer: unknown): void };
}

export interface Tour {
  /** The stop shown now (null before the first, or with no tour). */
  readonly stop: TourStop | null;
  dispose(): void;
}

/** A tour that checks every second whether it has stops, then moves on after each stop's dwell. */
export const TOUR_IDLE_CHECK_MS = 1_000;

export function startTour({ store, settings, timers = globalThis }: TourDeps): Tour {
  let next = 0;
  let stop: TourStop | null = null;
  let timer: unknown = null;

  const show = (candidate: TourStop): boolean => {
    const state = store.getState();
    if (candidate === 'busiest') {
      const station = busiestStation(state.stations, state.activity);
      if (!station) return false;
      if (state.focusStation !== station) state.setFocusStation(station);
    } else if (state.focusStation !== null || state.view !== candidate) state.setView(candidate);
    stop = candidate;
    return true;
  };

  const step = () => {
    const { stops, dwellS } = settings();
    if (stops.length === 0) {
      stop = null;
      timer = timers.setTimeout(step, TOUR_IDLE_CHECK_MS);
      return;
    }
    // The next stop that has something to show; if none has, stay where we are.
    for (let tried = 0; tried < stops.length; tried++) {
      const candidate = stops[next++ % stops.length]!;
      if (show(candidate)) break;
    }
    timer = timers.setTimeout(step, dwellS * 1_000);
  };
  step();

  return {
    get stop() {
      return stop;
    },
    dispose() {
      timers.clearTimeout(timer);
    },
  };
}
