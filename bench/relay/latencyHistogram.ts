// Latencies in whole milliseconds (the relay stamps strikes with Date.now()), counted in 1 ms
// buckets so millions of samples cost a fixed few hundred KB and merge across processes.

export const MAX_LATENCY_MS = 60_000;

export class LatencyHistogram {
  readonly counts = new Uint32Array(MAX_LATENCY_MS + 1);
  total = 0;
  max = 0;

  record(ms: number): void {
    const bucket = Math.min(MAX_LATENCY_MS, Math.max(0, Math.round(ms)));
    this.counts[bucket]!++;
    this.total++;
    if (bucket > this.max) this.max = bucket;
  }

  /** Sparse form for IPC: [bucket, count] pairs. */
  toJSON(): [number, number][] {
    const pairs: [number, number][] = [];
    for (let ms = 0; ms <= this.max; ms++) if (this.counts[ms]) pairs.push([ms, this.counts[ms]!]);
    return pairs;
  }

  merge(pairs: readonly [number, number][]): void {
    for (const [ms, count] of pairs) {
      this.counts[ms]! += count;
      this.total += count;
      if (ms > this.max) this.max = ms;
    }
  }

  percentile(p: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let ms = 0; ms <= this.max; ms++) {
      seen += this.counts[ms]!;
      if (seen >= rank) return ms;
    }
    return this.max;
  }
}
