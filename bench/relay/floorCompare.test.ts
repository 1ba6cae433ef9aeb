import { describe, expect, it } from 'vitest';
import { floorSection, formatFloorPair, type FloorPair } from './floorCompare';
import type { LoadRow } from './measure';

function row(p99: number, cpuUsPerWrite: number, lowestAccounted: number): LoadRow {
  return {
    viewers: 5_000,
    rate: 200,
    p50: Math.round(p99 / 2),
    p99,
    max: p99 + 10,
    framesPerS: 1_000_000,
    readsPerS: 200_000,
    bytesPerS: 80e6,
    writesPerS: 200_000,
    cpu: 0.9,
    userUsPerWrite: 0.1 * cpuUsPerWrite,
    sysUsPerWrite: 0.9 * cpuUsPerWrite,
    generatorCpu: 0.9,
    rssBytes: 160 * 2 ** 20,
    drops: 0,
    lowestAccounted,
  };
}

const pair = (relay: LoadRow, floor: LoadRow, viewers = 5_000): FloorPair => ({ viewers, rate: 200, run: 1, relay, floor });
const cells = (line: string) => line.split('|').slice(1, -1).map((cell) => cell.trim());

describe('the floor comparison table', () => {
  it('judges each row on both ratios: within 1.2x of the floor in CPU per write and in p99', () => {
    const within = cells(formatFloorPair(pair(row(54, 4, 0.98), row(50, 7, 0.99))));
    expect(within.slice(-6)).toEqual(['0.57', '1.08', '0 / 0', '98.0 % / 99.0 %', '-', 'yes']);
    // The 21:37 miss of 2026-12-01: cheaper per write, but p99 68 against 54 ms.
    const slowTail = cells(formatFloorPair(pair(row(68, 4, 0.92), row(54, 7, 0.99))));
    expect(slowTail.at(-5)).toBe('1.26');
    expect(slowTail.at(-1)).toBe('no');
    const costly = cells(formatFloorPair(pair(row(50, 9, 1), row(50, 7, 1))));
    expect(costly.at(-1)).toBe('no');
  });

  it("shows each side's lowest accounted slice, so a row the host paused can be seen", () => {
    const line = cells(formatFloorPair(pair(row(68, 4, 0.919), row(54, 7, 1.021))));
    expect(line.at(-3)).toBe('91.9 % / 102.1 %');
  });

  it("shows how many of the relay's slices held a mark-compact, so a row a full collection stalled can be seen", () => {
    const stalled = { ...row(90, 4, 0.99), slicesWithFullCollection: { count: 1, of: 8 } };
    const line = cells(formatFloorPair(pair(stalled, row(54, 7, 0.99))));
    expect(line.at(-2)).toBe('1 of 8');
    expect(line.at(-1)).toBe('no');
    const header = floorSection([pair(stalled, row(54, 7, 0.99))], 1, 20).find((l) => l.startsWith('| viewers'))!;
    expect(cells(header).at(-2)).toBe('relay slices with a mark-compact');
  });

  it('counts the goal rows that held, and calls the goal met only when every one did', () => {
    const held = pair(row(50, 4, 1), row(50, 7, 1));
    const missed = pair(row(68, 4, 1), row(54, 7, 1), 10_000);
    const offGoal = pair(row(500, 40, 1), row(50, 7, 1), 2_500);
    expect(floorSection([held, offGoal], 1, 20).at(-1)).toContain('**met** (1 of 1 rows within)');
    expect(floorSection([held, missed, offGoal], 1, 20).at(-1)).toContain('**missed** (1 of 2 rows within)');
  });
});
