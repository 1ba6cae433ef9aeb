// What a preset file is: the artist's look and sound as versioned JSON, its schema (zod/mini, so the
// default preset can be checked on every page load for a few kB), the migrations from older
// versions, and parsePreset(), which either returns a current preset or says what is wrong. Pure.
import { z } from 'zod/mini';
import { describeIssues } from '../../protocol/schema';
import { defaultSoundSettings, SOUND_LIMITS, type SoundSettings } from '../audio/soundSettings';
import {
  BLEND_MODES,
  CIRCLE_STYLES,
  defaultVisualSettings,
  LAND_STYLES,
  MARKER_STYLES,
  PROJECTIONS,
  VISUAL_LIMITS,
  type VisualSettings,
} from '../visual/visualSettings';

export const PRESET_VERSION = 2;
/** A preset file larger than this is refused before parsing (the real ones are ~1.5 kB). */
export const MAX_PRESET_BYTES = 64 * 1024;
/** Station root offsets a preset may carry, and how far (semitones) each may move the root. */
export const MAX_STATION_ROOTS = 64;
export const MAX_ROOT_OFFSET_SEMITONES = 24;

const numberIn = ([min, max]: readonly [number, number]) => z.number().check(z.gte(min), z.lte(max));
const intIn = ([min, max]: readonly [number, number]) => z.int().check(z.gte(min), z.lte(max));
const color = z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, 'must be a color like #e69f00'));
const presetName = z.string().check(z.minLength(1), z.maxLength(60));

/** Everything of VisualSettings except reducedMotion, which stays the viewer's own choice. */
export type PresetVisual = Omit<VisualSettings, 'reducedMotion'>;

const visualSchema = z.strictObject({
  palette: z.array(color).check(z.minLength(VISUAL_LIMITS.paletteColors[0]), z.maxLength(VISUAL_LIMITS.paletteColors[1])),
  background: color,
  circleLifetimeMs: numberIn(VISUAL_LIMITS.circleLifetimeMs),
  circleMaxRadiusPx: numberIn(VISUAL_LIMITS.circleMaxRadiusPx),
  circleStartShare: numberIn(VISUAL_LIMITS.circleStartShare),
  circleGrowthEase: numberIn(VISUAL_LIMITS.circleGrowthEase),
  circleOpacity: numberIn(VISUAL_LIMITS.circleOpacity),
  circleStyle: z.enum(CIRCLE_STYLES),
  blendMode: z.enum(BLEND_MODES),
  markerStyle: z.enum(MARKER_STYLES),
  projection: z.enum(PROJECTIONS),
  landStyle: z.enum(LAND_STYLES),
  landColor: color,
});

const soundSchema = z.strictObject({
  scale: z.enum(['pentatonic', 'major', 'minor', 'wholeTone', 'custom']),
  customSemitones: z.array(intIn([0, 11])).check(z.minLength(1), z.maxLength(12)),
  baseRootMidi: intIn(SOUND_LIMITS.rootMidi),
  stationRootOffsets: z
    .array(intIn([-MAX_ROOT_OFFSET_SEMITONES, MAX_ROOT_OFFSET_SEMITONES]))
    .check(z.minLength(1), z.maxLength(MAX_STATION_ROOTS)),
  octaveSpread: intIn(SOUND_LIMITS.octaveSpread),
  timbre: z.strictObject({
    harmonicity: numberIn(SOUND_LIMITS.harmonicity),
    modulationIndex: numberIn(SOUND_LIMITS.modulationIndex),
    decayS: numberIn(SOUND_LIMITS.decayS),
    brightness: numberIn(SOUND_LIMITS.brightness),
  }),
  reverb: z.strictObject({ sizeS: numberIn(SOUND_LIMITS.reverbSizeS), mix: numberIn(SOUND_LIMITS.reverbMix) }),
  masterVolume: numberIn(SOUND_LIMITS.masterVolume),
  polyphony: intIn(SOUND_LIMITS.polyphony),
  retriggerGuardMs: numberIn(SOUND_LIMITS.retriggerGuardMs),
  jitterBufferMs: numberIn(SOUND_LIMITS.jitterBufferMs),
});

export const presetSchema = z.strictObject({
  version: z.literal(PRESET_VERSION),
  name: z.optional(presetName),
  visual: visualSchema,
  sound: soundSchema,
});
export type Preset = { version: typeof PRESET_VERSION; name?: string; visual: PresetVisual; sound: SoundSettings };

/** Version 1, the first panel's flat format: a palette, circle size and life, a scale and a root. */
export const presetV1Schema = z.strictObject({
  version: z.literal(1),
  name: z.optional(presetName),
  palette: z.array(color).check(z.minLength(1), z.maxLength(16)),
  lifetimeMs: numberIn(VISUAL_LIMITS.circleLifetimeMs),
  maxRadiusPx: numberIn(VISUAL_LIMITS.circleMaxRadiusPx),
  /** v1 spelled the whole-tone scale 'whole-tone'. */
  scale: z.enum(['pentatonic', 'major', 'minor', 'whole-tone']),
  rootMidi: intIn(SOUND_LIMITS.rootMidi),
  reverbMix: numberIn(SOUND_LIMITS.reverbMix),
  volume: numberIn(SOUND_LIMITS.masterVolume),
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
  return result.success ? { ok: true, preset: result.data } : { ok: false, error: describeIssues(result.error) };
}

export function presetVisualOf(visual: VisualSettings): PresetVisual {
  const { reducedMotion: _viewersOwn, ...rest } = visual;
  return rest;
}

/** The current settings as a preset (what export and save write). */
export function presetOf(state: { visual: VisualSettings; sound: SoundSettings }, name?: string): Preset {
  return {
    version: PRESET_VERSION,
    ...(name ? { name } : {}),
    visual: structuredClone(presetVisualOf(state.visual)),
    sound: structuredClone(state.sound),
  };
}

/** Names of presets in links and files: what `?preset=` accepts. */
export const PRESET_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,59}$/i;
