// The relay under test, in its own process so its CPU and memory can be read from /proc. The
// production startRelay, plus one bench-only command: compare serializing once per broadcast (what
// the hub does) with serializing once per viewer, over the same real viewer sockets.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startRelay } from '../../src/relay/server';
import type { RollingFanOut, FanOutTarget } from '../../src/relay/viewers/rollingFanOut';
import { createLogger } from '../../src/relay/log';
import { toPublicStation } from '../../src/relay/stations/stationRegistry';
import { logGcPausesIfAsked } from './gcLog';
import { benchStations } from './benchStations';
import { numberKnob } from './knobs';

export type RelayCommand = { cmd: 'compare'; broadcasts: number } | { cmd: 'exit' };

export interface CompareResult {
  type: 'compare';
  viewers: number;
  /** CPU microseconds per broadcast, each way. */
  onceUs: number;
  perViewerUs: number;
}

const relay = await startRelay({
  port: 0,
  stations: benchStations(),
  logger: createLogger(process.env.LOG_LEVEL ?? 'info'),
  distDir: 'does-not-exist',
  // Each generator's thousands of viewers share one source address: lift MAX_VIEWERS_PER_ADDRESS.
  maxViewersPerAddress: 1_000_000,
  // BENCH_RELAY_PING_MS: a diagnostic only, to see what the heartbeat (pings out, pongs read) costs
  // the relay against the floor, which has none. Never set for published rows.
  ...(process.env.BENCH_RELAY_PING_MS ? { pingIntervalMs: numberKnob('BENCH_RELAY_PING_MS', 0, { positive: true }) } : {}),
});

logGcPausesIfAsked('relay');

// Bench-only: reach the gateway's viewers and fan-out, to send each viewer a frame of its own.
const gateway = relay.viewers as unknown as { links: Set<FanOutTarget>; fanOut: RollingFanOut<FanOutTarget> };


/** CPU of one fan-out, including the sweep of writes that follows it over the next loop turns. */
async function cpuUs(fanOut: () => void): Promise<number> {
  const before = process.cpuUsage();
  fanOut();
  while (gateway.fanOut.busy) await new Promise((resolve) => setImmediate(resolve));
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

/** Alternates the two ways, with pauses so sockets drain, and sums the CPU of each fan-out alone. */
async function compare(broadcasts: number): Promise<CompareResult> {
  const station = relay.stations.all()[0]!;
  let onceUs = 0;
  let perViewerUs = 0;
  for (let i = 0; i < broadcasts; i++) {
    // A station message (bigger than a strike) so viewers count it without breaking their seq.
    const message = { type: 'station', station: { ...toPublicStation(station), lastSeen: Date.now() + i } };
    onceUs += await cpuUs(() => {
      relay.viewers.broadcast(Buffer.from(JSON.stringify(message)));
    });
    await sleep(20);
    perViewerUs += await cpuUs(() => {
      for (const link of gateway.links) gateway.fanOut.send(link, Buffer.from(JSON.stringify(message)));
    });
    await sleep(20);
  }
  return { type: 'compare', viewers: gateway.links.size, onceUs: onceUs / broadcasts, perViewerUs: perViewerUs / broadcasts };
}

/**
 * BENCH_ALLOC_PROFILE=<folder>: V8's sampling heap profiler, counting objects the GC has already
 * collected too (what young-generation pauses are made of), from the moment the viewer count has
 * stopped growing for 2 s (set-up done) until exit; written as <folder>/relay-<pid>.heapprofile.
 * With BENCH_ALLOC_PROFILE_PROMOTED=1, only objects that outlived the young generation (promoted,
 * whether a later mark-compact collected them or not): what fills the old generation.
 */
const allocProfileDir = process.env.BENCH_ALLOC_PROFILE;
let stopAllocProfile: () => Promise<void> = () => Promise.resolve();
if (allocProfileDir) {
  const session = new Session();
  session.connect();
  let lastCount = -1;
  let steadySince = Date.now();
  const waitForSetUp = setInterval(() => {
    const count = gateway.links.size;
    if (count !== lastCount) [lastCount, steadySince] = [count, Date.now()];
    if (count === 0 || Date.now() - steadySince < 2_000) return;
    clearInterval(waitForSetUp);
    void session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.BENCH_ALLOC_PROFILE_PROMOTED !== '1' });
    stopAllocProfile = async () => {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(join(allocProfileDir, `relay-${process.pid}.heapprofile`), JSON.stringify(profile));
    };
  }, 500);
}

const exit = () => void stopAllocProfile().then(() => relay.close()).then(() => process.exit(0));
process.on('message', (command: RelayCommand) => {
  if (command.cmd === 'compare') void compare(command.broadcasts).then((result) => process.send!(result));
  else if (command.cmd === 'exit') exit();
});
process.on('disconnect', exit);
process.send!({ type: 'ready', port: relay.port });
