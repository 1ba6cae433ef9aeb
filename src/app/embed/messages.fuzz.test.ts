// Property fuzzing of the embed's postMessage commands: any value a parent page posts is a command,
// a readable error (ours but malformed), or silently not ours — never an exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMBED_MESSAGE_PREFIX, parseEmbedCommand } from './messages';

const ours = fc.record(
  {
    type: fc.oneof(fc.constantFrom('aeolian:mute', 'aeolian:unmute', 'aeolian:volume', 'aeolian:station', 'aeolian:'), fc.string().map((s) => `aeolian:${s}`)),
    volume: fc.jsonValue({ maxDepth: 1 }),
    station: fc.jsonValue({ maxDepth: 1 }),
    extra: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: ['type'] },
);

describe('parseEmbedCommand under fuzzing', () => {
  it('never throws, and only messages typed aeolian:* are ours', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything({ maxDepth: 3 }), ours), (data) => {
        const result = parseEmbedCommand(data);
        const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
        const isOurs = typeof type === 'string' && type.startsWith(EMBED_MESSAGE_PREFIX);
        if (!isOurs) expect(result).toEqual({ ok: false, error: null });
        else if (!result.ok) expect(result.error).toMatch(/^aeolian:/);
        else expect(result.command.type).toBe(type);
      }),
      { numRuns: 3_000 },
    );
  });
});
