// Per-station jitter buffer: strikes that arrive together but were struck apart (a throttled
// device sending a batch with ages) are given play times at their original spacing, in order, with
// no more delay than that spacing needs. Pure: times in, play times out; no timers.

/** Default: a strike older than this on arrival is history (counted, neither drawn nor played).
 * The page passes the circle lifetime instead, so what is drawn is always still alive. */
export const STALE_STRIKE_MS = 2_000;

/** A station whose last strike sounded at least this long ago has nothing waiting: its lag resets. */
export const LANE_IDLE_MS = 50;
/** While strikes keep coming, a station's lag shrinks by this many ms per ms (it plays 30% fast): a
 * late arrival delays the strikes behind it only briefly (0.1 held strikes a p99 frame late at 1000/s). */
export const LAG_CATCH_UP_RATE = 0.3;

/**
 * A strike may play up to this much earlier than its exact spacing to the strikes before it: the
 * hold that would restore its spacing is shortened by this much. Differences this small are
 * mostly the page's own delivery noise (a message waiting behind one frame's work), not the
 * station's rhythm; restoring them exactly would make every later strike of the station that much
 * later too. One frame at 60 Hz: a circle held less than this would show in the same frame anyway.
 */
export const SPACING_TOLERANCE_MS = 16;

export type Placement = { at: number } | { stale: true };

interface StationLane {
  /** How far behind real time this station currently plays, in ms. */
  lagMs: number;
  /** Play time of the last strike placed (local ms). */
  lastAt: number;
  lastArrival: number;
}

export class JitterBuffer {
  private readonly lanes = new Map<string, StationLane>();

  constructor(private readonly staleMs = STALE_STRIKE_MS) {}

  /**
   * Places one strike of `station` that is `ageMs` old on arrival at local time `nowMs`
   * (strikes of a station must be pushed in seq order). Returns when to draw/sound it.
   */
  place(station: string, ageMs: number, nowMs: number, staleMs = this.staleMs): Placement {
    const age = Math.max(0, ageMs);
    if (age > staleMs) return { stale: true };
    let lane = this.lanes.get(station);
    if (!lane) {
      lane = { lagMs: age, lastAt: nowMs, lastArrival: nowMs };
      this.lanes.set(station, lane);
    }
    // Never more delay than needed: drift back to the present while strikes keep coming, and
    // jump there when nothing of this station is waiting.
    lane.lagMs = Math.max(0, lane.lagMs - LAG_CATCH_UP_RATE * (nowMs - lane.lastArrival));
    lane.lastArrival = nowMs;
    if (lane.lastAt + LANE_IDLE_MS <= nowMs) lane.lagMs = Math.min(lane.lagMs, age);
    // Older than the current lag allows: it sounds now, and later strikes keep their spacing to it.
    if (age > lane.lagMs) lane.lagMs = age;
    const at = Math.max(nowMs + Math.max(0, lane.lagMs - age - SPACING_TOLERANCE_MS), lane.lastAt);
    lane.lastAt = at;
    return { at };
  }

  /** Forget all lanes (a new stream, or the tab coming back: there is nothing to keep spacing to). */
  reset(): void {
    this.lanes.clear();
  }
}
