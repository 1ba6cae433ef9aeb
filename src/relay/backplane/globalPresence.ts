// Presence across relays. Viewers: each relay writes its own count with a timestamp into one Redis
// hash and sums the fresh entries of the others; a relay that died stops counting after
// PRESENCE_STALE_MS. Visitors (`presence.visitors`, addresses with a touch accepted in the last
// VISITOR_PRESENCE_WINDOW_MS): counts of addresses cannot be summed, since one address may play
// through several relays, so each relay adds the addresses it saw to one Redis sorted set, scored by
// the touch's time, and every relay counts the set's members still inside the window.
import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import { VISITOR_PRESENCE_WINDOW_MS } from '../../protocol';

/** Each relay writes its counts and reads the others' this often. */
export const PRESENCE_SYNC_INTERVAL_MS = 1_000;
/**
 * A relay's viewer count older than this is dropped (the relay died without saying goodbye); and a
 * relay that has not read the shared visitor count for this long shows its own visitors only.
 */
export const PRESENCE_STALE_MS = 5_000;

export interface PresenceKeys {
  /** Hash: relay id -> "viewers:timestamp". */
  viewers: string;
  /** Sorted set: visitor id -> time of its last accepted touch (ms). */
  visitors: string;
  /** String: the key visitor ids are hashed with, the same for every relay of the installation. */
  visitorKey: string;
}

export class GlobalPresence {
  /** Viewers on the other relays, as last read (kept through a Redis outage). */
  private others = 0;
  private relays = 1;
  /** Distinct visitors on every relay, as last read, and when (0: never). */
  private sharedVisitors = 0;
  private sharedVisitorsAt = 0;
  /**
   * Visitor id -> last touch, touched here since the last sync. Bounded without a limit of its own:
   * entries older than the window are dropped at every sync, successful or not, and a relay accepts
   * at most TOUCH_GLOBAL_PER_S touches a second (plus its burst), so it holds at most about a
   * window's worth of them through a Redis outage.
   */
  private touchedSinceSync = new Map<string, number>();

  /**
   * @param visitorKey keys the hash that stands for an address in Redis (the addresses themselves are
   *   never written there); every relay of one installation must use the same.
   */
  constructor(
    private readonly redis: Redis,
    private readonly keys: PresenceKeys,
    private readonly relayId: string,
    private readonly visitorKey: string,
    private readonly windowMs = VISITOR_PRESENCE_WINDOW_MS,
  ) {}

  get otherViewers(): number {
    return this.others;
  }

  /** Relays with a fresh count, this one included. */
  get relayCount(): number {
    return this.relays;
  }

  /** A touch from `address` was accepted here at `at`: counted on every relay from the next sync. */
  visitorTouched(address: string, at: number): void {
    const id = createHmac('sha256', this.visitorKey).update(address).digest('base64url').slice(0, 22);
    this.touchedSinceSync.set(id, at);
  }

  /**
   * Visitors on every relay, given this relay's own count: the shared count while it is fresh, this
   * relay's own when Redis has been away longer than PRESENCE_STALE_MS (never fewer than its own:
   * a touch accepted since the last sync is not in the shared count yet).
   */
  visitorCount(localVisitors: number, now = Date.now()): number {
    if (now - this.sharedVisitorsAt > PRESENCE_STALE_MS) return localVisitors;
    return Math.max(localVisitors, this.sharedVisitors);
  }

  /** Publishes this relay's viewers and visitors and reads everyone's; returns true if what it shows changed. */
  async sync(localViewers: number, now = Date.now()): Promise<boolean> {
    const cutoff = now - this.windowMs;
    const touched = this.touchedSinceSync;
    this.touchedSinceSync = new Map();
    const scored: (string | number)[] = [];
    for (const [id, at] of touched) if (at > cutoff) scored.push(at, id);
    const transaction = this.redis
      .multi()
      // Put back if Redis came back empty, so a relay joining later hashes addresses as this one does.
      .set(this.keys.visitorKey, this.visitorKey, 'NX')
      .hset(this.keys.viewers, this.relayId, `${localViewers}:${now}`)
      .hgetall(this.keys.viewers);
    // GT: a relay that syncs late never moves a visitor's last touch back in time.
    if (scored.length > 0) transaction.zadd(this.keys.visitors, 'GT', ...scored);
    transaction
      .zremrangebyscore(this.keys.visitors, '-inf', cutoff)
      .zcard(this.keys.visitors)
      // An installation whose relays all stopped leaves no set behind.
      .pexpire(this.keys.visitors, this.windowMs + PRESENCE_STALE_MS);
    let replies: [Error | null, unknown][];
    try {
      replies = (await transaction.exec()) ?? [];
      const failed = replies.find(([error]) => error);
      if (failed) throw failed[0];
    } catch (error) {
      // Not written: try again at the next sync, newer touches winning, older than the window dropped.
      for (const [id, at] of touched) if (at > cutoff && !this.touchedSinceSync.has(id)) this.touchedSinceSync.set(id, at);
      throw error;
    }
    // Replies in the order queued: SET, HSET, HGETALL, [ZADD], ZREMRANGEBYSCORE, ZCARD, PEXPIRE.
    const all = replies[2]![1] as Record<string, string>;
    const visitors = Number(replies.at(-2)![1]);
    let others = 0;
    let relays = 1;
    const stale: string[] = [];
    for (const [relayId, value] of Object.entries(all)) {
      if (relayId === this.relayId) continue;
      const [count, at] = value.split(':').map(Number);
      if (!Number.isFinite(count) || !Number.isFinite(at) || now - at! > PRESENCE_STALE_MS) stale.push(relayId);
      else {
        others += count!;
        relays++;
      }
    }
    if (stale.length > 0) await this.redis.hdel(this.keys.viewers, ...stale);
    const changed = others !== this.others || visitors !== this.sharedVisitors || now - this.sharedVisitorsAt > PRESENCE_STALE_MS;
    this.others = others;
    this.relays = relays;
    this.sharedVisitors = visitors;
    this.sharedVisitorsAt = now;
    return changed;
  }

  /** Removes this relay's viewer count (clean shutdown); its visitors leave the window on their own. */
  async leave(): Promise<void> {
    await this.redis.hdel(this.keys.viewers, this.relayId);
  }
}
