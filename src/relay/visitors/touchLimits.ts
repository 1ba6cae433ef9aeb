// The limits on visitors' touches: token buckets per connection, per address, per station (a share
// of the station's strike rate, kept apart from the wind's own bucket) and for the whole relay. Pure,
// driven by an explicit clock. A touch must find a token in every bucket, or it takes none.
import {
  STATION_STRIKE_BURST,
  STATION_STRIKES_PER_S,
  TOUCH_GLOBAL_BURST,
  TOUCH_GLOBAL_PER_S,
  TOUCH_PER_ADDRESS_BURST,
  TOUCH_PER_ADDRESS_PER_S,
  TOUCH_PER_CLIENT_BURST,
  TOUCH_PER_CLIENT_PER_S,
  TOUCH_PER_STATION_SHARE,
  type StationConfig,
} from '../../protocol';

export interface TouchLimitValues {
  perClientPerS: number;
  perClientBurst: number;
  perAddressPerS: number;
  perAddressBurst: number;
  stationShare: number;
  globalPerS: number;
  globalBurst: number;
}

export const DEFAULT_TOUCH_LIMITS: TouchLimitValues = {
  perClientPerS: TOUCH_PER_CLIENT_PER_S,
  perClientBurst: TOUCH_PER_CLIENT_BURST,
  perAddressPerS: TOUCH_PER_ADDRESS_PER_S,
  perAddressBurst: TOUCH_PER_ADDRESS_BURST,
  stationShare: TOUCH_PER_STATION_SHARE,
  globalPerS: TOUCH_GLOBAL_PER_S,
  globalBurst: TOUCH_GLOBAL_BURST,
};

/** Which limit refused a touch (counted in /metrics as aeolian_touches_limited_total{limit}). */
export type TouchLimit = 'client' | 'address' | 'station' | 'global';
export const TOUCH_LIMITS: readonly TouchLimit[] = ['client', 'address', 'station', 'global'];

export type LimitVerdict = { ok: true } | { ok: false; limit: TouchLimit; retryMs: number };

/** A token bucket that can tell, without taking, whether a token is there and when the next one comes. */
export class TouchBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly ratePerS: number,
    readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Ms until one token is there (0: now). */
  msUntilToken(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerS) * 1000);
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  /** Full again: it can be forgotten without changing anything. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }

  private refill(now: number): void {
    const elapsedS = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsedS * this.ratePerS);
    this.updatedAt = now;
  }
}

export class TouchLimits {
  private readonly byAddress = new Map<string, TouchBucket>();
  private readonly byStation = new Map<string, TouchBucket>();
  private readonly global: TouchBucket;

  constructor(
    readonly values: TouchLimitValues = DEFAULT_TOUCH_LIMITS,
    now = Date.now(),
  ) {
    this.global = new TouchBucket(values.globalPerS, values.globalBurst, now);
  }

  /** A fresh bucket for one connection (the connection owns it). */
  clientBucket(now: number): TouchBucket {
    return new TouchBucket(this.values.perClientPerS, this.values.perClientBurst, now);
  }

  /**
   * Takes one token from each bucket if every one has a token; otherwise takes none and names the
   * first limit that refused, with the longest wait among those that lack a token.
   */
  admit(client: TouchBucket, address: string, station: StationConfig, now: number): LimitVerdict {
    const buckets: [TouchLimit, TouchBucket][] = [
      ['client', client],
      ['address', this.addressBucket(address, now)],
      ['station', this.stationBucket(station, now)],
      ['global', this.global],
    ];
    let refused: TouchLimit | undefined;
    let retryMs = 0;
    for (const [limit, bucket] of buckets) {
      const wait = bucket.msUntilToken(now);
      if (wait === 0) continue;
      refused ??= limit;
      retryMs = Math.max(retryMs, wait);
    }
    if (refused) return { ok: false, limit: refused, retryMs };
    for (const [, bucket] of buckets) bucket.take(now);
    return { ok: true };
  }

  /** Forgets buckets that are full again, so memory follows the visitors of the last few seconds. */
  sweep(now: number): void {
    for (const map of [this.byAddress, this.byStation]) {
      for (const [key, bucket] of map) if (bucket.isFull(now)) map.delete(key);
    }
  }

  get trackedAddresses(): number {
    return this.byAddress.size;
  }

  private addressBucket(address: string, now: number): TouchBucket {
    let bucket = this.byAddress.get(address);
    if (!bucket) this.byAddress.set(address, (bucket = new TouchBucket(this.values.perAddressPerS, this.values.perAddressBurst, now)));
    return bucket;
  }

  /** The station's visitors' share of its strike bucket; rebuilt when the station's rate changes. */
  private stationBucket(station: StationConfig, now: number): TouchBucket {
    const share = this.values.stationShare;
    const ratePerS = share * (station.strikesPerSecond ?? STATION_STRIKES_PER_S);
    const burst = Math.max(1, Math.floor(share * (station.burst ?? STATION_STRIKE_BURST)));
    let bucket = this.byStation.get(station.id);
    if (!bucket || bucket.ratePerS !== ratePerS || bucket.burst !== burst) {
      this.byStation.set(station.id, (bucket = new TouchBucket(ratePerS, burst, now)));
    }
    return bucket;
  }
}
