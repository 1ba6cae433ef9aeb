// Property fuzzing of webhook bodies and event-stream data: parseCloudEventJson turns any text into
// an event or a detail naming the problem, never an exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCloudEventJson } from './cloudEvent';

const validEvent = fc.record({
  event: fc.string({ minLength: 1, maxLength: 64 }),
  data: fc.oneof(fc.constant(null), fc.string({ maxLength: 1024 }), fc.stringMatching(/^[0-5](:0\.\d)?(@\d{1,4})?(,[0-5])*$/)),
  coreid: fc.string({ minLength: 1, maxLength: 64 }),
  published_at: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
});

const mutated = fc
  .tuple(validEvent, fc.constantFrom('event', 'data', 'coreid', 'published_at', 'ttl', '__proto__'), fc.jsonValue({ maxDepth: 2 }))
  .map(([event, key, value]) => JSON.stringify({ ...event, [key]: value }));

const hostileBody = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.json({ maxDepth: 4 }),
  mutated,
  validEvent.map((event) => JSON.stringify(event)),
);

describe('parseCloudEventJson under fuzzing', () => {
  it('never throws; what it accepts has a name, a device, a payload and a real publish time', () => {
    fc.assert(
      fc.property(hostileBody, fc.option(fc.string({ maxLength: 64 }), { nil: undefined }), (body, sseName) => {
        const result = parseCloudEventJson(body, sseName);
        if (!result.ok) {
          expect(result.detail.length).toBeGreaterThan(0);
          return;
        }
        expect(result.event.name.length).toBeGreaterThan(0);
        expect(result.event.coreid.length).toBeGreaterThan(0);
        expect(typeof result.event.payload).toBe('string');
        expect(Number.isFinite(result.event.publishedAt)).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });

  it('a valid webhook body round-trips', () => {
    fc.assert(
      fc.property(validEvent, (event) => {
        expect(parseCloudEventJson(JSON.stringify(event))).toEqual({
          ok: true,
          event: { name: event.event, payload: event.data ?? '', coreid: event.coreid, publishedAt: Date.parse(event.published_at) },
        });
      }),
      { numRuns: 500 },
    );
  });
});
