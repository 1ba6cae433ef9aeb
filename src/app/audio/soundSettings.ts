// Every knob of the chime sound, as one plain serializable object: the artist-mode panel binds to
// it, the page persists it, and the engine applies changes without a glitch (parameters ramp).

export type ScaleName = 'pentatonic' | 'major' | 'minor' | 'wholeTone' | 'custom';

export interface TimbreSettings {
  /** Ratio of the FM modulator to the fundamental; non-integer ratios give bell-like inharmonic sidebands. */
  harmonicity: number;
  /** Peak FM modulation index (modulator deviation / modulator frequency) at full velocity. */
  modulationIndex: number;
  /** Time for a chime to fall 60 dB, seconds. */
  decayS: number;
  /** 0..1: weight of the upper inharmonic partials (2.76, 5.4, 8.93 x the fundamental). */
  brightness: number;
}

export interface ReverbSettings {
  /** Length of the room's tail (60 dB decay), seconds. */
  sizeS: number;
  /** 0..1: wet share of the signal. */
  mix: number;
}

export interface SoundSettings {
  scale: ScaleName;
  /** Semitones above the root for `scale: 'custom'`, each in 0..11 (sorted and deduplicated on use). */
  customSemitones: number[];
  /** MIDI note of the first station's root. */
  baseRootMidi: number;
  /** Semitones added to the base root per station index (cycled), so cities are told apart by key. */
  stationRootOffsets: number[];
  /** Octaves a station's chimes walk up the scale before pitches repeat (1..4). */
  octaveSpread: number;
  timbre: TimbreSettings;
  reverb: ReverbSettings;
  /** 0..1, applied on top of the listener's volume. */
  masterVolume: number;
  /** Most chime voices sounding at once; beyond it strikes merge (see voicePool.ts). */
  polyphony: number;
  /** A chime struck again within this many ms swells its ringing voice instead of starting a new one. */
  retriggerGuardMs: number;
  /** Fixed delay the page adds to every relayed strike before showing and sounding it, ms: evens out
   * network jitter at the cost of latency. 0 = the adaptive jitter buffer alone (rhythm/jitterBuffer.ts). */
  jitterBufferMs: number;
}

/** Scale intervals in semitones above the root. */
export const SCALE_SEMITONES: Readonly<Record<Exclude<ScaleName, 'custom'>, readonly number[]>> = {
  pentatonic: [0, 2, 4, 7, 9],
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  wholeTone: [0, 2, 4, 6, 8, 10],
};

/** Station roots walk the circle of fifths folded into one octave: twelve stations, twelve keys. */
export const CIRCLE_OF_FIFTHS_OFFSETS = [0, 7, 2, 9, 4, 11, 6, 1, 8, 3, 10, 5] as const;

export const defaultSoundSettings: SoundSettings = {
  scale: 'pentatonic',
  customSemitones: [0, 3, 5, 7, 10],
  baseRootMidi: 64,
  stationRootOffsets: [...CIRCLE_OF_FIFTHS_OFFSETS],
  octaveSpread: 2,
  timbre: { harmonicity: 1.4, modulationIndex: 2.5, decayS: 3, brightness: 0.5 },
  reverb: { sizeS: 2.5, mix: 0.25 },
  masterVolume: 0.8,
  polyphony: 32,
  retriggerGuardMs: 60,
  jitterBufferMs: 0,
};

/** Bounds of each numeric knob; out-of-range input is clamped, never rejected. */
export const SOUND_LIMITS = {
  rootMidi: [24, 96],
  octaveSpread: [1, 4],
  harmonicity: [0.25, 8],
  modulationIndex: [0, 20],
  decayS: [0.1, 12],
  brightness: [0, 1],
  reverbSizeS: [0.1, 10],
  reverbMix: [0, 1],
  masterVolume: [0, 1],
  polyphony: [1, 128],
  retriggerGuardMs: [0, 1000],
  jitterBufferMs: [0, 5000],
} as const satisfies Record<string, readonly [number, number]>;

function clamp(x: number, [lo, hi]: readonly [number, number], fallback: number): number {
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : fallback;
}

/** A copy of `s` with every number finite and in range, so a bad panel value never breaks the sound. */
export function normalizeSoundSettings(s: SoundSettings): SoundSettings {
  const d = defaultSoundSettings;
  const semitones = [...new Set(s.customSemitones.filter(Number.isFinite).map((n) => ((Math.round(n) % 12) + 12) % 12))].sort(
    (a, b) => a - b,
  );
  const offsets = s.stationRootOffsets.filter(Number.isFinite).map(Math.round);
  return {
    scale: s.scale in SCALE_SEMITONES || s.scale === 'custom' ? s.scale : d.scale,
    customSemitones: semitones.length > 0 ? semitones : [0],
    baseRootMidi: Math.round(clamp(s.baseRootMidi, SOUND_LIMITS.rootMidi, d.baseRootMidi)),
    stationRootOffsets: offsets.length > 0 ? offsets : [0],
    octaveSpread: Math.round(clamp(s.octaveSpread, SOUND_LIMITS.octaveSpread, d.octaveSpread)),
    timbre: {
      harmonicity: clamp(s.timbre.harmonicity, SOUND_LIMITS.harmonicity, d.timbre.harmonicity),
      modulationIndex: clamp(s.timbre.modulationIndex, SOUND_LIMITS.modulationIndex, d.timbre.modulationIndex),
      decayS: clamp(s.timbre.decayS, SOUND_LIMITS.decayS, d.timbre.decayS),
      brightness: clamp(s.timbre.brightness, SOUND_LIMITS.brightness, d.timbre.brightness),
    },
    reverb: {
      sizeS: clamp(s.reverb.sizeS, SOUND_LIMITS.reverbSizeS, d.reverb.sizeS),
      mix: clamp(s.reverb.mix, SOUND_LIMITS.reverbMix, d.reverb.mix),
    },
    masterVolume: clamp(s.masterVolume, SOUND_LIMITS.masterVolume, d.masterVolume),
    polyphony: Math.round(clamp(s.polyphony, SOUND_LIMITS.polyphony, d.polyphony)),
    retriggerGuardMs: clamp(s.retriggerGuardMs, SOUND_LIMITS.retriggerGuardMs, d.retriggerGuardMs),
    jitterBufferMs: clamp(s.jitterBufferMs, SOUND_LIMITS.jitterBufferMs, d.jitterBufferMs),
  };
}
