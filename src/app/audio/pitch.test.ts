import { describe, expect, it } from 'vitest';
import { panOfLongitude, pitchOf, scaleSemitones, stationRootMidi } from './pitch';
import { defaultSoundSettings, normalizeSoundSettings, type SoundSettings } from './soundSettings';

const pitchClass = (midi: number) => ((midi % 12) + 12) % 12;

describe('pitchOf', () => {
  it('defaults to a pentatonic scale on the first station, walking up from its root', () => {
    const root = defaultSoundSettings.baseRootMidi;
    const pitches = [0, 1, 2, 3, 4, 5].map((chime) => pitchOf(defaultSoundSettings, 0, chime));
    expect(pitches).toEqual([root, root + 2, root + 4, root + 7, root + 9, root + 12]);
  });

  it('gives each of twelve stations a different root, so cities are told apart by key', () => {
    const roots = Array.from({ length: 12 }, (_, station) => pitchClass(pitchOf(defaultSoundSettings, station, 0)));
    expect(new Set(roots).size).toBe(12);
  });

  it('uses custom semitones, sorted and folded into one octave', () => {
    const settings: SoundSettings = { ...defaultSoundSettings, scale: 'custom', customSemitones: [7, 1, 13, 0] };
    expect(scaleSemitones(settings)).toEqual([0, 1, 7]);
    const root = stationRootMidi(settings, 0);
    expect([0, 1, 2, 3].map((c) => pitchOf(settings, 0, c))).toEqual([root, root + 1, root + 7, root + 12]);
  });

  it('repeats after octaveSpread octaves and stays in the audible bell range', () => {
    const settings = { ...defaultSoundSettings, octaveSpread: 1 };
    expect(pitchOf(settings, 3, 5)).toBe(pitchOf(settings, 3, 0));
    const high = { ...defaultSoundSettings, baseRootMidi: 96, octaveSpread: 4 };
    for (let chime = 0; chime < 20; chime++) expect(pitchOf(high, 5, chime)).toBeLessThanOrEqual(108);
  });

  it('each scale keeps its own interval set', () => {
    for (const scale of ['major', 'minor', 'wholeTone'] as const) {
      const settings = { ...defaultSoundSettings, scale, octaveSpread: 1 };
      const steps = scaleSemitones(settings);
      const root = pitchOf(settings, 0, 0);
      expect(steps.map((_, c) => pitchOf(settings, 0, c) - root)).toEqual([...steps]);
    }
  });
});

describe('panOfLongitude', () => {
  it('maps -180..180 to -0.8..0.8 and keeps bad input centred', () => {
    expect(panOfLongitude(-180)).toBeCloseTo(-0.8);
    expect(panOfLongitude(0)).toBe(0);
    expect(panOfLongitude(90)).toBeCloseTo(0.4);
    expect(panOfLongitude(400)).toBeCloseTo(0.8);
    expect(panOfLongitude(Number.NaN)).toBe(0);
  });
});

describe('normalizeSoundSettings', () => {
  it('clamps every knob into range so a bad panel value never breaks the sound', () => {
    const wild = normalizeSoundSettings({
      ...defaultSoundSettings,
      polyphony: 10_000,
      masterVolume: Number.NaN,
      customSemitones: [],
      timbre: { harmonicity: -1, modulationIndex: 99, decayS: 0, brightness: 2 },
      reverb: { sizeS: Infinity, mix: -1 },
    });
    expect(wild.polyphony).toBe(128);
    expect(wild.masterVolume).toBe(defaultSoundSettings.masterVolume);
    expect(wild.customSemitones).toEqual([0]);
    expect(wild.timbre).toEqual({ harmonicity: 0.25, modulationIndex: 20, decayS: 0.1, brightness: 1 });
    expect(wild.reverb).toEqual({ sizeS: defaultSoundSettings.reverb.sizeS, mix: 0 });
    expect(JSON.parse(JSON.stringify(defaultSoundSettings))).toEqual(defaultSoundSettings);
  });
});
