// `presence.visitors`: how many addresses had a touch accepted in the last VISITOR_PRESENCE_WINDOW_MS.
// Pure, driven by an explicit clock; the gateway asks for the count now and then and tells the hub
// when it changed.
import { VISITOR_PRESENCE_WINDOW_MS } from '../../protocol';

export class VisitorPresence {
  /** Address -> when its last touch was accepted; insertion order is oldest first. */
  private readonly lastTouchAt = new Map<string, number>();

  constructor(private readonly windowMs = VISITOR_PRESENCE_WINDOW_MS) {}

  touched(address: string, now: number): void {
    this.lastTouchAt.delete(address); // re-inserted last: the map stays ordered by time
    this.lastTouchAt.set(address, now);
  }

  count(now: number): number {
    for (const [address, at] of this.lastTouchAt) {
      if (now - at < this.windowMs) break;
      this.lastTouchAt.delete(address);
    }
    return this.lastTouchAt.size;
  }
}
