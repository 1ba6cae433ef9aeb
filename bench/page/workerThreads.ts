// CPU time of the browser's dedicated-worker threads, read from /proc: CDP's Performance metrics
// cover only a page's main thread, so work a page moves into a worker would otherwise go uncounted.
// Ours has one today: Tone's clock (a wake-up every 250 ms).
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc/<pid>/task/<tid>/stat counts CPU time in these ticks per second. */
const TICKS_PER_S = 100;
/** Chromium names a worker's thread "DedicatedWorker thread" (the kernel keeps 15 characters). */
const WORKER_THREAD_PREFIX = 'DedicatedWorker';

/** Sum of user and system CPU time of every renderer's dedicated-worker threads so far, ms. */
export function dedicatedWorkerCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        if (!stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith(WORKER_THREAD_PREFIX)) continue;
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
      }
    } catch {
      // The process or thread ended while being read.
    }
  }
  return (ticks * 1000) / TICKS_PER_S;
}
