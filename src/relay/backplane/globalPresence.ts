// Viewer counts across relays: each relay writes its own count with a timestamp into one Redis hash
// and sums the fresh entries of the others; a relay that died stops counting after PRESENCE_STALE_MS.
import type { Redis } from 'ioredis';

/** Each relay writes its count and reads the others' this often. */
export const PRESENCE_SYNC_INTERVAL_MS = 1_000;
/** A relay's count older than this is dropped (the relay died without saying goodbye). */
export const PRESENCE_STALE_MS = 5_000;

export class GlobalPresence {
  /** Viewers on the other relays, as last read (kept through a Redis outage). */
  private others = 0;
  private relays = 1;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly relayId: string,
  ) {}

  get otherViewers(): number {
    return this.others;
  }

  /** Relays with a fresh count, this one included. */
  get relayCount(): number {
    return this.relays;
  }

  /** Publishes this relay's count and reads the others'; returns true if their total changed. */
  async sync(localViewers: number, now = Date.now()): Promise<boolean> {
    const [, all] = (await this.redis
      .multi()
      .hset(this.key, this.relayId, `${localViewers}:${now}`)
      .hgetall(this.key)
      .exec()) as [[Error | null, unknown], [Error | null, Record<string, string>]];
    if (all[0]) throw all[0];
    let others = 0;
    let relays = 1;
    const stale: string[] = [];
    for (const [relayId, value] of Object.entries(all[1])) {
      if (relayId === this.relayId) continue;
      const [count, at] = value.split(':').map(Number);
      if (!Number.isFinite(count) || !Number.isFinite(at) || now - at! > PRESENCE_STALE_MS) stale.push(relayId);
      else {
        others += count!;
        relays++;
      }
    }
    if (stale.length > 0) await this.redis.hdel(this.key, ...stale);
    const changed = others !== this.others;
    this.others = others;
    this.relays = relays;
    return changed;
  }

  /** Removes this relay's count (clean shutdown). */
  async leave(): Promise<void> {
    await this.redis.hdel(this.key, this.relayId);
  }
}
