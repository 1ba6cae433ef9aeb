// Every knob of the chime sound, as one plain serializable object: the artist-mode panel binds to
// it, the page persists it, and the engine applies changes without a glitch (parameters ramp). The
// limits below are the only statement of each knob's bounds (see knobLimit.ts).
import type { KnobLimit } from './knobLimit';

export const SCALE_NAMES = ['pentatonic', 'major', 'minor', 'wholeTone', 'custom'] as const;
export type ScaleName = (typeof SCALE_NAMES)[number];

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

/**
 * Bounds and panel step of each numeric sound knob. A preset outside them is refused; a value
 * reaching the engine is clamped into them; the panel's sliders span them.
 */
export const SOUND_LIMITS = {
  /** The base root, and each station's root (base + offset) in the panel. */
  rootMidi: { min: 24, max: 96, step: 1, whole: true },
  /** How far one station's root may sit from the base root, semitones. */
  rootOffsetSemitones: { min: -24, max: 24, step: 1, whole: true },
  /** One step of a custom scale, semitones above the root. */
  customSemitone: { min: 0, max: 11, step: 1, whole: true },
  octaveSpread: { min: 1, max: 4, step: 1, whole: true },
  harmonicity: { min: 0.25, max: 8, step: 0.01 },
  modulationIndex: { min: 0, max: 20, step: 0.1 },
  decayS: { min: 0.1, max: 12, step: 0.1 },
  brightness: { min: 0, max: 1, step: 0.01 },
  reverbSizeS: { min: 0.1, max: 10, step: 0.1 },
  reverbMix: { min: 0, max: 1, step: 0.01 },
  masterVolume: { min: 0, max: 1, step: 0.01 },
  polyphony: { min: 1, max: 128, step: 1, whole: true },
  retriggerGuardMs: { min: 0, max: 1000, step: 5 },
  jitterBufferMs: { min: 0, max: 5000, step: 10 },
} as const satisfies Record<string, KnobLimit>;

/** Station root offsets a preset may carry (and the panel shows). */
export const MAX_STATION_ROOTS = 64;
/** Steps a custom scale may have: one per semitone of the octave. */
export const MAX_CUSTOM_SEMITONES = 12;
