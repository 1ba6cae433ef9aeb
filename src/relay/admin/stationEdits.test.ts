import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../stations/tokens';
import { createStation, rotateToken, updateStation } from './stationEdits';

const oslo = { id: 'oslo', name: 'Oslo', lat: 59.9, lon: 10.7, chimes: 5, tokenSha256: sha256Hex('t'), particleId: 'p-oslo' };

describe('station edits', () => {
  it('create returns a token once and stores only its hash', () => {
    const result = createStation({ id: 'lima', name: 'Lima', lat: -12, lon: -77, chimes: 6 }, [oslo]);
    if (!result.ok) throw new Error(result.error);
    expect(result.value.config.tokenSha256).toBe(sha256Hex(result.value.token));
    expect(JSON.stringify(result.value.config)).not.toContain(result.value.token);
  });

  it('refuses bad or conflicting input, naming the field', () => {
    expect(createStation({ id: 'oslo', name: 'x', lat: 0, lon: 0, chimes: 1 }, [oslo])).toMatchObject({ ok: false, error: expect.stringMatching(/^id:/) });
    expect(createStation({ id: 'x', name: 'x', lat: 95, lon: 0, chimes: 1 }, [])).toMatchObject({ ok: false, error: expect.stringMatching(/^lat:/) });
    expect(createStation({ id: 'x', name: 'x', lat: 0, lon: 0, chimes: 1, tokenSha256: 'a'.repeat(64) }, [])).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^tokenSha256:/),
    });
    expect(createStation({ id: 'x', name: 'x', lat: 0, lon: 0, chimes: 1, particleId: 'p-oslo' }, [oslo])).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^particleId:/),
    });
    expect(updateStation(oslo, { chimes: 0 }, [oslo])).toMatchObject({ ok: false, error: expect.stringMatching(/^chimes:/) });
    expect(updateStation(oslo, { id: 'other' }, [oslo])).toMatchObject({ ok: false, error: expect.stringMatching(/^id:/) });
  });

  it.each([
    ['a bell (control character)', 'Lima\u0007'],
    ['an escape sequence', '\u001b[31mLima\u001b[0m'],
    ['a right-to-left override', 'Lima \u202Eharbour'],
    ['a line break', 'Lima\nharbour'],
    ['whitespace only', ' \t\u00a0 '],
  ])('refuses a name with %s, on create and on update, saying why', (_what, name) => {
    const why = /^name: (must not contain control or bidirectional-override characters|must have a visible character)/;
    expect(createStation({ id: 'lima', name, lat: 0, lon: 0, chimes: 1 }, [])).toMatchObject({ ok: false, error: expect.stringMatching(why) });
    expect(updateStation(oslo, { name }, [oslo])).toMatchObject({ ok: false, error: expect.stringMatching(why) });
  });

  it('accepts names in any script, with accents and emoji', () => {
    for (const name of ['São Paulo', 'القاهرة', '東京', 'Oslo 🌬️', 'Łódź']) expect(updateStation(oslo, { name }, [oslo]).ok, name).toBe(true);
  });

  it('refuses a device id with control characters or spaces', () => {
    expect(updateStation(oslo, { particleId: 'e00f\u001b[2J' }, [oslo])).toMatchObject({ ok: false, error: expect.stringMatching(/^particleId:/) });
    expect(updateStation(oslo, { particleId: 'e00f abc' }, [oslo])).toMatchObject({ ok: false, error: expect.stringMatching(/^particleId:/) });
  });

  it('update changes only the given fields; null clears the device id', () => {
    const result = updateStation(oslo, { name: 'Oslo harbour', muted: true, particleId: null }, [oslo]);
    expect(result).toEqual({ ok: true, value: { ...oslo, name: 'Oslo harbour', muted: true, particleId: undefined } });
  });

  it('rotate makes a different token', () => {
    const rotated = rotateToken(oslo);
    expect(rotated.config.tokenSha256).not.toBe(oslo.tokenSha256);
    expect(rotated.config.tokenSha256).toBe(sha256Hex(rotated.token));
  });
});
