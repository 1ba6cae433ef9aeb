// Per-chime activity counted on the hot path without allocation: strike count, last strike time
// and strikes over the last 10 s (ten one-second buckets). Read as plain snapshots at human rates.

export const ACTIVITY_WINDOW_S = 10;

export interface ChimeActivity {
  strikes: number;
  /** Date.now() ms of the last strike, or null. */
  lastStrikeAt: number | null;
  /** Strikes per second over the last ACTIVITY_WINDOW_S. */
  ratePerS: number;
}

export interface StationActivity {
  strikes: number;
  ratePerS: number;
  chimes: ChimeActivity[];
}

interface ChimeCounter {
  strikes: number;
  lastStrikeAt: number;
  buckets: Uint32Array;
  /** The whole second (Date.now()/1000) bucket `second % ACTIVITY_WINDOW_S` last counted. */
  bucketSeconds: Float64Array;
}

export class ActivityTracker {
  private readonly stations = new Map<string, ChimeCounter[]>();

  record(station: string, chime: number, nowMs: number): void {
    let counters = this.stations.get(station);
    if (!counters) this.stations.set(station, (counters = []));
    let counter = counters[chime];
    if (!counter) {
      for (let i = counters.length; i <= chime; i++) counters[i] = newCounter();
      counter = counters[chime]!;
    }
    counter.strikes++;
    counter.lastStrikeAt = nowMs;
    const second = Math.floor(nowMs / 1000);
    const slot = second % ACTIVITY_WINDOW_S;
    if (counter.bucketSeconds[slot] !== second) {
      counter.bucketSeconds[slot] = second;
      counter.buckets[slot] = 0;
    }
    counter.buckets[slot]!++;
  }

  snapshot(nowMs: number): Record<string, StationActivity> {
    const second = Math.floor(nowMs / 1000);
    const out: Record<string, StationActivity> = {};
    for (const [station, counters] of this.stations) {
      const chimes = counters.map((counter): ChimeActivity => {
        let recent = 0;
        for (let slot = 0; slot < ACTIVITY_WINDOW_S; slot++) {
          // Only whole seconds inside the window; the current second counts as it fills.
          if (second - counter.bucketSeconds[slot]! < ACTIVITY_WINDOW_S) recent += counter.buckets[slot]!;
        }
        return {
          strikes: counter.strikes,
          lastStrikeAt: counter.strikes > 0 ? counter.lastStrikeAt : null,
          ratePerS: recent / ACTIVITY_WINDOW_S,
        };
      });
      out[station] = {
        strikes: chimes.reduce((sum, c) => sum + c.strikes, 0),
        ratePerS: chimes.reduce((sum, c) => sum + c.ratePerS, 0),
        chimes,
      };
    }
    return out;
  }
}

function newCounter(): ChimeCounter {
  return { strikes: 0, lastStrikeAt: 0, buckets: new Uint32Array(ACTIVITY_WINDOW_S), bucketSeconds: new Float64Array(ACTIVITY_WINDOW_S).fill(-Infinity) };
}
