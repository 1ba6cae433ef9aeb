// Which pitch a chime gets: its station's root (each station its own key) plus the chime's step up
// the chosen scale, walking `octaveSpread` octaves before repeating. Pure.
import { SCALE_SEMITONES, type SoundSettings } from './soundSettings';

/** Pitches are kept inside this MIDI range (a bell below it is mud, above it a whistle). */
export const MIN_PITCH_MIDI = 36;
export const MAX_PITCH_MIDI = 108;

export function scaleSemitones(settings: SoundSettings): readonly number[] {
  if (settings.scale !== 'custom') return SCALE_SEMITONES[settings.scale];
  const custom = [...new Set(settings.customSemitones.map((n) => ((Math.round(n) % 12) + 12) % 12))].sort((a, b) => a - b);
  return custom.length > 0 ? custom : [0];
}

export function stationRootMidi(settings: SoundSettings, stationIndex: number): number {
  const offsets = settings.stationRootOffsets.length > 0 ? settings.stationRootOffsets : [0];
  const i = ((Math.floor(stationIndex) % offsets.length) + offsets.length) % offsets.length;
  return settings.baseRootMidi + (offsets[i] ?? 0);
}

export function pitchOf(settings: SoundSettings, stationIndex: number, chime: number): number {
  const steps = scaleSemitones(settings);
  const span = steps.length * Math.max(1, Math.round(settings.octaveSpread));
  const step = ((Math.floor(chime) % span) + span) % span;
  const midi = stationRootMidi(settings, stationIndex) + 12 * Math.floor(step / steps.length) + (steps[step % steps.length] ?? 0);
  // Fold by octaves into range so the scale degree survives.
  let folded = midi;
  while (folded > MAX_PITCH_MIDI) folded -= 12;
  while (folded < MIN_PITCH_MIDI) folded += 12;
  return folded;
}

export function midiToHz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

/** Stereo position from longitude: the world laid out left (-180) to right (+180), kept off the hard edges. */
export const MAX_PAN = 0.8;
export function panOfLongitude(lon: number): number {
  if (!Number.isFinite(lon)) return 0;
  return (Math.max(-180, Math.min(180, lon)) / 180) * MAX_PAN;
}
