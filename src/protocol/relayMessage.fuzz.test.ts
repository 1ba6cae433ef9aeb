// Property fuzzing of the page's parser: any text from the socket becomes a message or a reason,
// never an exception, and every message the relay can send parses back to itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CHIMES_PER_STATION, MAX_MESSAGES_PER_VIEWER_FRAME, PROTOCOL_VERSION } from './limits';
import { parseRelayFrame, parseRelayMessage } from './relayMessage';
import { stationNameSchema, type RelayMessage, type Station } from './schema';

const stationId = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,39}$/);
const station: fc.Arbitrary<Station> = fc.record({
  id: stationId,
  name: fc.string({ minLength: 1, maxLength: 80 }).filter((name) => stationNameSchema.safeParse(name).success),
  lat: fc.double({ min: -90, max: 90, noNaN: true }),
  lon: fc.double({ min: -180, max: 180, noNaN: true }),
  chimes: fc.integer({ min: 1, max: MAX_CHIMES_PER_STATION }),
  online: fc.boolean(),
  lastSeen: fc.option(fc.integer({ min: 0 }), { nil: null }),
});
const seq = fc.maxSafeNat();
const validMessage: fc.Arbitrary<RelayMessage> = fc.oneof(
  fc.record({
    type: fc.constant('hello' as const),
    protocol: fc.constant(PROTOCOL_VERSION),
    epoch: fc.string({ minLength: 1, maxLength: 64 }),
    seq,
    now: fc.integer({ min: 0 }),
    stations: fc.array(station, { maxLength: 5 }),
    viewers: fc.nat(),
  }),
  fc.record({
    type: fc.constant('strike' as const),
    seq,
    station: stationId,
    chime: fc.integer({ min: 0, max: MAX_CHIMES_PER_STATION - 1 }),
    v: fc.double({ min: 0, max: 1, noNaN: true }),
    t: fc.integer({ min: 0 }),
  }),
  fc.record({ type: fc.constant('station' as const), station }),
  fc.record({ type: fc.constant('presence' as const), viewers: fc.nat() }),
  fc.record({ type: fc.constant('error' as const), code: fc.constantFrom('bad_message' as const, 'rate_limited' as const) }),
);

/** A valid message with one field replaced by anything JSON can carry. */
const mutated = fc.tuple(validMessage, fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })).map(([message, key, value]) => {
  const keys = Object.keys(message);
  const field = keys.includes(key) ? key : keys[key.length % keys.length]!;
  return JSON.stringify({ ...message, [field]: value });
});

const hostileText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 4 }),
  mutated,
  fc.constantFrom('null', '[]', '"hello"', '{"type":null}', '{"type":"__proto__"}', '{"type":"hello","protocol":"1"}', '{"__proto__":{"type":"strike"}}'),
);

describe('parseRelayMessage under fuzzing', () => {
  it('never throws: every text becomes a message or a reason with a detail', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const result = parseRelayMessage(text);
        if (result.ok) expect(['hello', 'strike', 'station', 'presence', 'error']).toContain(result.message.type);
        else {
          expect(['invalid_json', 'invalid_message', 'unknown_type', 'incompatible_protocol']).toContain(result.reason);
          expect(result.detail.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it('every message the relay can send parses back to itself', () => {
    fc.assert(
      fc.property(validMessage, (message) => {
        const text = JSON.stringify(message);
        expect(parseRelayMessage(text)).toEqual({ ok: true, message: JSON.parse(text) });
      }),
      { numRuns: 1_000 },
    );
  });

  it('a strike with any field out of range is refused, not passed to the page', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ seq: fc.integer({ max: -1 }) }),
          fc.record({ chime: fc.integer({ min: MAX_CHIMES_PER_STATION }) }),
          fc.record({ v: fc.double({ min: 1.0000001, noNaN: true }) }),
          fc.record({ station: fc.constantFrom('', 'UPPER', '-lead', 'a'.repeat(41), '<script>') }),
        ),
        (bad) => {
          const result = parseRelayMessage(JSON.stringify({ type: 'strike', seq: 1, station: 'x', chime: 0, v: 1, t: 0, ...bad }));
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a hello from another protocol version is refused as incompatible, naming both versions', () => {
    fc.assert(
      fc.property(fc.integer().filter((n) => n !== PROTOCOL_VERSION), (protocol) => {
        const result = parseRelayMessage(JSON.stringify({ type: 'hello', protocol }));
        expect(result).toMatchObject({ ok: false, reason: 'incompatible_protocol', protocol });
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseRelayFrame (a /live frame: one message, or a batch for `batch=1` viewers) under fuzzing', () => {
  it('a batch the relay can send gives back every message, in order', () => {
    fc.assert(
      fc.property(fc.array(validMessage, { minLength: 1, maxLength: 20 }), (messages) => {
        const text = `[${messages.map((message) => JSON.stringify(message)).join(',')}]`;
        expect(parseRelayFrame(text)).toEqual(messages.map((message) => ({ ok: true, message: JSON.parse(JSON.stringify(message)) })));
      }),
      { numRuns: 300 },
    );
  });

  it('a single message is the same as parseRelayMessage gives, as a list of one', () => {
    fc.assert(
      fc.property(hostileText.filter((text) => !text.trimStart().startsWith('[')), (text) => {
        expect(parseRelayFrame(text)).toEqual([parseRelayMessage(text)]);
      }),
      { numRuns: 1_000 },
    );
  });

  it('a bad message inside a batch is refused alone: the good ones around it still come through', () => {
    fc.assert(
      fc.property(fc.array(validMessage, { minLength: 1, maxLength: 6 }), fc.nat(), mutated, (messages, at, bad) => {
        const badAt = at % (messages.length + 1);
        const texts = messages.map((message) => JSON.stringify(message));
        texts.splice(badAt, 0, bad);
        const results = parseRelayFrame(`[${texts.join(',')}]`);
        expect(results).toHaveLength(texts.length);
        results.forEach((result, index) => {
          if (index !== badAt) expect(result.ok).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('never throws; an empty or oversized array is one refusal saying the bounds', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }), (values) => {
        const results = parseRelayFrame(JSON.stringify(values));
        expect(results.length).toBeGreaterThan(0);
        for (const result of results) if (!result.ok) expect(result.detail.length).toBeGreaterThan(0);
      }),
      { numRuns: 1_000 },
    );
    expect(parseRelayFrame('[]')).toEqual([{ ok: false, reason: 'invalid_batch', detail: `a batch holds 1 to ${MAX_MESSAGES_PER_VIEWER_FRAME} messages, not 0` }]);
    const presence = JSON.stringify({ type: 'presence', viewers: 1 });
    const tooMany = `[${Array.from({ length: MAX_MESSAGES_PER_VIEWER_FRAME + 1 }, () => presence).join(',')}]`;
    expect(parseRelayFrame(tooMany)).toMatchObject([{ ok: false, reason: 'invalid_batch' }]);
    const most = `[${Array.from({ length: MAX_MESSAGES_PER_VIEWER_FRAME }, () => presence).join(',')}]`;
    expect(parseRelayFrame(most).every((result) => result.ok)).toBe(true);
  });
});
