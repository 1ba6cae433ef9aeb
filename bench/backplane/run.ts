// `npm run bench:backplane`: the fan-out bench with two relays sharing a real redis-server, next to
// one lone relay measured the same way in the same run. Devices all connect to relay A; viewers are
// split between A and B, so half of them hear every strike through Redis. Results go to
// docs/benchmarks.md ("Backplane"). Small runs: BENCH_VIEWERS=1000 BENCH_RATES=50 BENCH_MEASURE_S=3 BENCH_WRITE=0.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { driveBenchDevices, openBenchDevices } from '../relay/benchDevices';
import { BENCH_DEVICES } from '../relay/benchStations';
import { writeDocSection } from '../relay/docSection';
import { forkTs, nextMessage } from '../relay/generators';
import { LatencyHistogram } from '../relay/latencyHistogram';
import { cpuShare, formatLoad, sampleProcess } from '../relay/procStats';
import { benchRelayNodeFlags } from '../relay/relayControl';
import type { SwarmCommand, SwarmConnected, SwarmReport } from '../relay/viewerSwarm';
import { GC_KINDS } from '../../src/relay/metrics';
import { findMetric } from '../../test/support/metrics';

const list = (name: string, fallback: number[]) => (process.env[name] ? process.env[name]!.split(',').map(Number) : fallback);
const VIEWER_COUNTS = list('BENCH_VIEWERS', [1_000, 5_000]);
const RATES = list('BENCH_RATES', [50, 200]);
const MEASURE_S = Number(process.env.BENCH_MEASURE_S ?? 5);
const WRITE_DOC = process.env.BENCH_WRITE !== '0';
const REDIS_PORT = Number(process.env.BENCH_REDIS_PORT ?? 6391);
const CONNECT_CONCURRENCY = 256;

interface Row {
  setup: string;
  viewers: number;
  rate: number;
  /** Latency over all viewers, and over the viewers of relay B only (every strike crossed Redis). */
  all: LatencyHistogram;
  remote: LatencyHistogram | undefined;
  relayCpu: number[];
  /** Per relay over the window: its garbage collector's main-thread pauses and how many were mark-compacts. */
  relayGc: GcSample[];
  redisCpu: number | undefined;
  drops: number;
}

interface GcSample {
  pauseMs: number;
  markCompacts: number;
}

function ask<T>(child: ChildProcess, command: SwarmCommand, replyType: string): Promise<T> {
  const reply = nextMessage<T>(child, replyType);
  child.send(command);
  return reply;
}

/** Without the append-only file: the bench measures the fan-out path, not the disk (see docs/architecture.md). */
async function startRedis(): Promise<ChildProcess> {
  const dir = mkdtempSync(join(os.tmpdir(), 'aeolian-bench-redis-'));
  const child = spawn('/usr/bin/redis-server', ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  return child;
}

async function startRelay(redisUrl: string): Promise<{ child: ChildProcess; port: number }> {
  const child = forkTs(new URL('./relayProcess.ts', import.meta.url), benchRelayNodeFlags(), { REDIS_URL: redisUrl });
  const { port } = await nextMessage<{ port: number }>(child, 'ready');
  return { child, port };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (child.connected) child.send({ cmd: 'exit' });
  else child.kill('SIGTERM');
  await Promise.race([exited, sleep(3_000)]);
  child.kill('SIGKILL');
}

async function latestSeq(port: number): Promise<number> {
  return ((await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { seq: number }).seq;
}

/** The relay's GC totals so far, from its nodejs_gc_duration_seconds histogram on /metrics. */
async function gcTotals(port: number): Promise<GcSample> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const read = (name: string) => findMetric(text, name) ?? Number.NaN;
  return {
    pauseMs: Object.values(GC_KINDS).reduce((sum, kind) => sum + read(`nodejs_gc_duration_seconds_sum{kind="${kind}"}`) * 1_000, 0),
    markCompacts: read('nodejs_gc_duration_seconds_count{kind="major"}'),
  };
}

const gcBetween = (before: GcSample, after: GcSample): GcSample => ({
  pauseMs: after.pauseMs - before.pauseMs,
  markCompacts: after.markCompacts - before.markCompacts,
});


function histogram(reports: SwarmReport[]): LatencyHistogram {
  const merged = new LatencyHistogram();
  for (const report of reports) merged.merge(report.latency);
  return merged;
}

/** One setup: `relayPorts[0]` gets the devices; viewers are split evenly over the relays. */
async function measure(setup: string, relays: { child: ChildProcess; port: number }[], redis: ChildProcess | undefined, viewers: number, run: number): Promise<Row[]> {
  const generators = relays.map(() => forkTs('./viewerSwarm.ts'));
  const rows: Row[] = [];
  try {
    await Promise.all(
      generators.map((generator, index) =>
        ask<SwarmConnected>(
          generator,
          {
            cmd: 'connect',
            port: relays[index]!.port,
            count: Math.floor(viewers / relays.length),
            localAddresses: [`127.${1 + (run % 200)}.${index}.2`],
            concurrency: CONNECT_CONCURRENCY,
          },
          'connected',
        ),
      ),
    );
    await sleep(1_000);
    const devices = await openBenchDevices(relays[0]!.port);
    for (const rate of RATES) {
      await Promise.all(generators.map((generator) => ask(generator, { cmd: 'reset' }, 'reset')));
      const seqBefore = await latestSeq(relays[0]!.port);
      // Read before the CPU samples, so rendering /metrics is not counted in the relays' CPU.
      const gcBefore = await Promise.all(relays.map((relay) => gcTotals(relay.port)));
      const before = relays.map((relay) => sampleProcess(relay.child.pid!));
      const redisBefore = redis ? sampleProcess(redis.pid!) : undefined;
      await driveBenchDevices(devices, rate, MEASURE_S);
      const relayCpu = relays.map((relay, index) => cpuShare(before[index]!, sampleProcess(relay.child.pid!)));
      const relayGc = (await Promise.all(relays.map((relay) => gcTotals(relay.port)))).map((after, index) => gcBetween(gcBefore[index]!, after));
      const redisCpu = redis && redisBefore ? cpuShare(redisBefore, sampleProcess(redis.pid!)) : undefined;
      const seqAfter = await latestSeq(relays[0]!.port);
      let reports: SwarmReport[] = [];
      for (let waited = 0; waited < 10_000; waited += 250) {
        reports = await Promise.all(generators.map((generator) => ask<SwarmReport>(generator, { cmd: 'report' }, 'report')));
        if (reports.every((r) => r.open === 0 || r.lastSeqs.min >= seqAfter)) break;
        await sleep(250);
      }
      const open = reports.reduce((sum, r) => sum + r.open, 0);
      const strikes = reports.reduce((sum, r) => sum + r.strikes, 0);
      const row: Row = {
        setup,
        viewers,
        rate,
        all: histogram(reports),
        remote: relays.length > 1 ? histogram(reports.slice(1)) : undefined,
        relayCpu,
        relayGc,
        redisCpu,
        drops: Math.max(0, (seqAfter - seqBefore) * open - strikes),
      };
      rows.push(row);
      console.log(format(row));
    }
    for (const device of devices) device.terminate();
  } finally {
    for (const generator of generators) if (generator.connected) generator.send({ cmd: 'exit' } satisfies SwarmCommand);
    await Promise.all(generators.map((generator) => Promise.race([new Promise((resolve) => generator.once('exit', resolve)), sleep(2_000)])));
    for (const generator of generators) generator.kill('SIGKILL');
  }
  return rows;
}

const pct = (share: number) => `${(share * 100).toFixed(0)} %`;
const latency = (h: LatencyHistogram) => `${h.percentile(50)} / ${h.percentile(99)} / ${h.max}`;
const gc = (sample: GcSample) => `${sample.pauseMs.toFixed(0)} (${sample.markCompacts})`;

function format(row: Row): string {
  return `| ${row.setup} | ${row.viewers.toLocaleString('en-US')} | ${row.rate} | ${latency(row.all)} | ${row.remote ? latency(row.remote) : '-'} | ${row.relayCpu.map(pct).join(' + ')} | ${row.relayGc.map(gc).join(' + ')} | ${row.redisCpu === undefined ? '-' : pct(row.redisCpu)} | ${row.drops} |`;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAtStart = formatLoad();
  const rows: Row[] = [];
  let run = Math.floor(Math.random() * 100);
  for (const viewers of VIEWER_COUNTS) {
    const lone = await startRelay('');
    try {
      rows.push(...(await measure('1 relay, no Redis', [lone], undefined, viewers, run++)));
    } finally {
      await stop(lone.child);
    }
    const redis = await startRedis();
    const relays = [await startRelay(`redis://127.0.0.1:${REDIS_PORT}`), await startRelay(`redis://127.0.0.1:${REDIS_PORT}`)];
    try {
      rows.push(...(await measure('2 relays + Redis', relays, redis, viewers, run++)));
    } finally {
      await Promise.all(relays.map((relay) => stop(relay.child)));
      redis.kill('SIGTERM');
    }
  }
  const load = formatLoad();
  const body = [
    `Command: \`npm run bench:backplane\` (bench/backplane). Run ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ` +
      `${os.cpus().length} cores, load average at the start ${loadAtStart}, at the end ${load}.`,
    '',
    `The fan-out bench (its viewer generator and bench stations) with the relays behind a real redis-server on loopback, ` +
      `against one lone relay measured the same way in the same run. ${BENCH_DEVICES} devices send to relay A; viewers are split evenly over the relays, ` +
      `so relay B's viewers hear every strike after a round trip through the Redis stream (publish script, then XREAD). ` +
      `Latency is strike accepted -> frame parsed by a viewer (ms), over every strike at every viewer, ${MEASURE_S} s per row. ` +
      `CPU is per process over the window (100 % = one core); relays, Redis and generators share the same ${os.cpus().length} cores. ` +
      `Relay GC is each relay's garbage-collection pauses on its main thread over the window (their sum, from its \`nodejs_gc_duration_seconds\` on /metrics) ` +
      `and how many of them were mark-compacts. Every relay runs as \`node ${benchRelayNodeFlags().join(' ')}\`.`,
    '',
    '| setup | viewers | strikes/s | latency p50 / p99 / max (ms) | relay B viewers only | relay CPU | relay GC pause ms (mark-compacts) | Redis CPU | drops |',
    '|---|---:|---:|---|---|---|---|---:|---:|',
    ...rows.map(format),
  ].join('\n');
  console.log(`\n${body}\n`);
  if (WRITE_DOC) writeDocSection(new URL('../../docs/benchmarks.md', import.meta.url).pathname, 'bench:backplane', 'Backplane', body);
}

await main();
process.exit(0);
