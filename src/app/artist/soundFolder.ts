// The sound knobs: scale (or custom semitones), root note per station, octave spread, timbre,
// reverb, master volume, polyphony, retrigger guard and the jitter-buffer delay. The engine ramps
// every change (see chimeEngine.setSound), so turning a knob never clicks.
import type { FolderApi } from '@tweakpane/core';
import { clampToLimit, sliderRange as range, type KnobLimit } from '../store/knobLimit';
import type { LiveStore } from '../store/liveStore';
import { MAX_CUSTOM_SEMITONES, MAX_STATION_ROOTS, SOUND_LIMITS, type SoundSettings } from '../store/soundSettings';
import type { PaneBinder } from './paneBinder';

const NOTE_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
export const noteName = (midi: number) => `${NOTE_NAMES[((midi % 12) + 12) % 12]}${Math.floor(midi / 12) - 1}`;

/** "0 3 5 7 10" -> [0, 3, 5, 7, 10]; null when nothing usable was typed. */
export function parseSemitones(text: string): number[] | null {
  const values = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  const { min, max } = SOUND_LIMITS.customSemitone;
  if (values.length === 0 || values.some((n) => !Number.isInteger(n) || n < min || n > max)) return null;
  return [...new Set(values)].sort((a, b) => a - b).slice(0, MAX_CUSTOM_SEMITONES);
}

export function addSoundFolder(pane: Pick<FolderApi, 'addFolder'>, store: LiveStore, binder: PaneBinder): () => void {
  const folder = pane.addFolder({ title: 'Sound' });
  const sound = () => store.getState().sound;
  const set = (patch: Partial<SoundSettings>) => store.getState().setSound({ ...sound(), ...patch });
  const bindSound = <K extends keyof SoundSettings>(into: FolderApi, label: string, key: K, params = {}) =>
    binder.bind(into, label, (s) => s.sound[key], (value: SoundSettings[K]) => set({ [key]: value } as Partial<SoundSettings>), params);

  bindSound(folder, 'scale', 'scale', { options: { pentatonic: 'pentatonic', major: 'major', minor: 'minor', 'whole tone': 'wholeTone', custom: 'custom' } });
  binder.bind(
    folder,
    'custom steps',
    (s) => s.sound.customSemitones.join(' '),
    (text: string) => {
      const semitones = parseSemitones(text);
      if (semitones) set({ customSemitones: semitones });
      else binder.sync(); // show the last good value again
    },
  );
  bindSound(folder, 'base root', 'baseRootMidi', { ...range(SOUND_LIMITS.rootMidi), format: (m: number) => `${m} ${noteName(m)}` });
  bindSound(folder, 'octave spread', 'octaveSpread', range(SOUND_LIMITS.octaveSpread));

  // One root per station in the store, as a MIDI note (base + that station's offset).
  const roots = folder.addFolder({ title: 'Root per station', expanded: false });
  let rootApis: ReturnType<PaneBinder['bind']>[] = [];
  const buildRoots = () => {
    rootApis.forEach((api) => binder.unbind(api));
    rootApis = store
      .getState()
      .stations.slice(0, MAX_STATION_ROOTS)
      .map((station, i) =>
        binder.bind(
          roots,
          station.name,
          (s) => s.sound.baseRootMidi + (s.sound.stationRootOffsets[i % s.sound.stationRootOffsets.length] ?? 0),
          (midi: number) => {
            const { baseRootMidi, stationRootOffsets } = sound();
            const count = Math.max(stationRootOffsets.length, i + 1);
            const offsets = Array.from({ length: count }, (_, k) => stationRootOffsets[k % stationRootOffsets.length] ?? 0);
            offsets[i] = clampToLimit(midi - baseRootMidi, SOUND_LIMITS.rootOffsetSemitones, 0);
            set({ stationRootOffsets: offsets });
          },
          { ...range(SOUND_LIMITS.rootMidi), format: (m: number) => `${m} ${noteName(m)}` },
        ),
      );
  };
  buildRoots();

  const timbre = folder.addFolder({ title: 'Timbre' });
  const bindTimbre = (label: string, key: keyof SoundSettings['timbre'], limit: KnobLimit) =>
    binder.bind(timbre, label, (s) => s.sound.timbre[key], (value: number) => set({ timbre: { ...sound().timbre, [key]: value } }), range(limit));
  bindTimbre('harmonicity', 'harmonicity', SOUND_LIMITS.harmonicity);
  bindTimbre('mod. index', 'modulationIndex', SOUND_LIMITS.modulationIndex);
  bindTimbre('decay (s)', 'decayS', SOUND_LIMITS.decayS);
  bindTimbre('brightness', 'brightness', SOUND_LIMITS.brightness);

  const reverb = folder.addFolder({ title: 'Reverb' });
  // A new room size builds a new impulse response: written on release, not on every drag step.
  binder.bind(reverb, 'size (s)', (s) => s.sound.reverb.sizeS, (sizeS: number) => set({ reverb: { ...sound().reverb, sizeS } }), range(SOUND_LIMITS.reverbSizeS), {
    onRelease: true,
  });
  binder.bind(reverb, 'mix', (s) => s.sound.reverb.mix, (mix: number) => set({ reverb: { ...sound().reverb, mix } }), range(SOUND_LIMITS.reverbMix));

  bindSound(folder, 'master volume', 'masterVolume', range(SOUND_LIMITS.masterVolume));
  bindSound(folder, 'polyphony', 'polyphony', range(SOUND_LIMITS.polyphony));
  bindSound(folder, 'retrigger (ms)', 'retriggerGuardMs', range(SOUND_LIMITS.retriggerGuardMs));
  bindSound(folder, 'jitter buffer (ms)', 'jitterBufferMs', range(SOUND_LIMITS.jitterBufferMs));

  return store.subscribe((state, previous) => {
    if (state.stations !== previous.stations) buildRoots();
  });
}
