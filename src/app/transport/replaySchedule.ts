// When each replayed strike is due: recorded times moved onto this page's clock and divided by the
// speed, so the original rhythm plays `speed` times faster. Strikes may be pushed while earlier ones
// play (a streamed history); if the stream falls behind, the replay clock waits for it instead of
// bunching the late strikes together.
import type { StrikeMessage, TouchMessage } from '../../protocol';

/** What a replay plays in time order: the wind's strikes and visitors' touches. */
export type ReplayedMessage = StrikeMessage | TouchMessage;

export interface ReplayClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const systemClock: ReplayClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/** Played strikes are dropped from the queue's front in batches of this many (no per-strike shift). */
const QUEUE_COMPACT_STRIKES = 4_096;

export interface ReplayScheduleEvents {
  /** `localT`: the strike's time on this page's clock (Date.now() ms). */
  strike(strike: ReplayedMessage, localT: number): void;
  /** Every strike pushed before end() has been played. */
  finished(played: number): void;
}

export class ReplaySchedule {
  private readonly queue: ReplayedMessage[] = [];
  private next = 0;
  private played = 0;
  /** Recorded `t` that maps to `anchorLocal` on this page's clock; set by the first strike. */
  private anchorT: number | null = null;
  private anchorLocal = 0;
  private ended = false;
  private stopped = false;
  private timer: unknown;

  constructor(
    private readonly speed: number,
    private readonly events: ReplayScheduleEvents,
    private readonly clock: ReplayClock = systemClock,
  ) {
    if (!(speed > 0)) throw new RangeError(`replay speed must be above 0, got ${speed}`);
  }

  /** Adds strikes (in any order; a recording in time order costs nothing extra). */
  push(strikes: readonly ReplayedMessage[]): void {
    if (this.stopped || strikes.length === 0) return;
    for (const strike of strikes) this.insert(strike);
    const first = this.queue[this.next];
    if (this.anchorT === null && first) {
      this.anchorT = first.t;
      this.anchorLocal = this.clock.now();
    } else if (first && this.timer === undefined) {
      // The queue had run dry while more was on its way: resume the rhythm from now, not from the past.
      const lateBy = this.clock.now() - this.localTime(first.t);
      if (lateBy > 0) this.anchorLocal += lateBy;
    }
    this.emitDue();
  }

  /** No more strikes will be pushed. */
  end(): void {
    this.ended = true;
    if (this.timer === undefined) this.emitDue();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.next = 0;
  }

  /** Strikes pushed but not yet played. */
  get pending(): number {
    return this.queue.length - this.next;
  }

  private localTime(t: number): number {
    return this.anchorLocal + (t - (this.anchorT ?? t)) / this.speed;
  }

  /** Keeps the queue in time order (ties by seq); a strike older than one already played plays now. */
  private insert(strike: ReplayedMessage): void {
    const queue = this.queue;
    let at = queue.length;
    while (at > this.next && before(strike, queue[at - 1]!)) at--;
    if (at === queue.length) queue.push(strike);
    else queue.splice(at, 0, strike);
  }

  private emitDue(): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const now = this.clock.now();
    const queue = this.queue;
    while (this.next < queue.length) {
      const strike = queue[this.next]!;
      const at = this.localTime(strike.t);
      if (at > now) break;
      this.next++;
      this.played++;
      this.events.strike(strike, at);
      if (this.stopped) return;
    }
    if (this.next >= QUEUE_COMPACT_STRIKES) {
      queue.splice(0, this.next);
      this.next = 0;
    }
    const upcoming = queue[this.next];
    if (upcoming) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.emitDue();
      }, Math.max(0, this.localTime(upcoming.t) - now));
    } else if (this.ended) {
      this.stopped = true;
      this.events.finished(this.played);
    }
  }
}

const before = (a: ReplayedMessage, b: ReplayedMessage) => a.t < b.t || (a.t === b.t && a.seq < b.seq);
