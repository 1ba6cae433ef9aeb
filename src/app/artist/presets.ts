// Where presets come from and go: the store (apply, capture), the artist's own named presets in
// localStorage, the shipped files in public/presets/ (index.json lists them, default.json is what
// every visitor gets) and `?preset=<name>` links. Small enough to load with the page.
import type { LiveStore } from '../store/liveStore';
import { parsePreset, PRESET_NAME_PATTERN, presetOf, type Preset, type PresetResult } from './presetSchema';

/** The artist's saved presets, one JSON object of name -> preset. */
export const PRESET_LIBRARY_STORAGE_KEY = 'aeolian.presets';
/** Where the shipped presets are served (public/presets/ in the repo). */
export const PRESETS_URL_PATH = '/presets/';
export const DEFAULT_PRESET_NAME = 'default';
/** A shipped preset that has not arrived by then is given up on (the page keeps its defaults). */
export const PRESET_FETCH_TIMEOUT_MS = 5_000;

type PresetStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** Replaces every preset setting at once (one store update, so renderer and engine see one change). */
export function applyPreset(store: LiveStore, preset: Preset): void {
  store.setState((state) => ({
    visual: { ...structuredClone(preset.visual), reducedMotion: state.visual.reducedMotion },
    sound: structuredClone(preset.sound),
    touch: { ...preset.touch },
  }));
}

export function capturePreset(store: LiveStore, name?: string): Preset {
  return presetOf(store.getState(), name);
}

export function isPresetName(name: string): boolean {
  return PRESET_NAME_PATTERN.test(name);
}

function readLibrary(storage: PresetStorage): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(storage.getItem(PRESET_LIBRARY_STORAGE_KEY) ?? '{}');
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function savedPresetNames(storage: PresetStorage): string[] {
  return Object.keys(readLibrary(storage)).filter(isPresetName).sort();
}

/** Stored presets are checked like files: one saved by an older page is migrated. */
export function loadSavedPreset(storage: PresetStorage, name: string): PresetResult | null {
  const value = readLibrary(storage)[name];
  return value === undefined ? null : parsePreset(value);
}

/** Throws (with a message for the artist) when the name is not allowed or storage is full. */
export function savePreset(storage: PresetStorage, name: string, preset: Preset): void {
  if (!isPresetName(name)) throw new Error('a preset name is 1-60 letters, digits, - or _');
  const library = readLibrary(storage);
  library[name] = { ...preset, name };
  storage.setItem(PRESET_LIBRARY_STORAGE_KEY, JSON.stringify(library));
}

export function deleteSavedPreset(storage: PresetStorage, name: string): void {
  const library = readLibrary(storage);
  delete library[name];
  storage.setItem(PRESET_LIBRARY_STORAGE_KEY, JSON.stringify(library));
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(PRESET_FETCH_TIMEOUT_MS), cache: 'no-cache' });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}

/** A shipped preset, public/presets/<name>.json. */
export async function fetchShippedPreset(name: string): Promise<PresetResult> {
  if (!isPresetName(name)) return { ok: false, error: `"${name.slice(0, 60)}" is not a preset name` };
  try {
    return parsePreset(await fetchText(`${PRESETS_URL_PATH}${name}.json`));
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** Names listed in public/presets/index.json (`{"presets": ["default", ...]}`); bad entries are skipped. */
export async function fetchShippedPresetNames(): Promise<string[]> {
  const index: unknown = JSON.parse(await fetchText(`${PRESETS_URL_PATH}index.json`));
  const names = (index as { presets?: unknown } | null)?.presets;
  return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string' && isPresetName(n)) : [];
}

/**
 * At page start: `?preset=<name>` (the artist's saved one of that name, else the shipped file), or
 * the shipped default. A preset that cannot be used leaves the built-in settings and says why.
 */
export async function loadStartupPreset(store: LiveStore, params: URLSearchParams, storage: PresetStorage | null): Promise<PresetResult> {
  const asked = params.get('preset');
  const name = asked ?? DEFAULT_PRESET_NAME;
  const result = (storage && asked ? loadSavedPreset(storage, asked) : null) ?? (await fetchShippedPreset(name));
  if (result.ok) applyPreset(store, result.preset);
  else if (asked) store.setState({ notice: `Preset "${asked.slice(0, 60)}" was not applied: ${result.error}` });
  return result;
}
