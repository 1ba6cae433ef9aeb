// Stations known to this relay: their configuration (private) and live state (online, last seen,
// counters). The registry is the one owner of that state: every change (added, updated, online,
// offline, removed) goes through it and is announced to its listeners — the hub tells viewers, the
// device gateway cuts off a removed or re-keyed station's device. It also keeps each device's latest
// status report, unannounced, as nothing public changes with it. Only `toPublicStation` output ever
// leaves the relay to the public.
import type { DeviceStatus, Station, StationConfig } from '../../protocol';
import { DEVICE_STATUS_MIN_INTERVAL_MS, STATION_STRIKE_BURST, STATION_STRIKES_PER_S } from '../../protocol';
import type { ReceivedDeviceStatus } from '../../protocol/adminApi';
import { TokenBucket } from './rateLimit';
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
  /** Strike time `t` of the newest strike heard from the station, played or not (muted, rate-limited). */
  lastStrikeAt: number | null;
  /** The device's latest status report: private, for the admin side only. */
  deviceStatus: ReceivedDeviceStatus | null;
  /** Where its device's marked frames stand, so a resent strike is not heard twice (devices/resendMarks.ts). */
  resend: ResendState | null;
}

/** The position just past the last strike taken from a station's device, in that boot of it. */
export interface ResendState {
  boot: string;
  next: number;
}

/**
 * One change to one station, announced after it is made. `removed` carries the state as it was
 * last (offline); `updated` says whether the device token changed (its device must reconnect).
 */
export type StationChange =
  | { kind: 'added'; station: StationState }
  | { kind: 'updated'; station: StationState; tokenChanged: boolean }
  | { kind: 'online'; station: StationState }
  | { kind: 'offline'; station: StationState }
  | { kind: 'removed'; station: StationState };

export type StationListener = (change: StationChange) => void;

export function toPublicStation(state: StationState): Station {
  const { id, name, lat, lon, chimes } = state.config;
  return { id, name, lat, lon, chimes, online: state.online, lastSeen: state.lastSeen, ...(state.ephemeral ? { simulated: true as const } : {}) };
}

export class StationRegistry {
  private readonly states = new Map<string, StationState>();
  private readonly listeners = new Set<StationListener>();

  constructor(configs: readonly StationConfig[] = [], now = Date.now()) {
    for (const config of configs) this.upsert(config, { now });
  }

  /** Calls `listener` after every change, in the order listeners were added; returns its removal. */
  onChange(listener: StationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds a station, or replaces the configuration (and rate limit) of the one with this id. */
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
      const tokenChanged = existing.config.tokenSha256 !== config.tokenSha256;
      existing.config = config;
      existing.bucket = bucket;
      this.announce({ kind: 'updated', station: existing, tokenChanged });
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
      lastStrikeAt: null,
      deviceStatus: null,
      resend: null,
    };
    this.states.set(config.id, state);
    this.announce({ kind: 'added', station: state });
    return state;
  }

  /**
   * A device (or the cloud) says the station is online or offline; `seenAt` also stamps lastSeen.
   * Announced only when `online` flips. A station already removed is left alone.
   */
  setOnline(station: StationState, online: boolean, seenAt?: number): void {
    if (this.states.get(station.config.id) !== station) return;
    if (seenAt !== undefined) station.lastSeen = seenAt;
    if (station.online === online) return;
    station.online = online;
    this.announce({ kind: online ? 'online' : 'offline', station });
  }

  /**
   * Keeps a device's status report, stamped `receivedAt`. At most one per station every
   * DEVICE_STATUS_MIN_INTERVAL_MS: a sooner one, or one for a station already removed, is dropped
   * (returns false). Not announced: viewers never see status, and it changes nothing they see.
   */
  recordStatus(station: StationState, status: DeviceStatus, receivedAt: number): boolean {
    if (this.states.get(station.config.id) !== station) return false;
    const last = station.deviceStatus?.receivedAt;
    if (last !== undefined && receivedAt - last < DEVICE_STATUS_MIN_INTERVAL_MS) return false;
    const { firmware, uptimeS, rssiDbm, reconnects, strikesDropped, ringsRefused } = status;
    station.deviceStatus = {
      firmware,
      uptimeS,
      ...(rssiDbm === undefined ? {} : { rssiDbm }),
      reconnects,
      strikesDropped,
      ...(ringsRefused === undefined ? {} : { ringsRefused }),
      receivedAt,
    };
    return true;
  }

  /** Forgets a station and its device's status; it is announced offline, as `removed`. */
  remove(id: string): boolean {
    const state = this.states.get(id);
    if (!state) return false;
    state.online = false;
    // Its device link holds this object until the socket closes: nothing it reports is kept.
    state.deviceStatus = null;
    this.states.delete(id);
    this.announce({ kind: 'removed', station: state });
    return true;
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

  private announce(change: StationChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
