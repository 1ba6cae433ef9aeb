// Presets in the panel: save/load by name (this browser), the shipped files of public/presets/,
// export/import as JSON files, and reset. A preset that cannot be used is refused with the reason,
// and the settings stay as they were.
import type { FolderApi } from '@tweakpane/core';
import { defaultSoundSettings } from '../store/soundSettings';
import type { LiveStore } from '../store/liveStore';
import { defaultVisualSettings } from '../store/visualSettings';
import { parsePreset, presetOf, type PresetResult } from './presetSchema';
import {
  applyPreset,
  capturePreset,
  DEFAULT_PRESET_NAME,
  fetchShippedPreset,
  fetchShippedPresetNames,
  isPresetName,
  loadSavedPreset,
  savedPresetNames,
  savePreset,
} from './presets';

export interface PresetFolderDeps {
  store: LiveStore;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** Where the outcome of each action is shown to the artist. */
  report(message: string, kind: 'ok' | 'error'): void;
}

export function addPresetFolder(pane: Pick<FolderApi, 'addFolder'>, deps: PresetFolderDeps): { importFile(file: File): Promise<void> } {
  const { store, storage, report } = deps;
  const folder = pane.addFolder({ title: 'Presets' });
  const state = { name: 'my-look', saved: '', shipped: DEFAULT_PRESET_NAME };

  const use = (result: PresetResult | null, what: string): void => {
    if (!result) return report(`${what}: not found`, 'error');
    if (!result.ok) return report(`${what} refused, nothing changed: ${result.error}`, 'error');
    applyPreset(store, result.preset);
    const migrated = result.migratedFrom ? ` (migrated from version ${result.migratedFrom})` : '';
    report(`${what} loaded${migrated}`, 'ok');
  };

  folder.addBinding(state, 'name');
  folder.addButton({ title: 'save in this browser' }).on('click', () => {
    if (!storage) return report('this browser does not allow saving (private mode?)', 'error');
    try {
      savePreset(storage, state.name, capturePreset(store, state.name));
      state.saved = state.name;
      rebuildSaved();
      report(`saved "${state.name}"; share it as ?preset=${state.name} once shipped`, 'ok');
    } catch (error) {
      report(`not saved: ${(error as Error).message}`, 'error');
    }
  });

  let savedList: ReturnType<FolderApi['addBinding']> | null = null;
  const loadSaved = folder.addButton({ title: 'load saved', index: 3 });
  const rebuildSaved = () => {
    savedList?.dispose();
    const names = storage ? savedPresetNames(storage) : [];
    if (!names.includes(state.saved)) state.saved = names[0] ?? '';
    const options = names.length ? Object.fromEntries(names.map((n) => [n, n])) : { '(none saved)': '' };
    savedList = folder.addBinding(state, 'saved', { label: 'saved', options, index: 2 });
  };
  rebuildSaved();
  loadSaved.on('click', () => {
    if (!state.saved || !storage) return report('no saved preset chosen', 'error');
    use(loadSavedPreset(storage, state.saved), `"${state.saved}"`);
  });

  let shippedList: ReturnType<FolderApi['addBinding']> | null = null;
  const buildShipped = (names: string[]) => {
    shippedList?.dispose();
    shippedList = folder.addBinding(state, 'shipped', { label: 'shipped', options: Object.fromEntries(names.map((n) => [n, n])), index: 4 });
  };
  buildShipped([DEFAULT_PRESET_NAME]);
  fetchShippedPresetNames().then(
    (names) => buildShipped(names.length ? names : [DEFAULT_PRESET_NAME]),
    (error: unknown) => report(`could not list public/presets: ${(error as Error).message}`, 'error'),
  );
  folder.addButton({ title: 'load shipped', index: 5 }).on('click', () => {
    const name = state.shipped;
    void fetchShippedPreset(name).then((result) => use(result, `presets/${name}.json`));
  });

  folder.addButton({ title: 'export JSON file' }).on('click', () => {
    const name = isPresetName(state.name) ? state.name : 'preset';
    const blob = new Blob([JSON.stringify(capturePreset(store, name), null, 2) + '\n'], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${name}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    report(`exported ${name}.json (put it in public/presets/ and list it in index.json to ship it)`, 'ok');
  });

  const input = document.createElement('input');
  input.type = 'file';
  input.accept = 'application/json,.json';
  input.hidden = true;
  input.dataset.testid = 'artist-import';
  const importFile = async (file: File) => use(parsePreset(await file.text()), file.name);
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) void importFile(file);
  });
  folder.element.append(input);
  folder.addButton({ title: 'import JSON file…' }).on('click', () => input.click());

  folder.addButton({ title: 'reset to built-in' }).on('click', () => {
    applyPreset(store, presetOf({ visual: defaultVisualSettings, sound: defaultSoundSettings }));
    report('reset to the built-in settings', 'ok');
  });
  return { importFile };
}
