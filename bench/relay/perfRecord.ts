// BENCH_PERF=<folder>: `perf record -g` (Debian's perf) on the server under test for exactly the
// measured window of every row, one file per row, to see where its CPU goes (user and kernel,
// which `node --cpu-prof` cannot show). The relay's JIT frames get names when it runs with
// BENCH_RELAY_NODE_FLAGS=--perf-basic-prof.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const PERF_DIR = process.env.BENCH_PERF;
/** Samples per second: enough for a 10 s row to name the sweep's parts, little enough to cost ~1 %. */
const PERF_FREQUENCY_HZ = 999;

/** Starts recording `pid` (when BENCH_PERF is set); the returned stop ends it and waits for the file. */
export function recordPerf(pid: number, label: string): () => Promise<void> {
  if (!PERF_DIR) return () => Promise.resolve();
  mkdirSync(PERF_DIR, { recursive: true });
  const output = join(PERF_DIR, `${label}.perf.data`);
  const perf: ChildProcess = spawn('perf', ['record', '-q', '-F', String(PERF_FREQUENCY_HZ), '-g', '-p', String(pid), '-o', output], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => {
    perf.once('exit', () => resolve());
    perf.once('error', () => resolve());
  });
  return async () => {
    perf.kill('SIGINT');
    await exited;
    console.log(`perf record of pid ${pid} in ${output}`);
  };
}
