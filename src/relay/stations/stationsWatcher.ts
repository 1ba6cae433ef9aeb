// The stations file, watched: an edit made while the relay runs (`npm run stations`, a deploy, a
// text editor) takes effect without a restart. The file is read and validated exactly as at
// start-up; a bad file is logged and ignored, so a typo never takes stations away. Changes are
// applied as a difference from what the relay holds, so the admin API's own writes (already
// applied when they land) change nothing.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { CloseCode, type StationConfig } from '../../protocol';
import type { Relay } from '../server';
import { loadStationsFile } from './stationsFile';

/** Editors and atomic renames touch the file several times per save: read it once they are done. */
export const STATIONS_RELOAD_DEBOUNCE_MS = 250;

export interface StationsChange {
  added: string[];
  changed: string[];
  removed: string[];
  /** Ids held by simulated stations: a real station takes such an id over at the next start. */
  skipped: string[];
}

export interface StationsWatcher {
  /** Reads the file now (tests, and SIGHUP); undefined if it was invalid. */
  reload(): StationsChange | undefined;
  close(): void;
}

export function watchStationsFile(relay: Relay, path: string): StationsWatcher {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  const reload = (): StationsChange | undefined => {
    let configs: StationConfig[];
    try {
      configs = loadStationsFile(path);
    } catch (error) {
      relay.log.error({ event: 'stations_file_invalid', path, err: (error as Error).message }, 'stations file not reloaded: keeping the stations in use');
      return undefined;
    }
    const change = applyStations(relay, configs);
    if (change.added.length + change.changed.length + change.removed.length + change.skipped.length > 0) {
      relay.log.info({ event: 'stations_file_reloaded', path, ...change }, 'stations file reloaded');
    }
    return change;
  };
  try {
    // The folder, not the file: an atomic save renames a new file over the old one.
    watcher = watch(dirname(path), (_event, name) => {
      if (name !== null && name !== basename(path)) return;
      clearTimeout(timer);
      timer = setTimeout(reload, STATIONS_RELOAD_DEBOUNCE_MS);
    });
    watcher.on('error', (error) => relay.log.warn({ event: 'stations_watch_error', err: error.message }, 'stations file no longer watched'));
  } catch (error) {
    relay.log.warn({ event: 'stations_watch_error', path, err: (error as Error).message }, 'stations file not watched: changes need a restart');
  }
  return {
    reload,
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}

/** Makes the relay's file-backed stations match `configs`; devices and viewers hear of each change. */
export function applyStations(relay: Relay, configs: readonly StationConfig[]): StationsChange {
  const { registry } = relay.hub;
  const change: StationsChange = { added: [], changed: [], removed: [], skipped: [] };
  const wanted = new Set(configs.map((config) => config.id));
  for (const config of configs) {
    const current = registry.get(config.id);
    if (current?.ephemeral) {
      change.skipped.push(config.id);
      continue;
    }
    if (current && sameConfig(current.config, config)) continue;
    const tokenChanged = current !== undefined && current.config.tokenSha256 !== config.tokenSha256;
    registry.upsert(config);
    if (tokenChanged) relay.devices.disconnect(config.id, CloseCode.policyViolation, 'device token rotated');
    relay.hub.stationChanged(config.id);
    (current ? change.changed : change.added).push(config.id);
  }
  for (const state of registry.all()) {
    if (state.ephemeral || wanted.has(state.config.id)) continue;
    const id = state.config.id;
    relay.devices.disconnect(id, CloseCode.policyViolation, 'station removed');
    relay.hub.removeStation(id);
    change.removed.push(id);
  }
  return change;
}

function sameConfig(a: StationConfig, b: StationConfig): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof StationConfig)[]);
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}
