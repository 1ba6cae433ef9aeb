import { describe, expect, it } from 'vitest';
import { parentOriginFrom, parseEmbedCommand } from './messages';

describe('parseEmbedCommand', () => {
  it('accepts the five commands', () => {
    for (const command of [
      { type: 'aeolian:mute' },
      { type: 'aeolian:unmute' },
      { type: 'aeolian:volume', volume: 0.25 },
      { type: 'aeolian:station', station: 'chicago' },
      { type: 'aeolian:station', station: null },
      { type: 'aeolian:buttons', enabled: false },
      { type: 'aeolian:buttons', enabled: true },
    ]) {
      expect(parseEmbedCommand(command)).toEqual({ ok: true, command });
    }
  });

  it('refuses malformed commands of ours with a readable error', () => {
    const cases: [unknown, RegExp][] = [
      [{ type: 'aeolian:volume', volume: 7 }, /aeolian:volume: .* at volume/],
      [{ type: 'aeolian:volume', volume: 'loud' }, /at volume/],
      [{ type: 'aeolian:volume' }, /at volume/],
      [{ type: 'aeolian:station', station: '<img src=x>' }, /at station/],
      [{ type: 'aeolian:mute', extra: true }, /aeolian:mute/],
      [{ type: 'aeolian:explode' }, /aeolian:explode/],
      [{ type: 'aeolian:buttons', enabled: 'no' }, /aeolian:buttons: .* at enabled/],
      [{ type: 'aeolian:buttons' }, /at enabled/],
    ];
    for (const [data, error] of cases) {
      const parsed = parseEmbedCommand(data);
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.error).toMatch(error);
    }
  });

  it('ignores, without an error, messages that are not ours', () => {
    for (const data of ['aeolian:mute', null, 42, { type: 'webpackOk' }, { volume: 1 }]) {
      expect(parseEmbedCommand(data)).toEqual({ ok: false, error: null });
    }
  });
});

describe('parentOriginFrom', () => {
  it('takes an origin, and refuses a URL with a path or nonsense rather than trusting anyone', () => {
    expect(parentOriginFrom(new URLSearchParams(''))).toEqual({ origin: null });
    expect(parentOriginFrom(new URLSearchParams('parent=https://example.org'))).toEqual({ origin: 'https://example.org' });
    expect(parentOriginFrom(new URLSearchParams('parent=http://127.0.0.1:8080/'))).toEqual({ origin: 'http://127.0.0.1:8080' });
    expect(parentOriginFrom(new URLSearchParams('parent=https://example.org/page'))).toHaveProperty('error');
    expect(parentOriginFrom(new URLSearchParams('parent=*'))).toHaveProperty('error');
  });
});
