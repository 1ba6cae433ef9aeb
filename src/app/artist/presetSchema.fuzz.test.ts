// Property fuzzing of preset files: whatever a user loads (a shipped preset bent out of shape, an
// old version, noise), parsePreset returns a preset or an error message, never an exception, and
// what it accepts is a current-version preset that parses back to itself.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESET_VERSION, parsePreset } from './presetSchema';

const shipped = ['default', 'night', 'glass'].map((name) => JSON.parse(readFileSync(new URL(`../../../public/presets/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>);
const v1 = JSON.parse(readFileSync(new URL('./fixtures/preset-v1.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const known = [...shipped, v1];

/** Replaces one value somewhere in the preset (top level or one level down) with anything JSON can carry. */
const bent = fc
  .tuple(fc.constantFrom(...known), fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 2 }))
  .map(([preset, i, j, value]) => {
    const copy = structuredClone(preset);
    const keys = Object.keys(copy);
    const key = keys[i % keys.length]!;
    const inner = copy[key];
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      const innerKeys = Object.keys(inner);
      if (innerKeys.length) (inner as Record<string, unknown>)[innerKeys[j % innerKeys.length]!] = value;
    } else copy[key] = value;
    return copy;
  });

const hostile = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.json({ maxDepth: 4 }),
  bent.map((preset) => JSON.stringify(preset)),
  bent,
  fc.anything({ maxDepth: 3 }),
);

describe('parsePreset under fuzzing', () => {
  it('never throws: a preset of the current version, or an error message', () => {
    fc.assert(
      fc.property(hostile, (input) => {
        const result = parsePreset(input);
        if (!result.ok) {
          expect(typeof result.error).toBe('string');
          expect(result.error.length).toBeGreaterThan(0);
          return;
        }
        expect(result.preset.version).toBe(PRESET_VERSION);
        // Presets travel as JSON files: what is accepted round-trips through JSON unchanged (compared
        // as JSON, where -0 and 0 are the same number).
        const again = parsePreset(JSON.stringify(result.preset));
        expect(again.ok).toBe(true);
        const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
        expect(again.ok && asJson(again.preset)).toEqual(asJson(result.preset));
      }),
      { numRuns: 2_000 },
    );
  });

  it('the shipped presets and the v1 fixture are accepted as they are', () => {
    for (const preset of known) expect(parsePreset(JSON.stringify(preset)).ok).toBe(true);
  });
});
