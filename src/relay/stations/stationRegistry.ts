// Stations known to this relay: their configuration (private) and live state (online, last seen,
// counters). Only `toPublic` output ever leaves the relay.
import type { Station, StationConfig } from '../../protocol';
import { STATION_STRIKE_BURST, STATION_STRIKES_PER_S } from '../../protocol';
import { TokenBucket } from '../devices/rateLimit';
import { findByToken } from './tokens';

export interface StationState {
  config: StationConfig;
  /** Ephemeral stations (the simulator's) are never written to the stations file. */
  ephemeral: boolean;
  online: boolean;
  lastSeen: number | null;
  bucket: TokenBucket;
  strikesAccepted: number;
  strikesDropped: number;
}

export function toPublicStation(state: StationState): Station {
  const { id, name, lat, lon, chimes } = state.config;
  return { id, name, lat, lon, chimes, online: state.online, lastSeen: state.lastSeen, ...(state.ephemeral ? { simulated: true as const } : {}) };
}

export class StationRegistry {
  private readonly states = new Map<string, StationState>();

  constructor(configs: readonly StationConfig[] = [], now = Date.now()) {
    for (const config of configs) this.upsert(config, { now });
  }

  upsert(config: StationConfig, options: { ephemeral?: boolean; now?: number } = {}): StationState {
    const existing = this.states.get(config.id);
    const bucket = new TokenBucket(
      config.strikesPerSecond ?? STATION_STRIKES_PER_S,
      config.burst ?? STATION_STRIKE_BURST,
      options.now ?? Date.now(),
    );
    if (existing) {
      // Updated in place: device links and cloud ingest hold this object, and must see the change
      // (a mute must silence a device that is already connected).
      existing.config = config;
      existing.bucket = bucket;
      return existing;
    }
    const state: StationState = {
      config,
      ephemeral: options.ephemeral ?? false,
      online: false,
      lastSeen: null,
      bucket,
      strikesAccepted: 0,
      strikesDropped: 0,
    };
    this.states.set(config.id, state);
    return state;
  }

  remove(id: string): boolean {
    return this.states.delete(id);
  }

  get(id: string): StationState | undefined {
    return this.states.get(id);
  }

  findByToken(token: string): StationState | undefined {
    return findByToken([...this.states.values()].map((s) => ({ tokenSha256: s.config.tokenSha256, state: s })), token)
      ?.state;
  }

  all(): StationState[] {
    return [...this.states.values()];
  }

  publicList(filter?: ReadonlySet<string> | null): Station[] {
    return this.all()
      .filter((s) => !filter || filter.has(s.config.id))
      .map(toPublicStation);
  }
}
