// One path for strikes from any source (device socket, cloud stream, webhook): rate limit, stamp
// `t`, order by strike time, then hand to the hub. Muted stations are heard by no one.
import type { DeviceStrike } from '../../protocol';
import type { AcceptedStrike } from '../hub';
import type { StationState } from '../stations/stationRegistry';

/** Where accepted strikes go to be numbered and broadcast: the hub. */
export interface StrikePublisher {
  publish(stationId: string, strikes: readonly AcceptedStrike[]): void;
}

export interface IngestResult {
  accepted: number;
  /** Dropped by the station's rate limit. */
  rateLimited: number;
  /** Dropped because the station is muted. */
  muted: number;
}

/** `sentAt` is when the strikes' ages were measured from (receive time, or the cloud's publish time). */
export function ingestStrikes(
  hub: StrikePublisher,
  station: StationState,
  strikes: readonly DeviceStrike[],
  sentAt: number,
  now = Date.now(),
): IngestResult {
  station.lastSeen = now;
  if (strikes.length > 0) {
    // Any strike the device heard says its contacts work, played or not; a resent old batch never
    // moves it back.
    const newest = Math.round(sentAt - strikes.reduce((youngest, strike) => Math.min(youngest, strike.age), Infinity));
    station.lastStrikeAt = Math.max(station.lastStrikeAt ?? newest, newest);
  }
  if (station.config.muted) return { accepted: 0, rateLimited: 0, muted: strikes.length };
  const granted = station.bucket.take(strikes.length, now);
  // Oldest first, so seq order follows the order the wind struck them (stable for equal ages).
  const ordered = strikes
    .map((strike, index) => ({ strike, index }))
    .sort((a, b) => b.strike.age - a.strike.age || a.index - b.index)
    .slice(0, granted)
    .map(({ strike }) => ({ chime: strike.chime, v: strike.v, t: Math.round(sentAt - strike.age) }));
  station.strikesAccepted += ordered.length;
  station.strikesDropped += strikes.length - granted;
  hub.publish(station.config.id, ordered);
  return { accepted: ordered.length, rateLimited: strikes.length - granted, muted: 0 };
}
