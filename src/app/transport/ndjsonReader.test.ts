import { expect, it } from 'vitest';
import { NDJSON_MAX_LINE_CHARS, NDJSON_SLICE_LINES, readNdjsonLines } from './ndjsonReader';

/** A body that arrives in the given pieces (as a network would cut it). */
const bodyOf = (pieces: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(new TextEncoder().encode(piece));
      controller.close();
    },
  });

it('hands over whole lines, however the network cuts them, with their line numbers', async () => {
  const slices: [string[], number][] = [];
  await readNdjsonLines(bodyOf(['{"a":1}\n{"b"', ':2}\n\n{"c":"é', '"}']), (lines, first) => slices.push([lines, first]));
  expect(slices.flatMap(([lines]) => lines)).toEqual(['{"a":1}', '{"b":2}', '', '{"c":"é"}']);
  expect(slices.map(([, first]) => first)).toEqual([1, 2, 4]);
});

it('a 200,000-line download arrives in slices, and the page gets a turn between slices', async () => {
  const lines = Array.from({ length: 200_000 }, (_, i) => `{"seq":${i}}`);
  let pageTurns = 0;
  let busy = true;
  const tick = () => {
    pageTurns++;
    if (busy) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  const sizes: number[] = [];
  const turnsAtSlice: number[] = [];
  await readNdjsonLines(bodyOf([lines.join('\n')]), (slice) => {
    sizes.push(slice.length);
    turnsAtSlice.push(pageTurns);
  });
  busy = false;
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(200_000);
  expect(Math.max(...sizes)).toBeLessThanOrEqual(NDJSON_SLICE_LINES);
  // Between any two slices, other work on the page ran.
  const turnsBetween = turnsAtSlice.slice(1).map((turns, i) => turns - turnsAtSlice[i]!);
  expect(Math.min(...turnsBetween)).toBeGreaterThan(0);
});

it('a line longer than any relay message stops the reading with a clear error', async () => {
  const huge = 'x'.repeat(NDJSON_MAX_LINE_CHARS + 10);
  await expect(readNdjsonLines(bodyOf(['{"a":1}\n', huge]), () => undefined)).rejects.toThrow(/line 2 is longer than/);
});
