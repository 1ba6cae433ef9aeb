// The embedded simulator in-process: stations registered in memory, devices on real websockets to
// the relay's /device, fed by the wind model.
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../test/faults/support';
import { testRelay } from '../../../test/support/relayFixture';
import { record } from '../../../test/support/wsClient';
import { SIM_STATIONS } from '../../sim';
import { toCompactFrame, type SimDevices } from './simulatedDevices';
import { startSimulatedStations } from './simulatedStations';

let sim: SimDevices | undefined;
afterEach(() => {
  sim?.close();
  sim = undefined;
});

describe('simulated stations', () => {
  it('register in memory beside the real stations, connect over /device, and their strikes reach viewers', async () => {
    const relay = await testRelay(); // real chicago and tokyo: those two are not simulated
    const viewer = await record(relay.ws('/live'));
    sim = startSimulatedStations(relay, { seed: 7, timeScale: 20 });
    const simulated = SIM_STATIONS.map((spec) => spec.id).filter((id) => id !== 'chicago' && id !== 'tokyo');
    await waitUntil(() => simulated.every((id) => relay.devices.isConnected(id)), 5_000, 'every simulated device connected');
    expect(relay.stations.get('chicago')!.ephemeral).toBe(false);
    expect(simulated.every((id) => relay.stations.get(id)!.ephemeral)).toBe(true);
    await viewer.waitFor((messages) => simulated.every((id) => messages.some((m) => m.type === 'station' && m.station.id === id && m.station.online && m.station.simulated)));
    await viewer.waitFor(() => viewer.strikes().length >= 3, 10_000);
    expect(viewer.strikes().every((s) => simulated.includes(s.station))).toBe(true);
  });

  it('a simulated device that is cut off reconnects by itself', async () => {
    const relay = await testRelay({ stations: [] });
    sim = startSimulatedStations(relay, { seed: 3 });
    await waitUntil(() => relay.devices.isConnected('wellington'), 5_000, 'wellington connected');
    // The registry's transitions, not polled state: the first retry (full jitter under
    // SIM_DEVICE_RECONNECT.baseMs) can land between two polls, so "offline" may never be seen.
    const transitions: string[] = [];
    const stopListening = relay.stations.onChange((change) => {
      if (change.station.config.id === 'wellington' && (change.kind === 'online' || change.kind === 'offline')) transitions.push(change.kind);
    });
    try {
      expect(relay.devices.disconnect('wellington')).toBe(true);
      await waitUntil(() => transitions.length >= 2, 5_000, 'wellington cut off, then back');
      expect(transitions.slice(0, 2)).toEqual(['offline', 'online']);
      expect(relay.devices.isConnected('wellington')).toBe(true);
    } finally {
      stopListening();
    }
  });
});

describe('toCompactFrame', () => {
  it('writes chime:v@age items, oldest first as given, ages from the send time and never negative', () => {
    const strikes = [
      { station: 'oslo', chime: 2, v: 0.456, t: 9_700 },
      { station: 'oslo', chime: 0, v: 1, t: 10_020 },
    ];
    expect(toCompactFrame(strikes, 10_000)).toBe('2:0.46@300,0:1.00@0');
  });
});
