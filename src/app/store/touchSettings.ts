// How a visitor's touch looks and sounds, so nobody mistakes it for weather: one plain object the
// artist tunes and presets carry, with the bounds of each numeric knob stated once (knobLimit.ts).
import type { KnobLimit } from './knobLimit';

/** double: a second, outer ring; halo: a soft glow behind the ring; dashed: a broken ring. */
export const TOUCH_STYLES = ['double', 'halo', 'dashed'] as const;
export type TouchStyle = (typeof TOUCH_STYLES)[number];

export interface TouchSettings {
  /** Shape of a touch's circle (the wind's keeps the visual circleStyle). */
  style: TouchStyle;
  /** Color of the mark that sets a touch apart (the circle itself keeps its chime's color). */
  color: string;
  /** A touch's circle size as a multiple of a wind strike's of the same velocity. */
  sizeScale: number;
  /** A touch sounds this many semitones from the chime's own pitch (12: an octave up). */
  pitchOffsetSemitones: number;
  /** FM harmonicity of a touch's voice (the wind keeps the sound timbre's). */
  harmonicity: number;
  /** A touch's loudness as a share of a wind strike's of the same velocity. */
  level: number;
}

export const TOUCH_LIMITS = {
  sizeScale: { min: 0.25, max: 3, step: 0.05 },
  pitchOffsetSemitones: { min: -24, max: 24, step: 1, whole: true },
  harmonicity: { min: 0.25, max: 8, step: 0.01 },
  level: { min: 0, max: 1, step: 0.01 },
} as const satisfies Record<string, KnobLimit>;

export const defaultTouchSettings: TouchSettings = {
  style: 'double',
  color: '#ffffff',
  sizeScale: 1.2,
  pitchOffsetSemitones: 12,
  harmonicity: 3.01,
  level: 0.7,
};
