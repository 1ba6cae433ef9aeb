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
