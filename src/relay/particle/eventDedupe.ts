// Remembers recently seen cloud events so one published event is delivered once, whether the
// stream repeats it or it arrives both by stream and by webhook. Pure; time is passed in.

export class EventDedupe {
  /** key -> when first seen. Insertion order is time order, so expiry walks from the front. */
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** True the first time a (device, publish time, payload) is seen inside the window. */
  firstSighting(coreid: string, publishedAt: number, payload: string, now: number): boolean {
    this.expire(now);
    const key = `${coreid}\u0000${publishedAt}\u0000${payload}`;
    if (this.seen.has(key)) return false;
    this.seen.set(key, now);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private expire(now: number): void {
    for (const [key, at] of this.seen) {
      if (at > now - this.windowMs) break;
      this.seen.delete(key);
    }
  }
}
