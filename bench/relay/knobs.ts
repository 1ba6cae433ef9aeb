// The bench's settings from the environment (BENCH_*), read one way: a value that is not a number
// stops the run with the knob's name, instead of a bare Number() turning a typo into NaN that
// surfaces minutes later as an empty row or a loop that never runs.

export interface NumberKnobLimits {
  /** Whole numbers only (counts: runs, slices, viewers). */
  integer?: boolean;
  /** Inclusive: 0 for a warm-up that may be skipped, 1 for a count. */
  min?: number;
  /** Above zero (rates, windows in seconds). */
  positive?: boolean;
}

function parseNumber(name: string, text: string, limits: NumberKnobLimits): number {
  const value = Number(text);
  const kind = limits.integer ? 'a whole number' : 'a number';
  const bound = limits.positive ? ', above 0' : limits.min === undefined ? '' : `, ${limits.min} or more`;
  const fits = Number.isFinite(value) && (!limits.integer || Number.isInteger(value)) && (limits.min === undefined || value >= limits.min) && (!limits.positive || value > 0);
  if (text.trim() === '' || !fits) {
    throw new Error(`${name}=${text}: expected ${kind}${bound}`);
  }
  return value;
}

/** A number from `env[name]`, or `fallback` when it is unset or empty. */
export function numberKnob(name: string, fallback: number, limits: NumberKnobLimits = {}, env: NodeJS.ProcessEnv = process.env): number {
  const text = env[name];
  return text === undefined || text === '' ? fallback : parseNumber(name, text, limits);
}

/**
 * A comma-separated list of numbers from `env[name]`, or `fallback` when it is unset. Set but empty
 * means an empty list: that is how a phase is skipped (BENCH_CEILING_RATES=).
 */
export function numberListKnob(name: string, fallback: number[], limits: NumberKnobLimits = {}, env: NodeJS.ProcessEnv = process.env): number[] {
  const text = env[name];
  if (text === undefined) return fallback;
  return text
    .split(',')
    .filter((item) => item.trim() !== '')
    .map((item) => parseNumber(name, item, limits));
}
