// The embedded default: the simulator's stations are registered in memory (never written to the
// stations file) with fresh random tokens, and connect to this relay's /device like real devices.
import { SIM_STATIONS } from '../../sim';
import type { Logger } from '../log';
import type { StationRegistry } from '../stations/stationRegistry';
import { newDeviceToken, sha256Hex } from '../stations/tokens';
import { startSimDevices, type SimDevices } from './simulatedDevices';

/** What the simulator needs of the relay (the relay itself is one): its stations, and where /device is. */
export interface SimulationHost {
  readonly stations: StationRegistry;
  /** http://host:port */
  readonly url: string;
}

export function startSimulatedStations(
  relay: SimulationHost,
  options: { seed: number; timeScale?: number; log?: Logger },
): SimDevices {
  // A real station in the stations file always wins over a simulated one with the same id.
  const taken = SIM_STATIONS.filter((spec) => relay.stations.get(spec.id));
  for (const spec of taken) {
    options.log?.warn({ event: 'sim_station_skipped', station: spec.id }, 'a real station has this id: not simulating it');
  }
  const stations = SIM_STATIONS.filter((spec) => !taken.includes(spec)).map((spec) => {
    const token = newDeviceToken();
    relay.stations.upsert(
      { id: spec.id, name: spec.name, lat: spec.lat, lon: spec.lon, chimes: spec.chimes, tokenSha256: sha256Hex(token) },
      { ephemeral: true },
    );
    return { spec, token };
  });
  options.log?.info({ event: 'sim_started', stations: stations.length, seed: options.seed }, 'simulated stations started');
  return startSimDevices({
    deviceUrl: `${relay.url.replace(/^http/, 'ws')}/device`,
    stations,
    seed: options.seed,
    timeScale: options.timeScale ?? 1,
  });
}
