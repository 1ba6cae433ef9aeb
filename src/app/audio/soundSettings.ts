// How the engine reads the sound settings (store/soundSettings.ts): the scales' intervals, and a
// clamp of every knob into its limits so a bad value never breaks the sound.
import { clampToLimit } from '../store/knobLimit';
import { defaultSoundSettings, SCALE_NAMES, SOUND_LIMITS, type SoundSettings } from '../store/soundSettings';

// The settings are the store's; re-exported for the engine's users (the audio harness, e2e tests).
export { defaultSoundSettings, SOUND_LIMITS } from '../store/soundSettings';
export type { ReverbSettings, ScaleName, SoundSettings, TimbreSettings } from '../store/soundSettings';

/** Scale intervals in semitones above the root. */
export const SCALE_SEMITONES: Readonly<Record<Exclude<SoundSettings['scale'], 'custom'>, readonly number[]>> = {
  pentatonic: [0, 2, 4, 7, 9],
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  wholeTone: [0, 2, 4, 6, 8, 10],
};

/** A copy of `s` with every number finite and in range, so a bad panel value never breaks the sound. */
export function normalizeSoundSettings(s: SoundSettings): SoundSettings {
  const d = defaultSoundSettings;
  const L = SOUND_LIMITS;
  const semitones = [...new Set(s.customSemitones.filter(Number.isFinite).map((n) => ((Math.round(n) % 12) + 12) % 12))].sort(
    (a, b) => a - b,
  );
  const offsets = s.stationRootOffsets.filter(Number.isFinite).map(Math.round);
  return {
    scale: (SCALE_NAMES as readonly string[]).includes(s.scale) ? s.scale : d.scale,
    customSemitones: semitones.length > 0 ? semitones : [0],
    baseRootMidi: clampToLimit(s.baseRootMidi, L.rootMidi, d.baseRootMidi),
    stationRootOffsets: offsets.length > 0 ? offsets : [0],
    octaveSpread: clampToLimit(s.octaveSpread, L.octaveSpread, d.octaveSpread),
    timbre: {
      harmonicity: clampToLimit(s.timbre.harmonicity, L.harmonicity, d.timbre.harmonicity),
      modulationIndex: clampToLimit(s.timbre.modulationIndex, L.modulationIndex, d.timbre.modulationIndex),
      decayS: clampToLimit(s.timbre.decayS, L.decayS, d.timbre.decayS),
      brightness: clampToLimit(s.timbre.brightness, L.brightness, d.timbre.brightness),
    },
    reverb: {
      sizeS: clampToLimit(s.reverb.sizeS, L.reverbSizeS, d.reverb.sizeS),
      mix: clampToLimit(s.reverb.mix, L.reverbMix, d.reverb.mix),
    },
    masterVolume: clampToLimit(s.masterVolume, L.masterVolume, d.masterVolume),
    polyphony: clampToLimit(s.polyphony, L.polyphony, d.polyphony),
    retriggerGuardMs: clampToLimit(s.retriggerGuardMs, L.retriggerGuardMs, d.retriggerGuardMs),
    jitterBufferMs: clampToLimit(s.jitterBufferMs, L.jitterBufferMs, d.jitterBufferMs),
  };
}
