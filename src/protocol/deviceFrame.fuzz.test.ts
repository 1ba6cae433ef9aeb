// Property fuzzing of the device frame parser: whatever a device sends, parseDeviceFrame returns a
// result (never throws), accepted strikes are always in range, and valid frames round-trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CHIMES_PER_STATION, MAX_DEVICE_FRAME_BYTES, MAX_STRIKE_AGE_MS } from './limits';
import { parseDeviceFrame, type DeviceFrameResult } from './deviceFrame';

/** A refusal's detail goes back to the device: it must stay short whatever the input was. */
const MAX_DETAIL_CHARS = 400;

function checkResult(result: DeviceFrameResult, chimes: number): void {
  if (!result.ok) {
    expect(typeof result.detail).toBe('string');
    expect(result.detail.length).toBeGreaterThan(0);
    expect(result.detail.length).toBeLessThanOrEqual(MAX_DETAIL_CHARS);
    return;
  }
  expect(result.strikes.length).toBeGreaterThan(0);
  for (const strike of result.strikes) {
    expect(Number.isInteger(strike.chime) && strike.chime >= 0 && strike.chime < chimes).toBe(true);
    expect(strike.v >= 0 && strike.v <= 1).toBe(true);
    expect(strike.age >= 0 && strike.age <= MAX_STRIKE_AGE_MS).toBe(true);
  }
}

const chimes = fc.integer({ min: 1, max: MAX_CHIMES_PER_STATION });
const strike = (maxChime: number) =>
  fc.record({
    chime: fc.integer({ min: 0, max: maxChime - 1 }),
    v: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000)),
    age: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: MAX_STRIKE_AGE_MS })),
  });

/** Text a firmware bug or an attacker might send: near-misses of both syntaxes and pure noise. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom(...'0123456789:.@,\n\r -+eE[]{}"'), maxLength: 80 }),
  fc.json({ maxDepth: 3 }),
  fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify({ chime: value })),
  fc.array(fc.dictionary(fc.constantFrom('chime', 'v', 'age', '__proto__', 'constructor', 'x'), fc.jsonValue({ maxDepth: 1 })), { maxLength: 5 }).map((items) =>
    JSON.stringify(items),
  ),
  fc.string({ unit: fc.constantFrom('[', '{', '"'), minLength: 1, maxLength: MAX_DEVICE_FRAME_BYTES }),
);

describe('parseDeviceFrame under fuzzing', () => {
  it('never throws, and what it accepts is in range', () => {
    fc.assert(
      fc.property(hostileText, chimes, (text, stationChimes) => {
        checkResult(parseDeviceFrame(text, stationChimes), stationChimes);
      }),
      { numRuns: 3_000 },
    );
  });

  it('a valid JSON frame round-trips to the same strikes', () => {
    fc.assert(
      fc.property(
        chimes.chain((n) => fc.tuple(fc.constant(n), fc.array(strike(n), { minLength: 1, maxLength: 20 }), fc.boolean())),
        ([stationChimes, strikes, asArray]) => {
          const text = asArray || strikes.length > 1 ? JSON.stringify(strikes) : JSON.stringify(strikes[0]);
          expect(parseDeviceFrame(text, stationChimes)).toEqual({ ok: true, strikes: asArray || strikes.length > 1 ? strikes : [strikes[0]] });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a valid compact frame round-trips to the same strikes', () => {
    fc.assert(
      fc.property(
        chimes.chain((n) => fc.tuple(fc.constant(n), fc.array(strike(n), { minLength: 1, maxLength: 20 }), fc.constantFrom(',', '\n', '\r\n'))),
        ([stationChimes, strikes, separator]) => {
          const text = strikes.map((s) => `${s.chime}:${s.v}@${s.age}`).join(separator);
          expect(parseDeviceFrame(text, stationChimes)).toEqual({ ok: true, strikes });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('one bad item refuses the whole frame', () => {
    fc.assert(
      fc.property(
        fc.array(strike(6), { minLength: 1, maxLength: 10 }),
        fc.nat(),
        fc.constantFrom('6', '-1', '1.5', 'x', '1:2', '1@60001', ''),
        (strikes, at, bad) => {
          const items = strikes.map((s) => `${s.chime}:${s.v}@${s.age}`);
          items.splice(at % (items.length + 1), 0, bad);
          const result = parseDeviceFrame(items.join(','), 6);
          if (bad === '') expect(result.ok).toBe(true); // empty items between separators are skipped
          else expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});
