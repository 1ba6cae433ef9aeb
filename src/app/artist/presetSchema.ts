// What a preset file is: the artist's look and sound as versioned JSON, its schema (zod/mini, so the
// default preset can be checked on every page load for a few kB), the migrations from older
// versions, and parsePreset(), which either returns a current preset or says what is wrong. Pure.
import { z } from 'zod/mini';
import { describeIssues } from '../../protocol/schema';
import type { KnobLimit } from '../store/knobLimit';
import { defaultSoundSettings, MAX_CUSTOM_SEMITONES, MAX_STATION_ROOTS, SCALE_NAMES, SOUND_LIMITS, type SoundSettings } from '../store/soundSettings';
import { defaultTouchSettings, TOUCH_LIMITS, TOUCH_STYLES, type TouchSettings } from '../store/touchSettings';
import {
  BLEND_MODES,
  CIRCLE_STYLES,
  defaultVisualSettings,
  LAND_STYLES,
  MARKER_STYLES,
  MAX_TOUR_STOPS,
  PROJECTIONS,
  TOUR_STOPS,
  VISUAL_LIMITS,
  type VisualSettings,
} from '../store/visualSettings';

export const PRESET_VERSION = 2;
/** A preset file larger than this is refused before parsing (the real ones are ~1.5 kB). */
export const MAX_PRESET_BYTES = 64 * 1024;

/** A knob's value as its limit allows it: a number (whole if the knob is) from min to max. */
const knob = ({ min, max, whole }: KnobLimit) => (whole ? z.int() : z.number()).check(z.gte(min), z.lte(max));
const color = z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, 'must be a color like #e69f00'));
const presetName = z.string().check(z.minLength(1), z.maxLength(60));

/** Everything of VisualSettings except reducedMotion, which stays the viewer's own choice. */
export type PresetVisual = Omit<VisualSettings, 'reducedMotion'>;

const visualSchema = z.strictObject({
  palette: z.array(color).check(z.minLength(VISUAL_LIMITS.paletteColors.min), z.maxLength(VISUAL_LIMITS.paletteColors.max)),
  background: color,
  circleLifetimeMs: knob(VISUAL_LIMITS.circleLifetimeMs),
  circleMaxRadiusPx: knob(VISUAL_LIMITS.circleMaxRadiusPx),
  circleStartShare: knob(VISUAL_LIMITS.circleStartShare),
  circleGrowthEase: knob(VISUAL_LIMITS.circleGrowthEase),
  circleOpacity: knob(VISUAL_LIMITS.circleOpacity),
  circleStyle: z.enum(CIRCLE_STYLES),
  blendMode: z.enum(BLEND_MODES),
  markerStyle: z.enum(MARKER_STYLES),
  projection: z.enum(PROJECTIONS),
  landStyle: z.enum(LAND_STYLES),
  landColor: color,
  // Added after version 2 shipped: a file without it keeps the kiosk still (no tour).
  tour: z._default(
    z.strictObject({
      stops: z.array(z.enum(TOUR_STOPS)).check(z.maxLength(MAX_TOUR_STOPS)),
      dwellS: knob(VISUAL_LIMITS.tourDwellS),
    }),
    () => structuredClone(defaultVisualSettings.tour),
  ),
});

const soundSchema = z.strictObject({
  scale: z.enum(SCALE_NAMES),
  customSemitones: z.array(knob(SOUND_LIMITS.customSemitone)).check(z.minLength(1), z.maxLength(MAX_CUSTOM_SEMITONES)),
  baseRootMidi: knob(SOUND_LIMITS.rootMidi),
  stationRootOffsets: z.array(knob(SOUND_LIMITS.rootOffsetSemitones)).check(z.minLength(1), z.maxLength(MAX_STATION_ROOTS)),
  octaveSpread: knob(SOUND_LIMITS.octaveSpread),
  timbre: z.strictObject({
    harmonicity: knob(SOUND_LIMITS.harmonicity),
    modulationIndex: knob(SOUND_LIMITS.modulationIndex),
    decayS: knob(SOUND_LIMITS.decayS),
    brightness: knob(SOUND_LIMITS.brightness),
  }),
  reverb: z.strictObject({ sizeS: knob(SOUND_LIMITS.reverbSizeS), mix: knob(SOUND_LIMITS.reverbMix) }),
  masterVolume: knob(SOUND_LIMITS.masterVolume),
  polyphony: knob(SOUND_LIMITS.polyphony),
  retriggerGuardMs: knob(SOUND_LIMITS.retriggerGuardMs),
  jitterBufferMs: knob(SOUND_LIMITS.jitterBufferMs),
});

/** How visitors' touches look and sound. Optional in a file (presets made before touches lack it). */
const touchSchema = z.strictObject({
  style: z.enum(TOUCH_STYLES),
  color,
  sizeScale: knob(TOUCH_LIMITS.sizeScale),
  pitchOffsetSemitones: knob(TOUCH_LIMITS.pitchOffsetSemitones),
  harmonicity: knob(TOUCH_LIMITS.harmonicity),
  level: knob(TOUCH_LIMITS.level),
});

export const presetSchema = z.strictObject({
  version: z.literal(PRESET_VERSION),
  name: z.optional(presetName),
  visual: visualSchema,
  sound: soundSchema,
  touch: z.optional(touchSchema),
});
/** `touch` is always there once parsed: a file without it gets the built-in touch look and voice. */
export type Preset = { version: typeof PRESET_VERSION; name?: string; visual: PresetVisual; sound: SoundSettings; touch: TouchSettings };

/** Version 1, the first panel's flat format: a palette, circle size and life, a scale and a root. */
export const presetV1Schema = z.strictObject({
  version: z.literal(1),
  name: z.optional(presetName),
  palette: z.array(color).check(z.minLength(VISUAL_LIMITS.paletteColors.min), z.maxLength(VISUAL_LIMITS.paletteColors.max)),
  lifetimeMs: knob(VISUAL_LIMITS.circleLifetimeMs),
  maxRadiusPx: knob(VISUAL_LIMITS.circleMaxRadiusPx),
  /** v1 spelled the whole-tone scale 'whole-tone'. */
  scale: z.enum(['pentatonic', 'major', 'minor', 'whole-tone']),
  rootMidi: knob(SOUND_LIMITS.rootMidi),
  reverbMix: knob(SOUND_LIMITS.reverbMix),
  volume: knob(SOUND_LIMITS.masterVolume),
});
export type PresetV1 = z.output<typeof presetV1Schema>;

export function migrateV1(old: PresetV1): Preset {
  return {
    version: 2,
    ...(old.name !== undefined ? { name: old.name } : {}),
    visual: { ...presetVisualOf(defaultVisualSettings), palette: old.palette, circleLifetimeMs: old.lifetimeMs, circleMaxRadiusPx: old.maxRadiusPx },
    sound: {
      ...defaultSoundSettings,
      scale: old.scale === 'whole-tone' ? 'wholeTone' : old.scale,
      baseRootMidi: old.rootMidi,
      reverb: { ...defaultSoundSettings.reverb, mix: old.reverbMix },
      masterVolume: old.volume,
    },
    touch: { ...defaultTouchSettings },
  };
}

/** Each older version: its schema and the step to the current one. */
const MIGRATIONS: Record<number, (value: unknown) => { ok: true; preset: Preset } | { ok: false; error: string }> = {
  1: (value) => {
    const result = presetV1Schema.safeParse(value);
    return result.success ? { ok: true, preset: migrateV1(result.data) } : { ok: false, error: describeIssues(result.error) };
  },
};

export type PresetResult = { ok: true; preset: Preset; migratedFrom?: number } | { ok: false; error: string };

/** A preset from a file's text (or an already parsed value): the current version, or why not. */
export function parsePreset(input: string | unknown): PresetResult {
  let value = input;
  if (typeof input === 'string') {
    if (input.length > MAX_PRESET_BYTES) return { ok: false, error: `the file is larger than ${MAX_PRESET_BYTES / 1024} kB` };
    try {
      value = JSON.parse(input);
    } catch (error) {
      return { ok: false, error: `not valid JSON (${(error as Error).message})` };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'not a preset: expected a JSON object' };
  const version = (value as { version?: unknown }).version;
  if (typeof version !== 'number' || !Number.isInteger(version)) return { ok: false, error: 'version: missing (expected a whole number)' };
  if (version > PRESET_VERSION) return { ok: false, error: `version ${version} is newer than this page understands (${PRESET_VERSION})` };
  if (version < PRESET_VERSION) {
    const migrate = MIGRATIONS[version];
    if (!migrate) return { ok: false, error: `version ${version} is not a preset version this page knows` };
    const migrated = migrate(value);
    return migrated.ok ? { ...migrated, migratedFrom: version } : { ok: false, error: `version ${version}: ${migrated.error}` };
  }
  const result = presetSchema.safeParse(value);
  if (!result.success) return { ok: false, error: describeIssues(result.error) };
  return { ok: true, preset: { ...result.data, touch: result.data.touch ?? { ...defaultTouchSettings } } };
}

export function presetVisualOf(visual: VisualSettings): PresetVisual {
  const { reducedMotion: _viewersOwn, ...rest } = visual;
  return rest;
}

/** The current settings as a preset (what export and save write); no `touch`: the built-in one. */
export function presetOf(state: { visual: VisualSettings; sound: SoundSettings; touch?: TouchSettings }, name?: string): Preset {
  return {
    version: PRESET_VERSION,
    ...(name ? { name } : {}),
    visual: structuredClone(presetVisualOf(state.visual)),
    sound: structuredClone(state.sound),
    touch: { ...(state.touch ?? defaultTouchSettings) },
  };
}

/** Names of presets in links and files: what `?preset=` accepts. */
export const PRESET_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,59}$/i;
