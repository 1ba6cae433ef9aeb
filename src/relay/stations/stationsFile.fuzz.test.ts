// Property fuzzing of the stations file parser: any file content either parses to stations or
// stops start-up with a StationsFileError naming the file — never another exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CHIMES_PER_STATION, stationNameSchema } from '../../protocol';
import { StationsFileError, parseStationsFile } from './stationsFile';

const PATH = 'config/stations.json';

const validEntry = fc.record(
  {
    id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,39}$/),
    name: fc.string({ minLength: 1, maxLength: 80 }).filter((name) => stationNameSchema.safeParse(name).success),
    lat: fc.double({ min: -90, max: 90, noNaN: true }),
    lon: fc.double({ min: -180, max: 180, noNaN: true }),
    chimes: fc.integer({ min: 1, max: MAX_CHIMES_PER_STATION }),
    tokenSha256: fc.stringMatching(/^[0-9a-f]{64}$/),
    muted: fc.boolean(),
    strikesPerSecond: fc.integer({ min: 1, max: 100_000 }),
    burst: fc.integer({ min: 1, max: 1_000_000 }),
  },
  { requiredKeys: ['id', 'name', 'lat', 'lon', 'chimes', 'tokenSha256'] },
);

const mutatedEntry = fc.tuple(validEntry, fc.constantFrom('id', 'name', 'lat', 'lon', 'chimes', 'tokenSha256', 'burst', 'extra', '__proto__'), fc.jsonValue({ maxDepth: 2 })).map(
  ([entry, key, value]) => JSON.parse(JSON.stringify({ ...entry, [key]: value })) as unknown,
);

const hostileFile = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.json({ maxDepth: 4 }),
  fc.array(fc.oneof(validEntry, mutatedEntry, fc.jsonValue({ maxDepth: 2 })), { maxLength: 6 }).map((entries) => JSON.stringify(entries)),
);

describe('parseStationsFile under fuzzing', () => {
  it('throws nothing but a StationsFileError that names the file', () => {
    fc.assert(
      fc.property(hostileFile, (text) => {
        try {
          const stations = parseStationsFile(text, PATH);
          expect(Array.isArray(stations)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(StationsFileError);
          expect((error as Error).message.startsWith(`${PATH}: `)).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('a file of valid entries with distinct ids and tokens parses to exactly those entries', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(validEntry, { maxLength: 8, selector: (entry) => entry.id }).filter(
          (entries) => new Set(entries.map((e) => e.tokenSha256)).size === entries.length,
        ),
        (entries) => {
          const text = JSON.stringify(entries);
          expect(parseStationsFile(text, PATH)).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 300 },
    );
  });
});
