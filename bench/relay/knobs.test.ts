import { describe, expect, it } from 'vitest';
import { numberKnob, numberListKnob } from './knobs';

describe('bench knobs from the environment', () => {
  it('reads a number, and falls back when the knob is unset or empty', () => {
    expect(numberKnob('BENCH_MEASURE_S', 10, {}, { BENCH_MEASURE_S: '2.5' })).toBe(2.5);
    expect(numberKnob('BENCH_MEASURE_S', 10, {}, {})).toBe(10);
    expect(numberKnob('BENCH_MEASURE_S', 10, {}, { BENCH_MEASURE_S: '' })).toBe(10);
  });

  it('stops on a value that is not a number, naming the knob', () => {
    expect(() => numberKnob('BENCH_FLOOR_RUNS', 3, { integer: true, min: 1 }, { BENCH_FLOOR_RUNS: 'three' })).toThrow('BENCH_FLOOR_RUNS=three: expected a whole number, 1 or more');
    expect(() => numberKnob('BENCH_FLOOR_RUNS', 3, { integer: true, min: 1 }, { BENCH_FLOOR_RUNS: '1.5' })).toThrow(/whole number/);
    expect(() => numberKnob('BENCH_FLOOR_RUNS', 3, { integer: true, min: 1 }, { BENCH_FLOOR_RUNS: '0' })).toThrow(/1 or more/);
    expect(() => numberKnob('BENCH_FLOOR_WARM_UP_S', 10, { min: 0 }, { BENCH_FLOOR_WARM_UP_S: '-2' })).toThrow('BENCH_FLOOR_WARM_UP_S=-2: expected a number, 0 or more');
    expect(() => numberKnob('BENCH_MEASURE_S', 10, { positive: true }, { BENCH_MEASURE_S: '0' })).toThrow('BENCH_MEASURE_S=0: expected a number, above 0');
  });

  it('reads a list, where set-but-empty skips a phase and a bad item names the knob', () => {
    expect(numberListKnob('BENCH_RATES', [50, 200], {}, { BENCH_RATES: '50, 400,' })).toEqual([50, 400]);
    expect(numberListKnob('BENCH_RATES', [50, 200], {}, {})).toEqual([50, 200]);
    expect(numberListKnob('BENCH_CEILING_RATES', [400], {}, { BENCH_CEILING_RATES: '' })).toEqual([]);
    expect(() => numberListKnob('BENCH_VIEWERS', [1_000], { integer: true, min: 1 }, { BENCH_VIEWERS: '5000,10k' })).toThrow('BENCH_VIEWERS=10k: expected a whole number, 1 or more');
  });
});
