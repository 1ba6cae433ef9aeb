import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDeviceFrame } from './deviceFrame';
import { parseRelayMessage } from './relayMessage';
import { parseDeviceCapabilities } from './striker';
import { parseTouchRequest, parseTouchServerMessage } from './touch';

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```(device-frame|relay-message|touch-request|touch-reply|device-capabilities) (ok|refused)\n([\s\S]*?)\n```/g)].map((m) => ({
  kind: m[1]!,
  expected: m[2]!,
  body: m[3]!,
}));

describe('every example in docs/protocol.md', () => {
  it('is found (the doc has examples of each kind)', () => {
    for (const kind of ['device-frame', 'relay-message']) {
      for (const expected of ['ok', 'refused']) {
        expect(blocks.filter((b) => b.kind === kind && b.expected === expected).length).toBeGreaterThan(2);
      }
    }
  });

  it.each(blocks.map((b) => [`${b.kind} ${b.expected}: ${b.body.replace(/\n/g, '⏎').slice(0, 60)}`, b] as const))(
    '%s',
    (_name, block) => {
      const result = parse(block.kind, block.body);
      expect(result.ok).toBe(block.expected === 'ok');
      if (!result.ok) expect('detail' in result && result.detail.length).toBeGreaterThan(5);
    },
  );
});

function parse(kind: string, body: string): { ok: boolean } | { ok: false; detail: string } {
  if (kind === 'device-frame') return parseDeviceFrame(body, 6);
  if (kind === 'touch-request') return parseTouchRequest(body);
  if (kind === 'touch-reply') return parseTouchServerMessage(body);
  if (kind === 'device-capabilities') return parseDeviceCapabilities(body) ?? { ok: false, detail: 'not a capabilities message' };
  return parseRelayMessage(body);
}
