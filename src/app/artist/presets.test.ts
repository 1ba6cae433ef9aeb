import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultSoundSettings } from '../store/soundSettings';
import { createLiveStore } from '../store/liveStore';
import { defaultVisualSettings } from '../store/visualSettings';
import { parsePreset, PRESET_VERSION, presetOf, type Preset } from './presetSchema';
import { applyPreset, capturePreset, loadSavedPreset, savedPresetNames, savePreset, deleteSavedPreset } from './presets';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const defaults = (): Preset => presetOf({ visual: defaultVisualSettings, sound: defaultSoundSettings });
const errorOf = (input: unknown) => {
  const result = parsePreset(input);
  if (result.ok) throw new Error('expected the preset to be refused');
  return result.error;
};

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

describe('parsePreset', () => {
  it('accepts the shipped presets, every one listed in the index', () => {
    const index = JSON.parse(read('../../../public/presets/index.json')) as { presets: string[] };
    expect(index.presets).toContain('default');
    for (const name of index.presets) {
      const result = parsePreset(read(`../../../public/presets/${name}.json`));
      expect(result, name).toMatchObject({ ok: true });
    }
  });

  it('the shipped default.json is the built-in settings (what visitors got before presets)', () => {
    const result = parsePreset(read('../../../public/presets/default.json'));
    expect(result.ok && { ...result.preset, name: undefined }).toEqual({ ...defaults(), name: undefined });
  });

  it('refuses invalid JSON and says so', () => {
    expect(errorOf('{"version": 2,')).toMatch(/^not valid JSON/);
  });

  it('refuses a wrong type, naming the field', () => {
    const preset = defaults() as unknown as { visual: { circleOpacity: unknown } };
    preset.visual.circleOpacity = 'high';
    expect(errorOf(JSON.stringify(preset))).toMatch(/^visual\.circleOpacity: .*expected number/);
  });

  it('refuses an out-of-range value, naming the field and the bound', () => {
    const preset = defaults();
    preset.sound.timbre.decayS = 99;
    expect(errorOf(preset)).toMatch(/^sound\.timbre\.decayS: Too big: expected number to be <=12/);
  });

  it('refuses a bad color, an unknown key, a missing section and a future version', () => {
    expect(errorOf({ ...defaults(), visual: { ...defaults().visual, palette: ['red'] } })).toMatch(/visual\.palette\.0: must be a color/);
    expect(errorOf({ ...defaults(), extra: 1 })).toMatch(/Unrecognized key.*extra/);
    expect(errorOf({ version: 2, visual: defaults().visual })).toMatch(/^sound: /);
    expect(errorOf({ ...defaults(), version: 3 })).toMatch(/version 3 is newer/);
    expect(errorOf([])).toMatch(/expected a JSON object/);
    expect(errorOf({ visual: {} })).toMatch(/^version: missing/);
  });

  it('migrates a version 1 file to the current version', () => {
    const result = parsePreset(read('./fixtures/preset-v1.json'));
    expect(result).toMatchObject({ ok: true, migratedFrom: 1 });
    if (!result.ok) return;
    expect(result.preset.version).toBe(PRESET_VERSION);
    expect(result.preset.name).toBe('first-light');
    expect(result.preset.visual).toMatchObject({ palette: ['#ff8800', '#00aaff', '#22cc66'], circleLifetimeMs: 3500, circleMaxRadiusPx: 48 });
    expect(result.preset.sound).toMatchObject({ scale: 'wholeTone', baseRootMidi: 60, masterVolume: 0.6, reverb: { mix: 0.4, sizeS: 2.5 } });
    // What v1 did not have comes from the built-in settings, and the result is a valid current preset.
    expect(result.preset.visual.projection).toBe(defaultVisualSettings.projection);
    expect(parsePreset(JSON.stringify(result.preset))).toMatchObject({ ok: true });
  });

  it('refuses a bad version 1 file, saying it was version 1', () => {
    const v1 = JSON.parse(read('./fixtures/preset-v1.json')) as Record<string, unknown>;
    expect(errorOf({ ...v1, rootMidi: 200 })).toMatch(/^version 1: rootMidi: Too big/);
  });
});

describe('presets and the store', () => {
  it('capture -> JSON -> parse -> apply restores every setting', () => {
    const source = createLiveStore();
    const night = parsePreset(read('../../../public/presets/night.json'));
    if (!night.ok) throw new Error(night.error);
    applyPreset(source, night.preset);
    source.getState().setVisual({ palette: ['#123456'], circleStyle: 'stroke' });
    const text = JSON.stringify(capturePreset(source, 'mine'));

    const target = createLiveStore({ reducedMotion: true });
    const result = parsePreset(text);
    if (!result.ok) throw new Error(result.error);
    applyPreset(target, result.preset);
    expect(target.getState().sound).toEqual(source.getState().sound);
    expect({ ...target.getState().visual, reducedMotion: false }).toEqual(source.getState().visual);
    // The viewer's reduced-motion choice is theirs, not the preset's.
    expect(target.getState().visual.reducedMotion).toBe(true);
  });

  it('applied presets are copies: editing the store later never changes the preset', () => {
    const store = createLiveStore();
    const preset = defaults();
    applyPreset(store, preset);
    store.getState().visual.palette.push('#000000');
    expect(preset.visual.palette).toEqual(defaultVisualSettings.palette);
  });

  it('saves, lists, loads and deletes named presets in storage', () => {
    const storage = memoryStorage();
    const preset = defaults();
    preset.sound.scale = 'major';
    savePreset(storage, 'storm-2', preset);
    savePreset(storage, 'calm', defaults());
    expect(savedPresetNames(storage)).toEqual(['calm', 'storm-2']);
    expect(loadSavedPreset(storage, 'storm-2')).toMatchObject({ ok: true, preset: { name: 'storm-2', sound: { scale: 'major' } } });
    expect(loadSavedPreset(storage, 'nope')).toBeNull();
    expect(() => savePreset(storage, '../etc', preset)).toThrow(/preset name/);
    deleteSavedPreset(storage, 'calm');
    expect(savedPresetNames(storage)).toEqual(['storm-2']);
  });

  it('a corrupt library in storage reads as empty instead of breaking the page', () => {
    const storage = memoryStorage();
    storage.setItem('aeolian.presets', '{not json');
    expect(savedPresetNames(storage)).toEqual([]);
  });
});
