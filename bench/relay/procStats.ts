// CPU time and resident memory of another process, from /proc (Linux), for the relay under test.
import { readFileSync } from 'node:fs';

/** Linux reports CPU time in clock ticks; USER_HZ is 100 on every mainstream build. */
const CLOCK_TICKS_PER_S = 100;

export interface ProcSample {
  cpuS: number;
  rssBytes: number;
  at: number;
}

export function sampleProcess(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after it are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  return { cpuS: (utime + stime) / CLOCK_TICKS_PER_S, rssBytes: rssKb * 1024, at: performance.now() };
}

/** CPU use between two samples, as a fraction of one core. */
export function cpuShare(from: ProcSample, to: ProcSample): number {
  return (to.cpuS - from.cpuS) / ((to.at - from.at) / 1000);
}
