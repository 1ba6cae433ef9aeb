// With `?source=sim`: steer the simulated wind (speed, gustiness, stations on/off) to audition a
// storm or a calm at will.
import type { FolderApi } from '@tweakpane/core';
import type { LiveStore } from '../store/liveStore';
import type { SimTransport } from '../transport/simTransport';

export function addSimFolder(pane: Pick<FolderApi, 'addFolder'>, store: LiveStore, sim: SimTransport): void {
  const folder = pane.addFolder({ title: 'Simulated wind' });
  const controls = sim.controls ?? { windScale: 1, gustiness: 0.5, enabled: {} };
  const wind = { speed: controls.windScale, gustiness: controls.gustiness };
  folder.addBinding(wind, 'speed', { label: 'wind speed (x)', min: 0, max: 3, step: 0.05 }).on('change', (e) => sim.setControls({ windScale: e.value }));
  folder.addBinding(wind, 'gustiness', { min: 0, max: 1, step: 0.01 }).on('change', (e) => sim.setControls({ gustiness: e.value }));
  const stations = folder.addFolder({ title: 'Stations on/off', expanded: false });
  const on: Record<string, boolean> = {};
  for (const station of store.getState().stations) {
    on[station.id] = controls.enabled[station.id] !== false;
    stations.addBinding(on, station.id, { label: station.name }).on('change', () => sim.setControls({ enabled: { ...on } }));
  }
}
