import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as limits from './limits';

it('the limits table in docs/protocol.md matches src/protocol/limits.ts', () => {
  const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (-?\d+(?:\.\d+)?) \|/gm)].map((m) => [m[1]!, Number(m[2])] as const);
  expect(rows.length).toBeGreaterThan(10);
  for (const [name, value] of rows) {
    expect((limits as Record<string, unknown>)[name], name).toBe(value);
  }
  const documented = new Set(rows.map(([name]) => name));
  const named = Object.keys(limits).filter((name) => /_(MS|BYTES|S|SIZE|WINDOW|BURST|STATION|ALLOWED)$/.test(name));
  expect(named.filter((name) => !documented.has(name))).toEqual([]);
});
