// Strike circles in fixed typed arrays (a ring): spawning at 1000/s allocates nothing, and the
// oldest circle is reused when the pool is full. Pure data; circleRenderer.ts draws it.

/** Most circles alive at once; beyond it the oldest is replaced. */
export const MAX_CIRCLES = 8192;

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
  /** Index of the oldest slot that may still be alive, and of the next slot to fill (mod MAX_CIRCLES). */
  tail = 0;
  head = 0;

  get size(): number {
    return this.head - this.tail;
  }

  spawn(x: number, y: number, radius: number, color: number, startAt: number, arrivedAt: number): void {
    if (this.head - this.tail >= MAX_CIRCLES) this.tail++;
    const i = this.head++ % MAX_CIRCLES;
    this.x[i] = x;
    this.y[i] = y;
    this.radius[i] = radius;
    this.color[i] = color;
    this.startAt[i] = startAt;
    this.arrivedAt[i] = arrivedAt;
    this.drawn[i] = 0;
  }

  /** Drops circles from the old end that have finished by `now`. */
  expire(now: number, lifetimeMs: number): void {
    while (this.tail < this.head && this.startAt[this.tail % MAX_CIRCLES]! + lifetimeMs <= now) this.tail++;
  }

  clear(): void {
    this.tail = this.head;
  }
}
