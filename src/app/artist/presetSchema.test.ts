// One table of limits (store/soundSettings.ts, store/visualSettings.ts): a preset is accepted up to
// each knob's limit and refused one step past it, and the engine clamps into the same bounds.
import { describe, expect, it } from 'vitest';
import { normalizeSoundSettings } from '../audio/soundSettings';
import type { KnobLimit } from '../store/knobLimit';
import { defaultSoundSettings, SOUND_LIMITS, type SoundSettings } from '../store/soundSettings';
import { defaultTouchSettings, TOUCH_LIMITS } from '../store/touchSettings';
import { defaultVisualSettings, VISUAL_LIMITS } from '../store/visualSettings';
import { parsePreset, presetOf, type Preset } from './presetSchema';

type SoundKnob = Exclude<keyof typeof SOUND_LIMITS, 'rootOffsetSemitones' | 'customSemitone'>;
/** Where each clamped sound knob sits in the settings. */
const SOUND_KNOBS: Record<SoundKnob, { read(s: SoundSettings): number; write(s: SoundSettings, value: number): void }> = {
  rootMidi: { read: (s) => s.baseRootMidi, write: (s, v) => void (s.baseRootMidi = v) },
  octaveSpread: { read: (s) => s.octaveSpread, write: (s, v) => void (s.octaveSpread = v) },
  harmonicity: { read: (s) => s.timbre.harmonicity, write: (s, v) => void (s.timbre.harmonicity = v) },
  modulationIndex: { read: (s) => s.timbre.modulationIndex, write: (s, v) => void (s.timbre.modulationIndex = v) },
  decayS: { read: (s) => s.timbre.decayS, write: (s, v) => void (s.timbre.decayS = v) },
  brightness: { read: (s) => s.timbre.brightness, write: (s, v) => void (s.timbre.brightness = v) },
  reverbSizeS: { read: (s) => s.reverb.sizeS, write: (s, v) => void (s.reverb.sizeS = v) },
  reverbMix: { read: (s) => s.reverb.mix, write: (s, v) => void (s.reverb.mix = v) },
  masterVolume: { read: (s) => s.masterVolume, write: (s, v) => void (s.masterVolume = v) },
  polyphony: { read: (s) => s.polyphony, write: (s, v) => void (s.polyphony = v) },
  retriggerGuardMs: { read: (s) => s.retriggerGuardMs, write: (s, v) => void (s.retriggerGuardMs = v) },
  jitterBufferMs: { read: (s) => s.jitterBufferMs, write: (s, v) => void (s.jitterBufferMs = v) },
};

const preset = (): Preset => presetOf({ visual: defaultVisualSettings, sound: defaultSoundSettings });
const withSound = (knob: SoundKnob, value: number) => {
  const p = preset();
  SOUND_KNOBS[knob].write(p.sound, value);
  return p;
};

describe('the sound limits, one table for schema, clamp and panel', () => {
  for (const [knob, limit] of Object.entries(SOUND_LIMITS) as [SoundKnob, KnobLimit][]) {
    if (!(knob in SOUND_KNOBS)) continue;
    it(`${knob}: a preset may reach ${limit.min}..${limit.max}, not a step past; the engine clamps there`, () => {
      expect(parsePreset(withSound(knob, limit.min))).toMatchObject({ ok: true });
      expect(parsePreset(withSound(knob, limit.max))).toMatchObject({ ok: true });
      expect(parsePreset(withSound(knob, limit.max + limit.step))).toMatchObject({ ok: false });
      expect(parsePreset(withSound(knob, limit.min - limit.step))).toMatchObject({ ok: false });
      const wild = structuredClone(defaultSoundSettings);
      SOUND_KNOBS[knob].write(wild, limit.max * 10 + 1);
      expect(SOUND_KNOBS[knob].read(normalizeSoundSettings(wild))).toBe(limit.max);
      SOUND_KNOBS[knob].write(wild, limit.min - 1000);
      expect(SOUND_KNOBS[knob].read(normalizeSoundSettings(wild))).toBe(limit.min);
    });
  }

  it('a whole-number knob refuses a fraction; a station root may move the root by its offset limit', () => {
    expect(parsePreset(withSound('polyphony', 8.5))).toMatchObject({ ok: false });
    const far = preset();
    far.sound.stationRootOffsets = [SOUND_LIMITS.rootOffsetSemitones.max, SOUND_LIMITS.rootOffsetSemitones.min];
    expect(parsePreset(far)).toMatchObject({ ok: true });
    far.sound.stationRootOffsets = [SOUND_LIMITS.rootOffsetSemitones.max + 1];
    expect(parsePreset(far)).toMatchObject({ ok: false });
  });

  it('picture knobs follow their limits too', () => {
    const p = preset();
    p.visual.circleLifetimeMs = VISUAL_LIMITS.circleLifetimeMs.max;
    expect(parsePreset(p)).toMatchObject({ ok: true });
    p.visual.circleLifetimeMs = VISUAL_LIMITS.circleLifetimeMs.max + VISUAL_LIMITS.circleLifetimeMs.step;
    expect(parsePreset(p)).toMatchObject({ ok: false });
  });
});

describe("visitors' touches in a preset", () => {
  it('each touch knob may reach its limits, not a step past', () => {
    for (const [knob, limit] of Object.entries(TOUCH_LIMITS) as [keyof typeof TOUCH_LIMITS, KnobLimit][]) {
      const p = preset();
      p.touch[knob] = limit.max;
      expect(parsePreset(p), knob).toMatchObject({ ok: true });
      p.touch[knob] = limit.max + limit.step;
      expect(parsePreset(p), knob).toMatchObject({ ok: false });
      p.touch[knob] = limit.min - limit.step;
      expect(parsePreset(p), knob).toMatchObject({ ok: false });
    }
  });

  it('a preset without touch settings (made before touches) gets the built-in ones; a bad style or color is refused', () => {
    const { touch: _left, ...old } = preset();
    expect(parsePreset(JSON.stringify(old))).toMatchObject({ ok: true, preset: { touch: defaultTouchSettings } });
    expect(parsePreset({ ...preset(), touch: { ...defaultTouchSettings, style: 'sparkles' } })).toMatchObject({ ok: false });
    const bad = parsePreset({ ...preset(), touch: { ...defaultTouchSettings, color: 'red' } });
    expect(bad.ok === false && bad.error).toMatch(/^touch\.color/);
  });

  it('the artist\'s touch look and voice survive export and import', () => {
    const touch = { style: 'dashed', color: '#ff00aa', sizeScale: 2, pitchOffsetSemitones: -5, harmonicity: 1.5, level: 0.4 } as const;
    const exported = JSON.stringify(presetOf({ visual: defaultVisualSettings, sound: defaultSoundSettings, touch }));
    expect(parsePreset(exported)).toMatchObject({ ok: true, preset: { touch } });
  });
});

describe("a preset's kiosk tour", () => {
  it('is kept when given, and a version-2 file written before tours existed keeps the kiosk still', () => {
    const withTour = preset();
    withTour.visual.tour = { stops: ['world', 'busiest', 'ensemble'], dwellS: 20 };
    expect(parsePreset(JSON.stringify(withTour))).toMatchObject({ ok: true, preset: { visual: { tour: { stops: ['world', 'busiest', 'ensemble'], dwellS: 20 } } } });
    const { tour: _none, ...older } = preset().visual;
    expect(parsePreset({ ...preset(), visual: older })).toMatchObject({ ok: true, preset: { visual: { tour: { stops: [] } } } });
  });

  it('refuses an unknown stop or a dwell outside its limit, saying where', () => {
    const bad = preset() as unknown as { visual: { tour: unknown } };
    bad.visual.tour = { stops: ['moon'], dwellS: 20 };
    expect(parsePreset(bad)).toMatchObject({ ok: false, error: expect.stringContaining('visual.tour.stops') });
    bad.visual.tour = { stops: ['world'], dwellS: VISUAL_LIMITS.tourDwellS.min - 1 };
    expect(parsePreset(bad)).toMatchObject({ ok: false, error: expect.stringContaining('visual.tour.dwellS') });
  });
});
