// BENCH_GC_LOG=1: every garbage-collection pause over 5 ms of this process's main thread, on
// stderr. A pause in the relay stops its sweep; one in a generator delays its reads, which adds to
// the latency it records. Either shows in the latency tail.
import { PerformanceObserver } from 'node:perf_hooks';

const LOGGED_PAUSE_MS = 5;

/** Logs this process's GC pauses, each line starting with `who`, when BENCH_GC_LOG=1. */
export function logGcPausesIfAsked(who: string): void {
  if (process.env.BENCH_GC_LOG !== '1') return;
  const started = performance.now();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration <= LOGGED_PAUSE_MS) continue;
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      console.error(`${who} gc at ${((entry.startTime - started) / 1000).toFixed(1)} s: ${entry.duration.toFixed(1)} ms (kind ${kind})`);
    }
  }).observe({ entryTypes: ['gc'] });
}
