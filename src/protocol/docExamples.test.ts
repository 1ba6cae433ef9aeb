import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDeviceFrame } from './deviceFrame';
import { parseRelayMessage } from './relayMessage';

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```(device-frame|relay-message) (ok|refused)\n([\s\S]*?)\n```/g)].map((m) => ({
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
      const result = block.kind === 'device-frame' ? parseDeviceFrame(block.body, 6) : parseRelayMessage(block.body);
      expect(result.ok).toBe(block.expected === 'ok');
      if (!result.ok) expect('detail' in result && result.detail.length).toBeGreaterThan(5);
    },
  );
});
