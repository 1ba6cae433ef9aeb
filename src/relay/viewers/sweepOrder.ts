// The order RollingFanOut's cursor sweeps its targets in, with the two numbers the sweep reads for
// every target kept in flat typed arrays beside it: the log position it has been written up to, and
// the descriptor it may get a bare write on (-1: none). A sweep of 10,000 viewers that read these
// from one object per viewer took a cache miss per viewer; read in order from flat arrays they
// stream (and a native sweep reads them without crossing into JavaScript per viewer).

/** A target's place in the order; `index` is kept current as targets move. */
export interface Placed {
  index: number;
}

const INITIAL_CAPACITY = 64;

export class SweepOrder<S extends Placed> {
  /** Targets in sweep order; a removed one is left as a hole while a sweep runs (see `compact`). */
  private slots: (S | undefined)[] = [];
  private holes = 0;
  /** Per index: absolute log position the target has been written up to. */
  sentUpTo = new Float64Array(INITIAL_CAPACITY);
  /** Per index: the descriptor the target's log frames may be written to bare, or -1. Holes hold -1. */
  bareFd = new Int32Array(INITIAL_CAPACITY).fill(-1);

  /** Indexes in use (holes included). */
  get length(): number {
    return this.slots.length;
  }

  at(index: number): S | undefined {
    return this.slots[index];
  }

  /** Every target in order (a copy: safe to change the order while going through it). */
  targets(): S[] {
    return this.slots.filter((slot): slot is S => slot !== undefined);
  }

  push(slot: S, sentUpTo: number): void {
    if (this.slots.length === this.sentUpTo.length) this.grow();
    slot.index = this.slots.length;
    this.slots.push(slot);
    this.sentUpTo[slot.index] = sentUpTo;
    this.bareFd[slot.index] = -1;
  }

  /**
   * Takes a target out. During a sweep it leaves a hole (indexes must not move under the cursor);
   * otherwise the last target takes its place.
   */
  remove(slot: S, sweeping: boolean): void {
    const index = slot.index;
    this.bareFd[index] = -1;
    if (sweeping) {
      this.slots[index] = undefined;
      this.holes++;
      return;
    }
    const last = this.slots.pop()!;
    if (last === slot) return;
    this.slots[index] = last;
    this.sentUpTo[index] = this.sentUpTo[last.index]!;
    this.bareFd[index] = this.bareFd[last.index]!;
    last.index = index;
  }

  /** Closes the holes a sweep left, keeping the order (between sweeps). */
  compact(): void {
    if (this.holes === 0) return;
    let kept = 0;
    for (let index = 0; index < this.slots.length; index++) {
      const slot = this.slots[index];
      if (!slot) continue;
      this.slots[kept] = slot;
      this.sentUpTo[kept] = this.sentUpTo[index]!;
      this.bareFd[kept] = this.bareFd[index]!;
      slot.index = kept++;
    }
    this.slots.length = kept;
    this.bareFd.fill(-1, kept);
    this.holes = 0;
  }

  private grow(): void {
    const sentUpTo = new Float64Array(this.sentUpTo.length * 2);
    sentUpTo.set(this.sentUpTo);
    const bareFd = new Int32Array(this.bareFd.length * 2).fill(-1);
    bareFd.set(this.bareFd);
    this.sentUpTo = sentUpTo;
    this.bareFd = bareFd;
  }
}
