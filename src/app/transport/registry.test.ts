import { describe, expect, it } from 'vitest';
import { addressNotice, createTransport, unknownSourceNotice } from './registry';

const location = { protocol: 'https:', host: 'chimes.example' };
const params = (query: string) => new URLSearchParams(query);

describe('transport registry', () => {
  it('picks the transport named by ?source=, relay by default', () => {
    expect(createTransport(params(''), location).label).toBe('relay');
    expect(createTransport(params('source=sim'), location).label).toBe('simulation');
    expect(createTransport(params('source=replay&url=x.ndjson'), location).label).toBe('replay');
  });

  it('says so when ?source= names nothing, and uses the relay', () => {
    expect(createTransport(params('source=weather'), location).label).toBe('relay');
    expect(unknownSourceNotice(params('source=weather'))).toMatch(/Unknown source "weather".*relay, sim, replay/);
    expect(unknownSourceNotice(params('source=sim'))).toBeNull();
    // Names an object has from its prototype are no sources either.
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(createTransport(params(`source=${name}`), location).label).toBe('relay');
      expect(unknownSourceNotice(params(`source=${name}`))).toMatch(/^Unknown source/);
    }
  });

  it('says so when ?speed= is no number above 0, and plays at 1x', () => {
    expect(addressNotice(params('source=sim&speed=abc'))).toBe('Speed "abc" is not a number above 0: playing at 1× (try &speed=10).');
    for (const bad of ['', '0', '-2', 'Infinity', 'NaN']) expect(addressNotice(params(`source=sim&speed=${bad}`))).toMatch(/^Speed ".*" is not a number/);
    expect(addressNotice(params('source=sim&speed=2.5'))).toBeNull();
    expect(addressNotice(params('source=sim'))).toBeNull();
    expect(addressNotice(params('source=sim&speed=x'))).toMatch(/^Speed "x"/);
  });

  it('says that a speed does nothing to the live relay, which plays strikes as they arrive', () => {
    const live = 'A speed (&speed=) changes only the simulation and replays: live strikes play as they arrive.';
    expect(addressNotice(params('speed=3'))).toBe(live);
    expect(addressNotice(params('source=relay&speed=abc'))).toBe(live);
    // An unknown source falls back to the relay: both are said.
    expect(addressNotice(params('source=weather&speed=3'))).toMatch(/^Unknown source "weather".* A speed \(&speed=\) changes only/);
    expect(addressNotice(params(''))).toBeNull();
    expect(addressNotice(params('source=relay'))).toBeNull();
  });

  it("says what speed plays when ?speed= is out of the source's range, and plays that", () => {
    expect(addressNotice(params('source=sim&speed=500'))).toBe("Speed 500× is above this source's fastest: playing at 100×.");
    const hour = 'from=2025-11-25T14:00:00Z&to=2025-11-25T15:00:00Z';
    expect(addressNotice(params(`source=replay&${hour}&speed=90`))).toBe("Speed 90× is above this source's fastest: playing at 60×.");
    expect(createTransport(params(`source=replay&${hour}&speed=90`), location).replay?.speed).toBe(60);
    expect(createTransport(params('source=replay&url=/r.ndjson&speed=90'), location).replay?.speed).toBe(90);
    expect(addressNotice(params('source=replay&url=/r.ndjson&speed=90'))).toBeNull();
  });
});
