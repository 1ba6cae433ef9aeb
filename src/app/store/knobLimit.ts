// The shape of one knob's bounds. Each settings file states its knobs' limits once in this shape;
// the preset schema, the clamping before the sound engine and the artist panel's ranges derive
// from that one table, so the three can never disagree.

export interface KnobLimit {
  readonly min: number;
  readonly max: number;
  /** What one notch of the panel's slider moves. */
  readonly step: number;
  /** Only whole numbers are valid (and values are rounded when clamped). */
  readonly whole?: boolean;
}

/** `value` inside the limit (rounded if the knob is whole); `fallback` when it is not a finite number. */
export function clampToLimit(value: number, limit: KnobLimit, fallback: number): number {
  if (!Number.isFinite(value)) return fallback;
  const inside = Math.min(limit.max, Math.max(limit.min, value));
  return limit.whole ? Math.round(inside) : inside;
}

/** The limit as a panel slider's range. */
export function sliderRange(limit: KnobLimit): { min: number; max: number; step: number } {
  return { min: limit.min, max: limit.max, step: limit.step };
}
