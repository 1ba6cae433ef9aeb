// Strike circles in fixed typed arrays (a ring): spawning at 1000/s allocates nothing, and the
// oldest circle is reused when the pool is full. Pure data; circleRenderer.ts draws it.

/** Most circles alive at once; beyond it the oldest is replaced. */
export const MAX_CIRCLES = 8192;
/** A chime struck again within this long of its last circle swells that circle instead of starting
 * another: dense passages stay visible (and cheap) rather than piling up identical rings. */
export const CIRCLE_MERGE_MS = 150;

export class CirclePool {
  readonly x = new Float32Array(MAX_CIRCLES);
  readonly y = new Float32Array(MAX_CIRCLES);
  readonly radius = new Float32Array(MAX_CIRCLES);
  /** performance.now() ms the circle appears (jitter-buffered, may be ahead). */
  readonly startAt = new Float64Array(MAX_CIRCLES);
  readonly arrivedAt = new Float64Array(MAX_CIRCLES);
  readonly color = new Uint8Array(MAX_CIRCLES);
  /** 1 once drawn at least once. */
  readonly drawn = new Uint8Array(MAX_CIRCLES);
  /** 1 for a visitor's touch (drawn in the touch look), 0 for the wind. */
  readonly touch = new Uint8Array(MAX_CIRCLES);
  /** Index of the oldest slot that may still be alive, and of the next slot to fill (mod MAX_CIRCLES). */
  tail = 0;
  head = 0;
  /** The last circle (absolute index) spawned for each chime, to merge dense strikes into it. */
  private lastOfChime = new WeakMap<object, number>();

  get size(): number {
    return this.head - this.tail;
  }

  spawn(x: number, y: number, radius: number, color: number, startAt: number, arrivedAt: number, touch = false): void {
    if (this.head - this.tail >= MAX_CIRCLES) this.tail++;
    const i = this.head++ % MAX_CIRCLES;
    this.x[i] = x;
    this.y[i] = y;
    this.radius[i] = radius;
    this.color[i] = color;
    this.startAt[i] = startAt;
    this.arrivedAt[i] = arrivedAt;
    this.drawn[i] = 0;
    this.touch[i] = touch ? 1 : 0;
  }

  /**
   * Spawns a circle for `chime` (any object naming it), or, when that chime's last circle started
   * less than `mergeMs` before `startAt`, grows that circle to the larger radius. True if merged.
   */
  spawnOrMerge(chime: object, x: number, y: number, radius: number, color: number, startAt: number, arrivedAt: number, mergeMs = CIRCLE_MERGE_MS): boolean {
    const last = this.lastOfChime.get(chime);
    if (last !== undefined && last >= this.tail && last < this.head) {
      const i = last % MAX_CIRCLES;
      const gap = startAt - this.startAt[i]!;
      if (gap >= 0 && gap < mergeMs) {
        if (radius > this.radius[i]!) this.radius[i] = radius;
        return true;
      }
    }
    this.lastOfChime.set(chime, this.head);
    this.spawn(x, y, radius, color, startAt, arrivedAt);
    return false;
  }

  /** Drops circles from the old end that have finished by `now`. */
  expire(now: number, lifetimeMs: number): void {
    while (this.tail < this.head && this.startAt[this.tail % MAX_CIRCLES]! + lifetimeMs <= now) this.tail++;
  }

  clear(): void {
    this.tail = this.head;
    this.lastOfChime = new WeakMap();
  }
}
