// The relay against its floor: the C sweep writer (sweepFloor.c) holding the same number of viewers
// from the same generator, fed the same strikes at the same rates, measured back to back in one
// run. Goal (issue 17): the relay within FLOOR_GOAL_RATIO of the floor's CPU per write and p99.
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { driveBenchDevices, openBenchDevices } from './benchDevices';
import { BENCH_DEVICES } from './benchStations';
import { Generators } from './generators';
import { numberKnob } from './knobs';
import { loadRow, measureSlice, type LoadRow, type LoadSlice, type LoadTarget } from './measure';
import { MACHINE_CORES } from './procStats';
import { fanOutBuckets, fanOutPercentileMs, healthz, metric, startRelayProcess, stopRelayProcess } from './relayControl';
import { FLOOR_WRITES, SweepFloor } from './sweepFloor';

export const FLOOR_GOAL_RATIO = 1.2;
/** After connecting, before measuring: let handshakes and hellos settle. */
const SETTLE_MS = 1_000;
/**
 * Each row is measured in this many slices per side, relay and floor taking turns (relay, floor,
 * floor, relay, relay, floor, floor, relay, ...: ABBA repeated), so a machine whose speed drifts
 * within the row's minute (neighbours, its own load) weighs on both sides alike instead of on
 * whichever went second. Eight of 2.5 s since 2026-12-01 17:40 (`BENCH_FLOOR_SLICES`; four of 5 s
 * before, two of 10 s before that): the misses left with four were one slice of one side with about
 * half the writes at the same CPU, and the one such spell caught with per-slice CPU slowed every
 * write on the machine, the floor's too, for about half a minute. A spell that long covered one
 * side's slice more than the other's when a turn took 12 s; with turns of about 7 s it falls on
 * both sides more evenly. (docs/benchmarks.md, "Where it stands".)
 */
export const FLOOR_SLICES_PER_SIDE = numberKnob('BENCH_FLOOR_SLICES', 8, { integer: true, min: 1 });
/**
 * After a side is resumed (SIGCONT), before its slice: it reads the pongs and runs the timers it
 * slept through (a relay drops a viewer only after DEVICE_MISSED_PONGS_ALLOWED unanswered pings,
 * so one late round costs nothing).
 */
const RESUME_SETTLE_MS = 1_000;

/**
 * Before its first slice each side serves the run's highest rate for this long, unmeasured. A relay
 * measured in its first minute pays, inside the measured slices, for compiling its hot paths: its
 * device path (ws's receiver, parsing, the hub) ran in V8's interpreter and baseline tiers for the
 * whole first slice, and finishing TurboFan's compiles took its main thread's time later on (perf of a
 * 10,000-viewer row at 200/s, 2026-12-01: 2.7 % of the relay's samples in the device path in its
 * first slice, 0.4 % in its last, which had 1.9 % in compiling). A relay running for weeks paid that
 * once, long ago, and the C floor never does; the goal compares their steady costs. The floor is
 * warmed alike.
 */
export const FLOOR_WARM_UP_S = numberKnob('BENCH_FLOOR_WARM_UP_S', 10, { min: 0 });
/**
 * Every thread of the server under test on core 0 and its viewers' generators on core 1, both sides
 * alike (BENCH_PIN_CORES=0: left to the scheduler, as until 2026-12-01 06:19). Unpinned, whole rows
 * of one relay process ran slower than the floor in every slice (a fresh process per run; the misses
 * of 05:10-05:46), and the scheduler may put a server and its generator on one core for a while;
 * pinned, a 10,000-viewer check (06:19, 3 runs) had CPU per write 1.03-1.11 where the unpinned one
 * at 04:59 had 1.06-1.21. A relay in production has its own core too (docs/architecture.md,
 * "Capacity model").
 */
const PIN_CORES = process.env.BENCH_PIN_CORES !== '0';
const SERVER_CORE = '0';
/**
 * The generators' core, and since 2026-12-01 20:22 the bench's own process's too (every thread of it, for
 * the floor phase): it drives the devices, samples /proc every slice and gathers the generators'
 * reports. Left to the scheduler, a diagnostic set (2026-12-01 19:53) found its running threads on the
 * server's core in 28 % of 1,739 samples, so a slice of either side could lose its core to it.
 */
const GENERATOR_CORE = '1';

/** Every thread of process `pid` on `cores` (a taskset list: "1", "0-1"). */
function pinProcess(pid: number, cores: string): void {
  execFileSync('taskset', ['-a', '-pc', cores, String(pid)], { stdio: 'ignore' });
}

export interface FloorPair {
  viewers: number;
  rate: number;
  /** 1-based run of the set. */
  run: number;
  relay: LoadRow;
  floor: LoadRow;
}

export interface FloorOptions {
  viewers: number;
  rates: number[];
  /** Measured time per side and row, over all its slices. */
  seconds: number;
  /** Picks fresh source addresses for the generators' connections. */
  addressRun: number;
  floorBinary: string;
  profileDir?: string;
}

/**
 * One server holding its viewers for the whole run. While the other side is measured it is
 * stopped (SIGSTOP): it costs no CPU, and its viewers' generator has nothing to read.
 */
interface Side {
  target: LoadTarget;
  generators: Generators;
  /** Viewers connected (those that failed to connect are not counted). */
  viewers: number;
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

/**
 * Connects `options.viewers` viewers to a server already started, from their own generators; on
 * failure, and on `close`, the generators stop and `closeServer` ends the server.
 */
async function holdViewers(target: LoadTarget, port: number, options: FloorOptions, addressRun: number, closeServer: () => Promise<void>): Promise<Side> {
  const generators = Generators.start(options.viewers);
  try {
    const connected = await generators.connect(port, options.viewers, addressRun);
    if (PIN_CORES) {
      // Every thread of the server on core 0, of its generators on core 1 (both sides alike).
      pinProcess(target.pid, SERVER_CORE);
      for (const pid of generators.pids) pinProcess(pid, GENERATOR_CORE);
    }
    await sleep(SETTLE_MS);
    return {
      target,
      generators,
      viewers: options.viewers - connected.reduce((sum, c) => sum + c.failed, 0),
      pause: () => process.kill(target.pid, 'SIGSTOP'),
      resume: () => process.kill(target.pid, 'SIGCONT'),
      close: async () => {
        generators.stop();
        await closeServer();
      },
    };
  } catch (error) {
    generators.stop();
    await closeServer();
    throw error;
  }
}

async function openRelay(options: FloorOptions, run: number): Promise<Side> {
  const relay = await startRelayProcess(`floor comparison, ${options.viewers} viewers, run ${run}`, options.profileDir);
  const devices = await openBenchDevices(relay.port).catch(async (error: unknown) => {
    await stopRelayProcess(relay);
    throw error;
  });
  const target: LoadTarget = {
    pid: relay.child.pid!,
    name: 'relay',
    drive: (rate, seconds) => driveBenchDevices(devices, rate, seconds),
    latestSeq: async () => (await healthz(relay.port)).seq,
    uncountedWrites: () => metric(relay.port, 'aeolian_viewer_ring_sends_total'),
    fullCollections: () => metric(relay.port, 'nodejs_gc_duration_seconds_count{kind="major"}'),
    // Whether viewers were written bare, how often a viewer read too slowly to take a write whole,
    // and the relay's own fan-out time (strike appended -> written to every viewer).
    observe: async () => {
      const counts = async () => [await metric(relay.port, 'aeolian_viewer_bare_writes_total'), await metric(relay.port, 'aeolian_viewer_short_writes_total')];
      const [bareBefore, shortBefore] = await counts();
      const bucketsBefore = await fanOutBuckets(relay.port);
      return async () => {
        const [bare, short] = await counts();
        const buckets = await fanOutBuckets(relay.port);
        const p = (n: number) => fanOutPercentileMs(bucketsBefore, buckets, n);
        return `bare writes +${bare! - bareBefore!}, short bare writes +${short! - shortBefore!}, relay fan-out p50 <= ${p(50)} ms, p99 <= ${p(99)} ms`;
      };
    },
  };
  return holdViewers(target, relay.port, options, options.addressRun, async () => {
    for (const device of devices) device.terminate();
    await stopRelayProcess(relay);
  });
}

async function openFloor(options: FloorOptions): Promise<Side> {
  const floor = await SweepFloor.start(options.floorBinary);
  const target: LoadTarget = {
    pid: floor.pid,
    name: 'floor',
    drive: (rate, seconds) => floor.drive(BENCH_DEVICES, rate, seconds),
    latestSeq: () => Promise.resolve(floor.latestSeq),
    uncountedWrites: () => floor.uncountedWrites(),
  };
  return holdViewers(target, floor.port, options, options.addressRun + 1, () => floor.close());
}

/** Resumes a side, lets it settle, runs `work` on it and stops it again (the other side stays stopped). */
async function takeTurn<T>(side: Side, work: () => Promise<T>): Promise<T> {
  side.resume();
  await sleep(RESUME_SETTLE_MS);
  const result = await work();
  side.pause();
  return result;
}

/**
 * One run of the set: relay and floor each hold the same number of viewers at once, and at every
 * rate they take turns in slices, ABBA (the relay first in odd runs, the floor first in even runs).
 */
export async function compareWithFloor(options: FloorOptions, run: number): Promise<FloorPair[]> {
  const sides: Side[] = [];
  // Servers and generators started from here inherit this core until holdViewers pins them.
  if (PIN_CORES) pinProcess(process.pid, GENERATOR_CORE);
  try {
    const relay = await openRelay(options, run);
    sides.push(relay);
    relay.pause();
    const floor = await openFloor(options);
    sides.push(floor);
    floor.pause();
    const [first, second] = run % 2 === 1 ? [relay, floor] : [floor, relay];
    if (FLOOR_WARM_UP_S > 0) {
      for (const side of [first, second]) await takeTurn(side, () => side.target.drive(Math.max(...options.rates), FLOOR_WARM_UP_S));
    }
    const order = Array.from({ length: FLOOR_SLICES_PER_SIDE }, (_, i) => (i % 2 === 0 ? [first, second] : [second, first])).flat();
    const pairs: FloorPair[] = [];
    for (const rate of options.rates) {
      const slices = new Map<Side, LoadSlice[]>([
        [relay, []],
        [floor, []],
      ]);
      for (const [index, side] of order.entries()) {
        const slice = await takeTurn(side, () =>
          measureSlice(side.target, side.generators, side.viewers, rate, options.seconds / FLOOR_SLICES_PER_SIDE, `, slice ${index + 1} of ${order.length}`),
        );
        slices.get(side)!.push(slice);
      }
      pairs.push({ viewers: options.viewers, rate, run, relay: loadRow(relay.viewers, rate, slices.get(relay)!), floor: loadRow(floor.viewers, rate, slices.get(floor)!) });
    }
    return pairs;
  } finally {
    for (const side of sides) {
      try {
        side.resume(); // a stopped process would not hear its shutdown
      } catch {
        // already gone
      }
    }
    await Promise.all(sides.map((side) => side.close()));
    if (PIN_CORES) pinProcess(process.pid, `0-${MACHINE_CORES - 1}`);
  }
}

const cpuPerWriteUs = (row: LoadRow) => row.userUsPerWrite + row.sysUsPerWrite;
const ratios = (pair: FloorPair) => ({
  cpu: cpuPerWriteUs(pair.relay) / cpuPerWriteUs(pair.floor),
  p99: pair.relay.p99 / pair.floor.p99,
});
const meetsGoal = (pair: FloorPair) => {
  const r = ratios(pair);
  return r.cpu <= FLOOR_GOAL_RATIO && r.p99 <= FLOOR_GOAL_RATIO;
};
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const us = (row: LoadRow) => `${row.userUsPerWrite.toFixed(1)} / ${row.sysUsPerWrite.toFixed(1)}`;
const fullCollectionSlices = (row: LoadRow) => (row.slicesWithFullCollection ? `${row.slicesWithFullCollection.count} of ${row.slicesWithFullCollection.of}` : '-');

export function formatFloorPair(pair: FloorPair): string {
  const { relay, floor } = pair;
  const r = ratios(pair);
  return (
    `| ${int(pair.viewers)} | ${pair.rate} | ${pair.run} | ${relay.p50} / ${relay.p99} | ${floor.p50} / ${floor.p99} | ` +
    `${int(relay.writesPerS)} | ${int(floor.writesPerS)} | ${us(relay)} | ${us(floor)} | ${(relay.cpu * 100).toFixed(0)} % / ${(floor.cpu * 100).toFixed(0)} % | ` +
    `${r.cpu.toFixed(2)} | ${r.p99.toFixed(2)} | ${int(relay.drops)} / ${int(floor.drops)} | ${percent(relay.lowestAccounted)} / ${percent(floor.lowestAccounted)} | ${fullCollectionSlices(relay)} | ${meetsGoal(pair) ? 'yes' : 'no'} |`
  );
}

/** The floor phase's machine load average (1 / 5 / 15 min) at its start and end. */
export interface PhaseLoad {
  start: number[];
  end: number[];
}

export function floorSection(pairs: FloorPair[], runs: number, seconds: number, load?: PhaseLoad): string[] {
  if (pairs.length === 0) return [];
  const loads = (l: number[]) => l.map((n) => n.toFixed(2)).join(' / ');
  const goalRows = pairs.filter((p) => [5_000, 10_000].includes(p.viewers) && [50, 200].includes(p.rate));
  const met = goalRows.length > 0 && goalRows.every(meetsGoal);
  return [
    '',
    `Relay against the C sweep floor (\`bench/relay/sweepFloor.c\`, built with \`gcc -O2\` by the bench): the same viewers from the same ` +
      `generator, the same strikes on the same ${BENCH_DEVICES} device timers (to the floor as the relay's strike JSON over a plain TCP socket, ` +
      `stamped with t on receipt as the relay stamps on accept), one cursor sweeping the viewers with everything pending in one write` +
      (FLOOR_WRITES === 'io_uring'
        ? ', a chunk of 500 viewers\' sends submitted in one io_uring_enter as the relay\'s native sweep does (`BENCH_FLOOR_IO_URING=1`: the floor of the relay\'s design, not the goal\'s floor). '
        : ' (write(2), the goal\'s floor; the relay\'s sweep submits its sends through io_uring). ') +
      `Per run: relay and floor each hold the viewers at once` +
      (PIN_CORES ? ' (every thread of each server pinned to core 0, its generators and the bench\'s own process to core 1, with taskset), ' : ', ') +
      (FLOOR_WARM_UP_S > 0
        ? `each first serves the run's highest rate for ${FLOOR_WARM_UP_S} s unmeasured (warm-up: the relay's JIT compiles its hot paths there, as a relay running for weeks did long ago), `
        : 'with no warm-up (the relay measured in its first minute, JIT compiling included), ') +
      `and at every rate they take turns in ${FLOOR_SLICES_PER_SIDE * 2} slices of ` +
      `${seconds / FLOOR_SLICES_PER_SIDE} s (ABBA repeated: relay, floor, floor, relay, ... in odd runs; floor, relay, relay, floor, ... in even ones), the side not ` +
      `measured stopped with SIGSTOP so it costs nothing, and each side's slices summed into its row: a machine whose speed drifts within ` +
      `the row weighs on both sides alike. ${runs} run(s) back to back, ${seconds} s per side and row. Writes are the ` +
      'server\'s own: its write syscalls (`syscw` in /proc/<pid>/io, every write of the process) plus the sends it submits ' +
      'through io_uring (no write syscall each; the relay\'s `aeolian_viewer_ring_sends_total`, the floor\'s own count); CPU is its user / system time from /proc/<pid>/stat per write. ' +
      '"Lowest accounted" is, of each side\'s slices in the row, the lowest share of the wall clock that the machine accounted for ' +
      '(every state of both cores in /proc/stat, idle included, over the slice): this VM reports no steal, so time the host took from it shows only ' +
      'as a shortfall here; a slice well under 100 % was paused, whichever server ran (nothing is discarded or rerun for it). ' +
      '"Relay slices with a mark-compact": of the relay\'s slices in the row, those in which it ran a full garbage collection ' +
      '(its `nodejs_gc_duration_seconds_count{kind="major"}` rose): one marks every viewer\'s socket on the relay\'s core and stalls its ' +
      'sweep, which the floor, in C, never does; the bench neither avoids nor discards such slices.' +
      (load ? ` Load average (1 / 5 / 15 min) at the start of this phase ${loads(load.start)}, at its end ${loads(load.end)}.` : ''),
    '',
    '| viewers | strikes/s | run | relay p50 / p99 (ms) | floor p50 / p99 (ms) | relay writes/s | floor writes/s | relay CPU per write user / sys (us) | floor CPU per write user / sys (us) | CPU relay / floor | relay / floor CPU per write | relay / floor p99 | drops relay / floor | lowest accounted relay / floor | relay slices with a mark-compact | within 1.2x |',
    '|---:|---:|---:|---|---|---:|---:|---|---|---|---:|---:|---|---|---|---|',
    ...pairs.map(formatFloorPair),
    '',
    (FLOOR_WRITES === 'io_uring' ? 'Against the io_uring floor (a diagnostic: the goal is judged against the write(2) floor). ' : '') +
      `Goal (5,000 and 10,000 viewers at 50 and 200 strikes/s: relay within ${FLOOR_GOAL_RATIO}x of the floor's CPU per write and p99, every run): ` +
      (goalRows.length === 0 ? 'not measured in this run (no goal row).' : `**${met ? 'met' : 'missed'}** (${goalRows.filter(meetsGoal).length} of ${goalRows.length} rows within).`),
  ];
}
