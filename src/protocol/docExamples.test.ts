import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDeviceFrame, parseDeviceMessage } from './deviceFrame';
import { parseRelayFrame, parseRelayMessage } from './relayMessage';
import { parseDeviceCapabilities } from './striker';
import { parseTouchRequest, parseTouchServerMessage } from './touch';

const KINDS = ['device-frame', 'device-status', 'device-capabilities', 'relay-message', 'relay-frame', 'touch-request', 'touch-reply'] as const;
type Kind = (typeof KINDS)[number];

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(new RegExp(`\`\`\`(${KINDS.join('|')}) (ok|refused)\\n([\\s\\S]*?)\\n\`\`\``, 'g'))].map((m) => ({
  kind: m[1] as Kind,
  expected: m[2]!,
  body: m[3]!,
}));

/** A `device-status ok` block must parse as a status, not as something else that happens to be accepted. */
function parse(kind: Kind, body: string): { ok: boolean; detail?: string } {
  if (kind === 'device-frame') return parseDeviceFrame(body, 6);
  if (kind === 'relay-message') return parseRelayMessage(body);
  if (kind === 'relay-frame') {
    // A frame is accepted when every message in it is; a refused one names its first refusal.
    const results = parseRelayFrame(body);
    return results.find((result) => !result.ok) ?? { ok: true };
  }
  if (kind === 'touch-request') return parseTouchRequest(body);
  if (kind === 'touch-reply') return parseTouchServerMessage(body);
  if (kind === 'device-capabilities') return parseDeviceCapabilities(body) ?? { ok: false, detail: 'not a capabilities message' };
  const result = parseDeviceMessage(body, 6);
  return result.ok && result.kind !== 'status' ? { ok: false, detail: `parsed as ${result.kind}, not a status` } : result;
}

describe('every example in docs/protocol.md', () => {
  it('is found (the doc has examples of each kind)', () => {
    for (const kind of KINDS) {
      for (const expected of ['ok', 'refused']) {
        expect(blocks.filter((b) => b.kind === kind && b.expected === expected).length, `${kind} ${expected}`).toBeGreaterThanOrEqual(kind === 'touch-reply' && expected === 'refused' ? 1 : 2);
      }
    }
  });

  it.each(blocks.map((b) => [`${b.kind} ${b.expected}: ${b.body.replace(/\n/g, '⏎').slice(0, 60)}`, b] as const))(
    '%s',
    (_name, block) => {
      const result = parse(block.kind, block.body);
      expect(result.ok).toBe(block.expected === 'ok');
      if (!result.ok) expect(result.detail?.length).toBeGreaterThan(5);
    },
  );
});
