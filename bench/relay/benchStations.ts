// The bench's stations: known tokens, and a rate limit high enough that the ceiling search measures
// the relay rather than the per-station limit.
import type { StationConfig } from '../../src/protocol';
import { sha256Hex } from '../../src/relay/stations/tokens';

export const BENCH_DEVICES = 10;
/** Per-station limit for the bench only (production default: STATION_STRIKES_PER_S). */
const BENCH_STATION_STRIKES_PER_S = 5_000;

export const benchToken = (index: number) => `bench-device-token-${index}`;
/** One more station, with the production rate limit, for the flood phase. */
export const FLOOD_STATION = { id: 'bench-flood', token: 'bench-flood-device-token' } as const;

export function benchStations(): StationConfig[] {
  const flood: StationConfig = { id: FLOOD_STATION.id, name: 'Bench flood', lat: 70, lon: 0, chimes: 6, tokenSha256: sha256Hex(FLOOD_STATION.token) };
  return Array.from<unknown, StationConfig>({ length: BENCH_DEVICES }, (_, index) => ({
    id: `bench-${index}`,
    name: `Bench ${index}`,
    lat: -60 + index * 12,
    lon: -170 + index * 34,
    chimes: 6,
    tokenSha256: sha256Hex(benchToken(index)),
    strikesPerSecond: BENCH_STATION_STRIKES_PER_S,
    burst: BENCH_STATION_STRIKES_PER_S,
  })).concat(flood);
}
