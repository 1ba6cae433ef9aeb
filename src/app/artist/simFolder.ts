// With `?source=sim`: steer the simulated wind (speed, gustiness, stations on/off) to audition a
// storm or a calm at will. The folder follows the page's current source: it steers the simulation
// feeding the page now, and is gone while another source (a replay, the relay) feeds it.
import type { FolderApi } from '@tweakpane/core';
import type { LivePage } from '../page/livePage';
import type { WindSteering } from '../transport/types';

export function addSimFolder(pane: Pick<FolderApi, 'addFolder'>, page: Pick<LivePage, 'store' | 'source' | 'onSourceSwitched'>): () => void {
  let folder: ReturnType<FolderApi['addFolder']> | null = null;
  const build = (wind: WindSteering | null) => {
    folder?.dispose();
    folder = wind ? addWindControls(pane, page, wind) : null;
  };
  build(page.source.wind);
  const unsubscribe = page.onSourceSwitched((source) => build(source.wind));
  return () => {
    unsubscribe();
    folder?.dispose();
  };
}

function addWindControls(pane: Pick<FolderApi, 'addFolder'>, { store }: Pick<LivePage, 'store'>, sim: WindSteering) {
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
  return folder;
}
