// `npm run bench:relay`: relay fan-out under load. The relay runs in its own process, the viewers in
// one or two generator processes on loopback, the devices here; results go to docs/benchmarks.md.
// Small runs while developing: BENCH_VIEWERS=500,1000 BENCH_RATES=50 BENCH_MEASURE_S=3 BENCH_WRITE=0.
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { driveBenchDevices, flood, openBenchDevices, openFloodDevice } from './benchDevices';
import { BENCH_DEVICES } from './benchStations';
import { writeDocSection } from './docSection';
import { LatencyHistogram } from './latencyHistogram';
import { cpuShare, sampleProcess, type ProcSample } from './procStats';
import type { CompareResult } from './relayUnderTest';
import { formatRateRow, report, TARGET_P99_MS, type RateRow, type Results, type StormResult } from './report';
import type { SwarmCommand, SwarmConnected, SwarmReport } from './viewerSwarm';

const list = (name: string, fallback: number[]) =>
  process.env[name] !== undefined ? process.env[name]!.split(',').filter(Boolean).map(Number) : fallback;
/** The relay needs one descriptor per viewer; this container's hard RLIMIT_NOFILE is 20,000. */
const VIEWER_COUNTS = list('BENCH_VIEWERS', [1_000, 2_500, 5_000, 7_500, 10_000, 19_900]);
const RATES = list('BENCH_RATES', [50, 200]);
/** Rates tried on the largest viewer count to find the ceiling, until p99 >= the target or drops. */
const CEILING_RATES = list('BENCH_CEILING_RATES', [400, 800, 1_600]);
const MEASURE_S = Number(process.env.BENCH_MEASURE_S ?? 10);
const STORM_VIEWERS = Number(process.env.BENCH_STORM_VIEWERS ?? 5_000);
const STORM_WINDOW_MS = 1_000;
const WRITE_DOC = process.env.BENCH_WRITE !== '0';
/** One generator process per this many viewers (each process also has a descriptor limit). */
const VIEWERS_PER_GENERATOR = 10_000;
const CONNECT_CONCURRENCY = 256;
/** On the smallest viewer count: this share of viewers stops reading, and the others' latency is compared. */
const SLOW_VIEWER_FRACTION = 0.1;
const SLOW_PHASE_RATE = 200;
/** On the smallest viewer count: one more station floods this many strikes/s while the others send FLOOD_PHASE_RATE. */
const FLOOD_STRIKES_PER_S = 10_000;
const FLOOD_PHASE_RATE = 50;
const HEALTHZ_POLL_MS = 25;



function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type?: string }) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) while waiting for ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function forkTs(file: string, env: Record<string, string> = {}): ChildProcess {
  return fork(new URL(file, import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

class Generators {
  private constructor(readonly children: ChildProcess[]) {}

  static start(count: number): Generators {
    return new Generators(Array.from({ length: count }, () => forkTs('./viewerSwarm.ts')));
  }

  async all<T>(command: SwarmCommand, replyType: string): Promise<T[]> {
    return Promise.all(
      this.children.map((child) => {
        const reply = nextMessage<T>(child, replyType);
        child.send(command);
        return reply;
      }),
    );
  }

  async connect(port: number, viewers: number, run: number, spreadMs?: number): Promise<SwarmConnected[]> {
    return Promise.all(
      this.children.map((child, index) => {
        const reply = nextMessage<SwarmConnected>(child, 'connected');
        const count = Math.floor(viewers / this.children.length) + (index < viewers % this.children.length ? 1 : 0);
        // A fresh source address per run and generator: no TIME_WAIT leftovers, 28k ports each.
        const localAddresses = [`127.${1 + (run % 200)}.${index}.${2 + Math.floor(index / 250)}`];
        child.send({ cmd: 'connect', port, count, localAddresses, concurrency: spreadMs ? count : CONNECT_CONCURRENCY, spreadMs } satisfies SwarmCommand);
        return reply;
      }),
    );
  }

  stop(): void {
    for (const child of this.children) if (child.connected) child.send({ cmd: 'exit' } satisfies SwarmCommand);
    setTimeout(() => this.children.forEach((child) => child.kill('SIGKILL')), 2_000).unref();
  }
}

async function startRelayProcess(): Promise<{ child: ChildProcess; port: number }> {
  const child = forkTs('./relayUnderTest.ts');
  const { port } = await nextMessage<{ port: number }>(child, 'ready');
  return { child, port };
}

async function stopRelayProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ cmd: 'exit' });
  await Promise.race([exited, sleep(3_000)]);
  child.kill('SIGKILL');
}

async function healthz(port: number): Promise<{ seq: number; viewers: number }> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return (await response.json()) as { seq: number; viewers: number };
}

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}

/** Cumulative bucket counts of the relay's fan-out histogram, by upper bound in seconds. */
async function fanOutBuckets(port: number): Promise<Map<number, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const buckets = new Map<number, number>();
  for (const match of text.matchAll(/^aeolian_broadcast_duration_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)) {
    buckets.set(match[1] === '+Inf' ? Infinity : Number(match[1]), Number(match[2]));
  }
  return buckets;
}

/** The bucket bound under which `p` % of the broadcasts between two scrapes were written everywhere (ms). */
function fanOutPercentileMs(before: Map<number, number>, after: Map<number, number>, p = 99): number {
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  for (const [bound, count] of after) if (count - (before.get(bound) ?? 0) >= (p / 100) * total) return bound * 1000;
  return Infinity;
}

async function measureRate(
  port: number,
  pid: number,
  generators: Generators,
  devices: WebSocket[],
  viewers: number,
  rate: number,
  flooder?: WebSocket,
): Promise<RateRow> {
  await generators.all({ cmd: 'reset' }, 'reset');
  const seqBefore = (await healthz(port)).seq;
  const slowBefore = await metric(port, 'aeolian_slow_viewer_closes_total');
  const bucketsBefore = await fanOutBuckets(port);
  const generatorPids = generators.children.map((child) => child.pid!);
  const generatorsBefore = generatorPids.map(sampleProcess);
  const samples: ProcSample[] = [sampleProcess(pid)];
  const sampler = setInterval(() => samples.push(sampleProcess(pid)), 500);
  await Promise.all([driveBenchDevices(devices, rate, MEASURE_S), flooder && flood(flooder, FLOOD_STRIKES_PER_S, MEASURE_S)]);
  clearInterval(sampler);
  const end = sampleProcess(pid);
  samples.push(end);
  const generatorCpu = generatorPids.reduce((sum, generatorPid, index) => sum + cpuShare(generatorsBefore[index]!, sampleProcess(generatorPid)), 0);
  const seqAfter = (await healthz(port)).seq;
  const relayFanOutP99Ms = fanOutPercentileMs(bucketsBefore, await fanOutBuckets(port));
  // Let the last strikes arrive before counting what each viewer missed.
  let reports: SwarmReport[] = [];
  for (let waited = 0; waited < 10_000; waited += 250) {
    reports = await generators.all<SwarmReport>({ cmd: 'report' }, 'report');
    if (reports.every((r) => r.open === 0 || r.lastSeqs.min >= seqAfter)) break;
    await sleep(250);
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
  const expected = (seqAfter - seqBefore) * open;
  const windowS = (end.at - samples[0]!.at) / 1000;
  return {
    viewers,
    rate,
    p50: latency.percentile(50),
    p99: latency.percentile(99),
    max: latency.max,
    framesPerS: frames / windowS,
    readsPerS: reads / windowS,
    bytesPerS: bytes / windowS,
    cpu: cpuShare(samples[0]!, end),
    generatorCpu,
    relayFanOutP99Ms,
    rssBytes: Math.max(...samples.map((s) => s.rssBytes)),
    rssPerViewerBytes: 0,
    drops: Math.max(0, expected - strikes),
    slowCloses: (await metric(port, 'aeolian_slow_viewer_closes_total')) - slowBefore,
  };
}

async function runViewerCount(viewers: number, run: number, rates: number[], results: Results, slowPhase: boolean) {
  const relay = await startRelayProcess();
  const generators = Generators.start(Math.ceil(viewers / VIEWERS_PER_GENERATOR));
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
    await stopRelayProcess(relay.child);
  }
}


async function runStorm(viewers: number, run: number): Promise<StormResult> {
  const relay = await startRelayProcess();
  const generators = Generators.start(Math.ceil(viewers / VIEWERS_PER_GENERATOR));
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
    await stopRelayProcess(relay.child);
  }
}


async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAtStart = os.loadavg();
  const results: Results = { rates: [], setups: [], compares: [] };
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
  const settings = {
    measureS: MEASURE_S,
    viewersPerGenerator: VIEWERS_PER_GENERATOR,
    benchDevices: BENCH_DEVICES,
    slowPhaseRate: SLOW_PHASE_RATE,
    stormWindowMs: STORM_WINDOW_MS,
    healthzPollMs: HEALTHZ_POLL_MS,
    maxViewers: Math.max(...VIEWER_COUNTS),
  };
  const body = report(results, settings, startedAt, loadAtStart);
  console.log(`\n${body}\n`);
  if (WRITE_DOC) writeDocSection(new URL('../../docs/benchmarks.md', import.meta.url).pathname, 'bench:relay', 'Relay fan-out', body);
}

await main();
process.exit(0);
