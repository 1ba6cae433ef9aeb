// First paint must never wait for Tone.js: nothing index.ts imports statically may import 'tone'.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { expect, it } from 'vitest';

const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm;

function staticClosure(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const match of readFileSync(entry, 'utf8').matchAll(STATIC_IMPORT)) {
    const spec = match[1] ?? match[2]!;
    if (spec.startsWith('.')) staticClosure(resolve(dirname(entry), `${spec}.ts`), seen);
    else seen.add(spec);
  }
  return seen;
}

it("the audio entry point loads Tone.js only when Listen is tapped (no static 'tone' import)", () => {
  const closure = staticClosure(resolve(import.meta.dirname, 'index.ts'));
  expect([...closure].filter((m) => m === 'tone' || m.startsWith('tone/'))).toEqual([]);
  expect(readFileSync(resolve(import.meta.dirname, 'index.ts'), 'utf8')).toContain("import('./chimeEngine')");
  // And the engine really is the part that brings Tone in.
  expect(staticClosure(resolve(import.meta.dirname, 'chimeEngine.ts')).has('tone')).toBe(true);
});
