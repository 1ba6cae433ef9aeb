// CPU time (user and system), write syscalls and resident memory of another process, from /proc
// (Linux): for the relay under test and the C sweep floor beside it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ; 100 on mainstream builds). */
const CLOCK_TICKS_PER_S = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface ProcSample {
  /** User + system CPU seconds, every thread of the process. */
  cpuS: number;
  userS: number;
  sysS: number;
  /** write(2)-family syscalls so far (`syscw` in /proc/<pid>/io: write, writev, sendmsg...). */
  writeSyscalls: number;
  rssBytes: number;
  at: number;
}

/** A process's or a thread's /proc .../stat line: its name, and its user and system CPU seconds. */
export function parseStat(stat: string): { name: string; userS: number; sysS: number } {
  // The name (field 2, in parentheses) may contain spaces; fields after it are fixed (utime is field 14).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    userS: Number(fields[11]) / CLOCK_TICKS_PER_S,
    sysS: Number(fields[12]) / CLOCK_TICKS_PER_S,
  };
}

export function sampleProcess(pid: number): ProcSample {
  const { userS, sysS } = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const writeSyscalls = Number(/^syscw:\s+(\d+)/m.exec(io)?.[1] ?? NaN);
  return { cpuS: userS + sysS, userS, sysS, writeSyscalls, rssBytes: rssKb * 1024, at: performance.now() };
}

/** The whole machine's CPU so far, from /proc/stat: every core's busy time, and its softirq part. */
export interface MachineSample {
  /** user + nice + system + irq + softirq + steal, in seconds summed over the cores. */
  busyS: number;
  /**
   * Softirq time: a loopback write's receive side (TCP input, waking the reader) mostly runs there,
   * and a kernel that accounts interrupt time apart charges it to no process.
   */
  softirqS: number;
  /**
   * Every state of every core, idle and iowait included: between two samples it should equal the
   * cores times the wall clock. Short of it means time the VM did not run and did not account for
   * (no steal reported): a slice with it short was paused by the host, whichever server ran.
   */
  accountedS: number;
  /** When it was taken (performance.now(), ms). */
  at: number;
}

export function sampleMachine(): MachineSample {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as [number, number, number, number, number, number, number, number];
  const busy = user + nice + system + irq + softirq + steal;
  return {
    busyS: busy / CLOCK_TICKS_PER_S,
    softirqS: softirq / CLOCK_TICKS_PER_S,
    accountedS: (busy + idle + iowait) / CLOCK_TICKS_PER_S,
    at: performance.now(),
  };
}

/**
 * Every core of the machine, read once. Not availableParallelism(): that counts only the cores this
 * process may run on, one while the floor phase pins the bench.
 */
export const MACHINE_CORES = cpus().length;

/** The machine's accounted time between two samples as a share of its cores' wall clock (1 = all of it). */
export function accountedShare(from: MachineSample, to: MachineSample): number {
  return (to.accountedS - from.accountedS) / (MACHINE_CORES * ((to.at - from.at) / 1000));
}

/** CPU use between two samples, as a fraction of one core. */
export function cpuShare(from: ProcSample, to: ProcSample): number {
  return (to.cpuS - from.cpuS) / ((to.at - from.at) / 1000);
}

/** The machine's load average (1 / 5 / 15 min), as every bench table prints it: "0.42 0.61 0.70". */
export function formatLoad(load: readonly number[] = loadavg()): string {
  return load.map((n) => n.toFixed(2)).join(' ');
}
