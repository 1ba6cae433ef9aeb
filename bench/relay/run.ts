// `npm run bench:relay`: relay fan-out under load. The relay runs in its own process, the viewers in
// one or two generator processes on loopback, the devices here; results go to docs/benchmarks.md.
// Small runs while developing: BENCH_VIEWERS=500,1000 BENCH_RATES=50 BENCH_MEASURE_S=3 BENCH_WRITE=0.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type WebSocket from 'ws';
import { driveBenchDevices, flood, openBenchDevices, openFloodDevice } from './benchDevices';
import { BENCH_DEVICES } from './benchStations';
import { summarizeProfiles } from './cpuProfile';
import { writeDocSection } from './docSection';
import { compareWithFloor, formatFloorPair } from './floorCompare';
import { Generators, nextMessage, VIEWERS_PER_GENERATOR } from './generators';
import { numberKnob, numberListKnob } from './knobs';
import { measureLoad } from './measure';
import { sampleProcess } from './procStats';
import { fanOutBuckets, fanOutPercentileMs, healthz, metric, relayPhases, startRelayProcess, stopRelayProcess } from './relayControl';
import type { CompareResult } from './relayUnderTest';
import { formatRateRow, report, TARGET_P99_MS, type RateRow, type Results, type StormResult } from './report';
import { buildSweepFloor } from './sweepFloor';

const COUNT = { integer: true, min: 1 };
const POSITIVE = { positive: true };
/** The relay needs one descriptor per viewer; this container's hard RLIMIT_NOFILE is 20,000. */
const VIEWER_COUNTS = numberListKnob('BENCH_VIEWERS', [1_000, 2_500, 5_000, 7_500, 10_000, 19_900], COUNT);
const RATES = numberListKnob('BENCH_RATES', [50, 200], POSITIVE);
/** Rates tried on the largest viewer count to find the ceiling, until p99 >= the target or drops. */
const CEILING_RATES = numberListKnob('BENCH_CEILING_RATES', [400, 800, 1_600], POSITIVE);
const MEASURE_S = numberKnob('BENCH_MEASURE_S', 10, POSITIVE);
const STORM_VIEWERS = numberKnob('BENCH_STORM_VIEWERS', 5_000, { integer: true, min: 0 });
/** Viewer counts compared with the C sweep floor (empty: skip), and back-to-back runs of each. */
const FLOOR_VIEWERS = numberListKnob('BENCH_FLOOR_VIEWERS', [5_000, 10_000], COUNT);
const FLOOR_RUNS = numberKnob('BENCH_FLOOR_RUNS', 3, COUNT);
/**
 * Window of each floor-comparison row: longer than the other rows', because relay and floor are
 * compared pair by pair and a 10 s window left each side's CPU per write varying by +-15 % run to run.
 */
const FLOOR_MEASURE_S = numberKnob('BENCH_FLOOR_MEASURE_S', 20, POSITIVE);
/** BENCH_PROFILE=1: every relay process runs under `node --cpu-prof`; a self-time summary is printed at the end. */
const PROFILE = process.env.BENCH_PROFILE === '1';
const PROFILE_TOP = numberKnob('BENCH_PROFILE_TOP', 25, COUNT);
const STORM_WINDOW_MS = 1_000;
const WRITE_DOC = process.env.BENCH_WRITE !== '0';
/** On the smallest viewer count: this share of viewers stops reading, and the others' latency is compared. */
const SLOW_VIEWER_FRACTION = 0.1;
const SLOW_PHASE_RATE = 200;
/** On the smallest viewer count: one more station floods this many strikes/s while the others send FLOOD_PHASE_RATE. */
const FLOOD_STRIKES_PER_S = 10_000;
const FLOOD_PHASE_RATE = 50;
const HEALTHZ_POLL_MS = 25;

const profileDir = PROFILE ? mkdtempSync(join(os.tmpdir(), 'aeolian-relay-cpuprof-')) : undefined;

async function measureRate(
  port: number,
  pid: number,
  generators: Generators,
  devices: WebSocket[],
  viewers: number,
  rate: number,
  flooder?: WebSocket,
): Promise<RateRow> {
  const slowBefore = await metric(port, 'aeolian_slow_viewer_closes_total');
  const bucketsBefore = await fanOutBuckets(port);
  const row = await measureLoad(
    {
      pid,
      name: 'relay',
      drive: (r, seconds) => Promise.all([driveBenchDevices(devices, r, seconds), flooder && flood(flooder, FLOOD_STRIKES_PER_S, seconds)]),
      latestSeq: async () => (await healthz(port)).seq,
      uncountedWrites: () => metric(port, 'aeolian_viewer_ring_sends_total'),
    },
    generators,
    viewers,
    rate,
    MEASURE_S,
  );
  return {
    ...row,
    relayFanOutP99Ms: fanOutPercentileMs(bucketsBefore, await fanOutBuckets(port)),
    rssPerViewerBytes: 0,
    slowCloses: (await metric(port, 'aeolian_slow_viewer_closes_total')) - slowBefore,
  };
}

async function runViewerCount(viewers: number, run: number, rates: number[], results: Results, slowPhase: boolean) {
  const relay = await startRelayProcess(`${viewers} viewers at ${rates.join(', ')} strikes/s`, profileDir);
  const generators = Generators.start(viewers);
  try {
    await sleep(500);
    const baselineRss = sampleProcess(relay.child.pid!).rssBytes;
    const connected = await generators.connect(relay.port, viewers, run);
    const failed = connected.reduce((sum, c) => sum + c.failed, 0);
    const setupMs = Math.max(...connected.map((c) => c.ms));
    await sleep(1_000);
    const connectedRss = sampleProcess(relay.child.pid!).rssBytes;
    results.setups.push({ viewers, ms: setupMs, failed, baselineRss, connectedRss });
    console.log(`${viewers} viewers: connected in ${setupMs.toFixed(0)} ms (${failed} failed), relay RSS ${(connectedRss / 2 ** 20).toFixed(0)} MB`);
    const devices = await openBenchDevices(relay.port);
    for (const rate of rates) {
      const row = await measureRate(relay.port, relay.child.pid!, generators, devices, viewers - failed, rate);
      row.rssPerViewerBytes = (row.rssBytes - baselineRss) / (viewers - failed);
      results.rates.push(row);
      console.log(formatRateRow(row));
      if (!RATES.includes(rate) && (row.p99 >= TARGET_P99_MS || row.drops > 0)) break;
    }
    if (slowPhase) {
      const flooder = await openFloodDevice(relay.port);
      const limitedBefore = await metric(relay.port, 'aeolian_strikes_rate_limited_total');
      const withFlood = await measureRate(relay.port, relay.child.pid!, generators, devices, viewers - failed, FLOOD_PHASE_RATE, flooder);
      const rateLimited = (await metric(relay.port, 'aeolian_strikes_rate_limited_total')) - limitedBefore;
      const baseline = results.rates.find((r) => r.viewers === viewers - failed && r.rate === FLOOD_PHASE_RATE);
      if (baseline) results.flood = { viewers: viewers - failed, strikesPerS: FLOOD_STRIKES_PER_S, rateLimited, baseline, withFlood };
      console.log(`with a ${FLOOD_STRIKES_PER_S}/s flood (${rateLimited} rate-limited): ${formatRateRow(withFlood)}`);
      flooder.terminate();
    }
    const baseline = results.rates.find((r) => r.viewers === viewers - failed && r.rate === SLOW_PHASE_RATE);
    if (slowPhase && baseline) {
      await generators.all({ cmd: 'stall', fraction: SLOW_VIEWER_FRACTION }, 'stalled');
      const stalled = Math.ceil((viewers - failed) * SLOW_VIEWER_FRACTION);
      const withSlow = await measureRate(relay.port, relay.child.pid!, generators, devices, viewers - failed - stalled, SLOW_PHASE_RATE);
      results.slow = { viewers: viewers - failed, stalled, baseline, withSlow };
      console.log(`with ${stalled} stalled viewers: ${formatRateRow(withSlow)}`);
    }
    for (const device of devices) device.terminate();
    const compare = nextMessage<CompareResult>(relay.child, 'compare');
    relay.child.send({ cmd: 'compare', broadcasts: 30 });
    const result = await compare;
    results.compares.push(result);
    console.log(`serialize once ${result.onceUs.toFixed(0)} us vs per viewer ${result.perViewerUs.toFixed(0)} us per broadcast to ${result.viewers}`);
  } finally {
    generators.stop();
    await stopRelayProcess(relay);
  }
}

async function runStorm(viewers: number, run: number): Promise<StormResult> {
  const relay = await startRelayProcess(`reconnect storm of ${viewers}`, profileDir);
  const generators = Generators.start(viewers);
  const healthzMs: number[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const startedAt = performance.now();
      await healthz(relay.port);
      healthzMs.push(performance.now() - startedAt);
      await sleep(HEALTHZ_POLL_MS);
    }
  })();
  try {
    await sleep(200);
    const connected = await generators.connect(relay.port, viewers, run, STORM_WINDOW_MS);
    polling = false;
    await poller;
    const sorted = [...healthzMs].sort((a, b) => a - b);
    return {
      viewers,
      helloCount: connected.reduce((sum, c) => sum + c.helloCount, 0),
      failed: connected.reduce((sum, c) => sum + c.failed, 0),
      allHelloMs: Math.max(...connected.map((c) => c.ms)),
      healthzMaxMs: sorted.at(-1) ?? NaN,
      healthzP99Ms: sorted[Math.floor(sorted.length * 0.99)] ?? NaN,
      healthzPolls: sorted.length,
    };
  } finally {
    polling = false;
    generators.stop();
    await stopRelayProcess(relay);
  }
}


async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAtStart = os.loadavg();
  const results: Results = { rates: [], setups: [], compares: [], floor: [] };
  let run = Math.floor(Math.random() * 100);
  const largest = Math.max(...VIEWER_COUNTS);
  for (const viewers of VIEWER_COUNTS) {
    const rates = viewers === largest ? [...RATES, ...CEILING_RATES] : RATES;
    await runViewerCount(viewers, run++, rates, results, viewers === Math.min(...VIEWER_COUNTS));
  }
  if (STORM_VIEWERS > 0) {
    results.storm = await runStorm(STORM_VIEWERS, run++);
    console.log(JSON.stringify(results.storm));
  }
  if (FLOOR_VIEWERS.length > 0 && FLOOR_RUNS > 0) {
    const loadStart = os.loadavg();
    const floor = buildSweepFloor();
    try {
      for (const viewers of FLOOR_VIEWERS) {
        for (let set = 1; set <= FLOOR_RUNS; set++) {
          const options = { viewers, rates: RATES, seconds: FLOOR_MEASURE_S, addressRun: run, floorBinary: floor.binary, ...(profileDir ? { profileDir } : {}) };
          run += 2;
          for (const pair of await compareWithFloor(options, set)) {
            results.floor.push(pair);
            console.log(formatFloorPair(pair));
          }
        }
      }
    } finally {
      floor.dispose();
    }
    results.floorLoad = { start: loadStart, end: os.loadavg() };
  }
  const settings = {
    measureS: MEASURE_S,
    viewersPerGenerator: VIEWERS_PER_GENERATOR,
    benchDevices: BENCH_DEVICES,
    slowPhaseRate: SLOW_PHASE_RATE,
    stormWindowMs: STORM_WINDOW_MS,
    healthzPollMs: HEALTHZ_POLL_MS,
    maxViewers: Math.max(...VIEWER_COUNTS),
    floorRuns: FLOOR_RUNS,
    floorMeasureS: FLOOR_MEASURE_S,
  };
  const body = report(results, settings, startedAt, loadAtStart);
  console.log(`\n${body}\n`);
  if (profileDir) console.log(`CPU profiles of the relay (node --cpu-prof) in ${profileDir}\n${summarizeProfiles(profileDir, PROFILE_TOP, relayPhases)}\n`);
  if (WRITE_DOC) writeDocSection(new URL('../../docs/benchmarks.md', import.meta.url).pathname, 'bench:relay', 'Relay fan-out', body);
}

await main();
process.exit(0);
