// CPU time of the browser's dedicated-worker threads, read from /proc: CDP's Performance metrics
// cover only a page's main thread, so work a page moves into a worker would otherwise go uncounted.
// Ours has one today: Tone's clock (a wake-up every 250 ms).
import { readdirSync, readFileSync } from 'node:fs';
import { parseStat } from '../relay/procStats';

/** Chromium names a worker's thread "DedicatedWorker thread" (the kernel keeps 15 characters). */
const WORKER_THREAD_PREFIX = 'DedicatedWorker';

/** Sum of user and system CPU time of every renderer's dedicated-worker threads so far, ms. */
export function dedicatedWorkerCpuMs(): number {
  let seconds = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const { name, userS, sysS } = parseStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
        if (name.startsWith(WORKER_THREAD_PREFIX)) seconds += userS + sysS;
      }
    } catch {
      // The process or thread ended while being read.
    }
  }
  return seconds * 1000;
}
