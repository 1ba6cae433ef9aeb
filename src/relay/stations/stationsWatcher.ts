// The stations file, watched: an edit made while the relay runs (`npm run stations`, a deploy, a
// text editor) takes effect without a restart. The file is read and validated exactly as at
// start-up; a bad file is logged and ignored, so a typo never takes stations away. Changes are
// applied as a difference from what the relay holds, so the admin API's own writes (already
// applied when they land) change nothing.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { StationConfig } from '../../protocol';
import type { Logger } from '../log';
import type { StationRegistry } from './stationRegistry';
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

/** What the watcher needs of the relay (the relay itself is one). */
export interface StationsHost {
  readonly stations: StationRegistry;
  readonly log: Logger;
}

export function watchStationsFile(relay: StationsHost, path: string): StationsWatcher {
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
    const change = applyStations(relay.stations, configs);
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

/**
 * Makes the registry's file-backed stations match `configs`. The registry announces each change:
 * viewers hear of it, and a removed or re-keyed station's device is cut off.
 */
export function applyStations(registry: StationRegistry, configs: readonly StationConfig[]): StationsChange {
  const change: StationsChange = { added: [], changed: [], removed: [], skipped: [] };
  const wanted = new Set(configs.map((config) => config.id));
  for (const config of configs) {
    const current = registry.get(config.id);
    if (current?.ephemeral) {
      change.skipped.push(config.id);
      continue;
    }
    if (current && sameConfig(current.config, config)) continue;
    registry.upsert(config);
    (current ? change.changed : change.added).push(config.id);
  }
  for (const state of registry.all()) {
    if (state.ephemeral || wanted.has(state.config.id)) continue;
    registry.remove(state.config.id);
    change.removed.push(state.config.id);
  }
  return change;
}

function sameConfig(a: StationConfig, b: StationConfig): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof StationConfig)[]);
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}
