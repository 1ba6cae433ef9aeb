import { describe, expect, it } from 'vitest';
import { parseStationsFile } from './stationsFile';
import { sha256Hex } from './tokens';

const good = { id: 'chicago', name: 'Chicago', lat: 41.88, lon: -87.63, chimes: 6, tokenSha256: sha256Hex('t1') };

describe('parseStationsFile', () => {
  it('reads a valid file', () => {
    expect(parseStationsFile(JSON.stringify([good]), 's.json')).toEqual([good]);
  });

  it('names the entry and the field of a bad entry', () => {
    const bad = [good, { ...good, id: 'tokyo', tokenSha256: sha256Hex('t2'), lat: 123 }];
    expect(() => parseStationsFile(JSON.stringify(bad), 's.json')).toThrow(/s\.json: entry 1 \("tokyo"\): lat: /);
  });

  it('refuses duplicate ids, a shared token, non-arrays and broken JSON', () => {
    expect(() => parseStationsFile(JSON.stringify([good, { ...good, tokenSha256: sha256Hex('x') }]), 'f')).toThrow(/duplicate station id/);
    expect(() => parseStationsFile(JSON.stringify([good, { ...good, id: 'other' }]), 'f')).toThrow(/tokenSha256: same token/);
    expect(() => parseStationsFile('{}', 'f')).toThrow(/JSON array/);
    expect(() => parseStationsFile('[', 'f')).toThrow(/not valid JSON/);
  });

  it('refuses a name with control or bidi-override characters, naming the entry and the field', () => {
    expect(() => parseStationsFile(JSON.stringify([{ ...good, name: '\u001b]0;owned\u0007Chicago' }]), 's.json')).toThrow(
      /s\.json: entry 0 \("chicago"\): name: must not contain control or bidirectional-override characters/,
    );
    expect(() => parseStationsFile(JSON.stringify([{ ...good, name: '\u202Eogacihc' }]), 's.json')).toThrow(/entry 0 \("chicago"\): name: /);
    expect(() => parseStationsFile(JSON.stringify([{ ...good, name: '   ' }]), 's.json')).toThrow(/name: must have a visible character/);
  });

  it('refuses a plaintext token in place of its hash', () => {
    expect(() => parseStationsFile(JSON.stringify([{ ...good, tokenSha256: 'secret' }]), 'f')).toThrow(/tokenSha256: must be 64/);
  });
});
