// The relay against its floor: the C sweep writer (sweepFloor.c) holding the same number of viewers
// from the same generator, fed the same strikes at the same rates, measured back to back in one
// run. Goal (issue 17): the relay within FLOOR_GOAL_RATIO of the floor's CPU per write and p99.
import { setTimeout as sleep } from 'node:timers/promises';
import { driveBenchDevices, openBenchDevices } from './benchDevices';
import { BENCH_DEVICES } from './benchStations';
import { Generators } from './generators';
import { measureLoad, type LoadRow, type LoadTarget } from './measure';
import { fanOutBuckets, fanOutPercentileMs, healthz, metric, startRelayProcess, stopRelayProcess } from './relayControl';
import { SweepFloor } from './sweepFloor';

export const FLOOR_GOAL_RATIO = 1.2;
/** After connecting, before measuring: let handshakes and hellos settle. */
const SETTLE_MS = 1_000;

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
  seconds: number;
  /** Picks fresh source addresses for the generators' connections. */
  addressRun: number;
  floorBinary: string;
  profileDir?: string;
}

async function measureServer(port: number, target: LoadTarget, options: FloorOptions, addressRun: number): Promise<{ rows: LoadRow[]; failed: number }> {
  const generators = Generators.start(options.viewers);
  try {
    const connected = await generators.connect(port, options.viewers, addressRun);
    const failed = connected.reduce((sum, c) => sum + c.failed, 0);
    await sleep(SETTLE_MS);
    const rows: LoadRow[] = [];
    for (const rate of options.rates) rows.push(await measureLoad(target, generators, options.viewers - failed, rate, options.seconds));
    return { rows, failed };
  } finally {
    generators.stop();
  }
}

/**
 * One run of the set: the relay at every rate and the floor at every rate, same viewers. Odd runs
 * measure the relay first, even runs the floor first, so a machine that drifts over the minutes
 * a set takes (its own load rising, neighbours) does not always favour the same side.
 */
export async function compareWithFloor(options: FloorOptions, run: number): Promise<FloorPair[]> {
  const relayFirst = run % 2 === 1;
  const first = relayFirst ? await measureRelay(options, run) : await measureFloor(options);
  const second = relayFirst ? await measureFloor(options) : await measureRelay(options, run);
  const [relayRows, floorRows] = relayFirst ? [first, second] : [second, first];
  return options.rates.map((rate, index) => ({ viewers: options.viewers, rate, run, relay: relayRows[index]!, floor: floorRows[index]! }));
}

async function measureRelay(options: FloorOptions, run: number): Promise<LoadRow[]> {
  const relay = await startRelayProcess(`floor comparison, ${options.viewers} viewers, run ${run}`, options.profileDir);
  try {
    const devices = await openBenchDevices(relay.port);
    const target: LoadTarget = {
      pid: relay.child.pid!,
      name: 'relay',
      drive: (rate, seconds) => driveBenchDevices(devices, rate, seconds),
      latestSeq: async () => (await healthz(relay.port)).seq,
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
    const rows = (await measureServer(relay.port, target, options, options.addressRun)).rows;
    for (const device of devices) device.terminate();
    return rows;
  } finally {
    await stopRelayProcess(relay);
  }
}

async function measureFloor(options: FloorOptions): Promise<LoadRow[]> {
  const floor = await SweepFloor.start(options.floorBinary);
  try {
    const target: LoadTarget = {
      pid: floor.pid,
      name: 'floor',
      drive: (rate, seconds) => floor.drive(BENCH_DEVICES, rate, seconds),
      latestSeq: () => Promise.resolve(floor.latestSeq),
    };
    return (await measureServer(floor.port, target, options, options.addressRun + 1)).rows;
  } finally {
    await floor.close();
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
const us = (row: LoadRow) => `${row.userUsPerWrite.toFixed(1)} / ${row.sysUsPerWrite.toFixed(1)}`;

export function formatFloorPair(pair: FloorPair): string {
  const { relay, floor } = pair;
  const r = ratios(pair);
  return (
    `| ${int(pair.viewers)} | ${pair.rate} | ${pair.run} | ${relay.p50} / ${relay.p99} | ${floor.p50} / ${floor.p99} | ` +
    `${int(relay.writesPerS)} | ${int(floor.writesPerS)} | ${us(relay)} | ${us(floor)} | ${(relay.cpu * 100).toFixed(0)} % / ${(floor.cpu * 100).toFixed(0)} % | ` +
    `${r.cpu.toFixed(2)} | ${r.p99.toFixed(2)} | ${int(relay.drops)} / ${int(floor.drops)} | ${meetsGoal(pair) ? 'yes' : 'no'} |`
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
      `stamped with t on receipt as the relay stamps on accept), one cursor sweeping the viewers with everything pending in one write(). ` +
      `Per run: relay at every rate and the floor at every rate (the relay first in odd runs, the floor first in even runs, so drift over a set ` +
      `does not favour one side), ${runs} run(s) back to back, ${seconds} s per row. Write syscalls are the ` +
      'server\'s own (`syscw` in /proc/<pid>/io, every write of the process), CPU is its user / system time from /proc/<pid>/stat per write syscall.' +
      (load ? ` Load average (1 / 5 / 15 min) at the start of this phase ${loads(load.start)}, at its end ${loads(load.end)}.` : ''),
    '',
    '| viewers | strikes/s | run | relay p50 / p99 (ms) | floor p50 / p99 (ms) | relay writes/s | floor writes/s | relay CPU per write user / sys (us) | floor CPU per write user / sys (us) | CPU relay / floor | relay / floor CPU per write | relay / floor p99 | drops relay / floor | within 1.2x |',
    '|---:|---:|---:|---|---|---:|---:|---|---|---|---:|---:|---|---|',
    ...pairs.map(formatFloorPair),
    '',
    `Goal (5,000 and 10,000 viewers at 50 and 200 strikes/s: relay within ${FLOOR_GOAL_RATIO}x of the floor's CPU per write and p99, every run): ` +
      (goalRows.length === 0 ? 'not measured in this run (no goal row).' : `**${met ? 'met' : 'missed'}** (${goalRows.filter(meetsGoal).length} of ${goalRows.length} rows within).`),
  ];
}
