// One measured window of fan-out load, the same for the relay and the C sweep floor: drive strikes
// at a rate, then read the viewers' latency and completeness from the generators and the server's
// CPU (user / system) and write syscalls from /proc.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Generators } from './generators';
import { LatencyHistogram } from './latencyHistogram';
import { recordPerf } from './perfRecord';
import { accountedShare, sampleMachine, sampleProcess, type ProcSample } from './procStats';
import type { SwarmReport } from './viewerSwarm';

/** A fan-out server under load: its process, how strikes reach it, and the last seq it numbered. */
export interface LoadTarget {
  pid: number;
  /** Names the server in BENCH_PERF recordings (relay, floor). */
  name: string;
  drive(rate: number, seconds: number): Promise<unknown>;
  latestSeq(): Promise<number>;
  /**
   * Writes the server made so far without a write syscall (the relay's sweep submitting sends
   * through io_uring), added to the syscalls counted from /proc.
   */
  uncountedWrites?(): Promise<number>;
  /**
   * Full garbage collections (mark-compacts) the server has run so far: the relay's
   * `nodejs_gc_duration_seconds_count{kind="major"}`. The floor, in C, has no collector.
   */
  fullCollections?(): Promise<number>;
  /** Starts observing the server's own view of the window; what the returned function says after it is printed. */
  observe?(): Promise<() => Promise<string>>;
}

export interface LoadRow {
  viewers: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
  framesPerS: number;
  /** Socket reads by the viewers per second (TCP may merge writes, so not the server's writes). */
  readsPerS: number;
  bytesPerS: number;
  /** The server's writes per second: write syscalls from /proc/<pid>/io, plus its io_uring sends. */
  writesPerS: number;
  /** The server's CPU over the window, as a fraction of one core. */
  cpu: number;
  userUsPerWrite: number;
  sysUsPerWrite: number;
  /** CPU of the viewer generators, summed (they compete with the server for the same cores). */
  generatorCpu: number;
  rssBytes: number;
  drops: number;
  /**
   * The machine's accounted time (every state of every core, idle included) as a share of the wall
   * clock, in the row's lowest slice: well under 1 means the host paused the VM within it.
   */
  lowestAccounted: number;
  /** Of the row's slices, how many held a full collection of the server's heap (targets that say). */
  slicesWithFullCollection?: { count: number; of: number };
}

const REPORT_WAIT_MS = 10_000;
const REPORT_POLL_MS = 250;
const SAMPLE_EVERY_MS = 500;

/**
 * One measured window, as sums (not yet rates), so that several windows of the same row, taken
 * apart in time, add up to one row (loadRow).
 */
export interface LoadSlice {
  latency: LatencyHistogram;
  frames: number;
  reads: number;
  bytes: number;
  writes: number;
  userS: number;
  sysS: number;
  windowS: number;
  /** Generator CPU seconds over the window, summed over the generators. */
  generatorCpuS: number;
  rssBytes: number;
  drops: number;
  /** The machine's accounted time over the window as a share of the wall clock (accountedShare). */
  accounted: number;
  /** Full collections the server ran in the window (undefined: the target does not say). */
  fullCollections?: number;
}

export async function measureLoad(target: LoadTarget, generators: Generators, viewers: number, rate: number, seconds: number): Promise<LoadRow> {
  return loadRow(viewers, rate, [await measureSlice(target, generators, viewers, rate, seconds)]);
}

/** `rate` strikes/s for `seconds` through `target`, read as sums from the server and the viewers. */
export async function measureSlice(target: LoadTarget, generators: Generators, viewers: number, rate: number, seconds: number, label = ''): Promise<LoadSlice> {
  await generators.all({ cmd: 'reset' }, 'reset');
  const seqBefore = await target.latestSeq();
  const observed = await target.observe?.();
  const generatorsBefore = generators.pids.map(sampleProcess);
  const uncountedBefore = (await target.uncountedWrites?.()) ?? 0;
  const fullCollectionsBefore = await target.fullCollections?.();
  const machineBefore = sampleMachine();
  const samples: ProcSample[] = [sampleProcess(target.pid)];
  const sampler = setInterval(() => samples.push(sampleProcess(target.pid)), SAMPLE_EVERY_MS);
  const stopPerf = recordPerf(target.pid, `${target.name}-${viewers}-viewers-${rate}-per-s${label}-pid${target.pid}`);
  await target.drive(rate, seconds);
  clearInterval(sampler);
  const end = sampleProcess(target.pid);
  const machineAfter = sampleMachine();
  const uncounted = ((await target.uncountedWrites?.()) ?? 0) - uncountedBefore;
  const fullCollectionsAfter = await target.fullCollections?.();
  const fullCollections = fullCollectionsBefore === undefined || fullCollectionsAfter === undefined ? undefined : fullCollectionsAfter - fullCollectionsBefore;
  await stopPerf();
  samples.push(end);
  const generatorCpuS = generators.pids.reduce((sum, pid, index) => sum + (sampleProcess(pid).cpuS - generatorsBefore[index]!.cpuS), 0);
  const seqAfter = await target.latestSeq();
  const name = `${target.name}, ${viewers} viewers, ${rate} strikes/s${label}`;
  if (observed) console.log(`${name}: ${await observed()}`);
  // Let the last strikes arrive before counting what each viewer missed.
  let reports: SwarmReport[] = [];
  for (let waited = 0; waited < REPORT_WAIT_MS; waited += REPORT_POLL_MS) {
    reports = await generators.all<SwarmReport>({ cmd: 'report' }, 'report');
    if (reports.every((r) => r.open === 0 || r.lastSeqs.min >= seqAfter)) break;
    await sleep(REPORT_POLL_MS);
  }
  const latency = new LatencyHistogram();
  let frames = 0;
  let reads = 0;
  let bytes = 0;
  let strikes = 0;
  let open = 0;
  for (const r of reports) {
    latency.merge(r.latency);
    frames += r.frames;
    reads += r.reads;
    bytes += r.bytes;
    strikes += r.strikes;
    open += r.open;
  }
  const start = samples[0]!;
  const writes = end.writeSyscalls - start.writeSyscalls + uncounted;
  // What the writes carried, as the viewers read it: a server whose writes carry more bytes pays
  // more kernel time per write for the same strikes.
  const windowS = (end.at - start.at) / 1000;
  const accounted = accountedShare(machineBefore, machineAfter);
  console.log(
    `${name}: viewers read ${Math.round(bytes / frames)} bytes per frame, ${Math.round(bytes / writes)} bytes per server write, ` +
      `${(frames / writes).toFixed(2)} frames per write; p50 / p99 / max ${latency.percentile(50)} / ${latency.percentile(99)} / ${latency.max} ms; ` +
      // The server's own CPU in this slice: a slow slice with it low means the server was waiting
      // (or not scheduled), with it high that its own work grew.
      `${target.name} CPU ${Math.round(((end.userS - start.userS) / windowS) * 100)} % user, ${Math.round(((end.sysS - start.sysS) / windowS) * 100)} % system; ` +
      `generator CPU ${Math.round((generatorCpuS / windowS) * 100)} %; ` +
      (uncounted > 0 ? `${uncounted} of its ${writes} writes through io_uring; ` : '') +
      (fullCollections === undefined ? '' : `${fullCollections} full collection(s) of its heap; `) +
      // The whole machine's CPU (servers, generators, softirq) per server write: a server that only
      // moved its kernel work out of its own process would not be cheaper here.
      `machine CPU per server write ${(((machineAfter.busyS - machineBefore.busyS) * 1e6) / writes).toFixed(1)} us ` +
      `(softirq ${(((machineAfter.softirqS - machineBefore.softirqS) * 1e6) / writes).toFixed(1)}); ` +
      `machine time accounted ${(accounted * 100).toFixed(1)} % of the wall clock`,
  );
  return {
    latency,
    frames,
    reads,
    bytes,
    writes,
    userS: end.userS - start.userS,
    sysS: end.sysS - start.sysS,
    windowS,
    generatorCpuS,
    rssBytes: Math.max(...samples.map((s) => s.rssBytes)),
    drops: Math.max(0, (seqAfter - seqBefore) * open - strikes),
    accounted,
    ...(fullCollections === undefined ? {} : { fullCollections }),
  };
}

/** One row from one or more slices of the same load: counts summed, rates over their total time. */
export function loadRow(viewers: number, rate: number, slices: readonly LoadSlice[]): LoadRow {
  const latency = new LatencyHistogram();
  const sum = (pick: (slice: LoadSlice) => number) => slices.reduce((total, slice) => total + pick(slice), 0);
  for (const slice of slices) latency.merge(slice.latency.toJSON());
  const windowS = sum((s) => s.windowS);
  const writes = sum((s) => s.writes);
  return {
    viewers,
    rate,
    p50: latency.percentile(50),
    p99: latency.percentile(99),
    max: latency.max,
    framesPerS: sum((s) => s.frames) / windowS,
    readsPerS: sum((s) => s.reads) / windowS,
    bytesPerS: sum((s) => s.bytes) / windowS,
    writesPerS: writes / windowS,
    cpu: (sum((s) => s.userS) + sum((s) => s.sysS)) / windowS,
    userUsPerWrite: (sum((s) => s.userS) * 1e6) / writes,
    sysUsPerWrite: (sum((s) => s.sysS) * 1e6) / writes,
    generatorCpu: sum((s) => s.generatorCpuS) / windowS,
    rssBytes: Math.max(...slices.map((s) => s.rssBytes)),
    drops: sum((s) => s.drops),
    lowestAccounted: Math.min(...slices.map((s) => s.accounted)),
    ...(slices.every((s) => s.fullCollections !== undefined)
      ? { slicesWithFullCollection: { count: slices.filter((s) => s.fullCollections! > 0).length, of: slices.length } }
      : {}),
  };
}
