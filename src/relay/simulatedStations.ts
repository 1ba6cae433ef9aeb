// The embedded default: the simulator's stations are registered in memory (never written to the
// stations file) with fresh random tokens, and connect to this relay's /device like real devices.
import { SIM_STATIONS } from '../sim/stations';
import { startSimDevices, type SimDevices } from '../sim/simDevices';
import type { Logger } from './log';
import type { Relay } from './server';
import { newDeviceToken, sha256Hex } from './tokens';

export function startSimulatedStations(
  relay: Relay,
  options: { seed: number; timeScale?: number; log?: Logger },
): SimDevices {
  const stations = SIM_STATIONS.map((spec) => {
    const token = newDeviceToken();
    relay.hub.registry.upsert(
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
