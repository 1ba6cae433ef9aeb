// The relay under test, in its own process so its CPU and memory can be read from /proc. The
// production startRelay, plus one bench-only command: compare serializing once per broadcast (what
// the hub does) with serializing once per viewer, over the same real viewer sockets.
import { startRelay } from '../../src/relay/server';
import type { ViewerSink } from '../../src/relay/hub';
import { createLogger } from '../../src/relay/log';
import { toPublicStation } from '../../src/relay/stationRegistry';
import { benchStations } from './benchStations';

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
});

// Bench-only: see the viewer sinks the hub fans out to, without changing the hub.
const sinks = new Set<ViewerSink>();
const addViewer = relay.hub.addViewer.bind(relay.hub);
const removeViewer = relay.hub.removeViewer.bind(relay.hub);
relay.hub.addViewer = (sink) => {
  sinks.add(sink);
  addViewer(sink);
};
relay.hub.removeViewer = (sink) => {
  sinks.delete(sink);
  removeViewer(sink);
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU of one fan-out, including the coalesced write that follows it on the next loop turn. */
async function cpuUs(fanOut: () => void): Promise<number> {
  const before = process.cpuUsage();
  fanOut();
  await new Promise((resolve) => setImmediate(resolve));
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

/** Alternates the two ways, with pauses so sockets drain, and sums the CPU of each fan-out alone. */
async function compare(broadcasts: number): Promise<CompareResult> {
  const station = relay.hub.registry.all()[0]!;
  let onceUs = 0;
  let perViewerUs = 0;
  for (let i = 0; i < broadcasts; i++) {
    // A station message (bigger than a strike) so viewers count it without breaking their seq.
    const message = { type: 'station', station: { ...toPublicStation(station), lastSeen: Date.now() + i } };
    onceUs += await cpuUs(() => {
      const frame = Buffer.from(JSON.stringify(message));
      for (const sink of sinks) sink.send(frame);
    });
    await pause(20);
    perViewerUs += await cpuUs(() => {
      for (const sink of sinks) sink.send(Buffer.from(JSON.stringify(message)));
    });
    await pause(20);
  }
  return { type: 'compare', viewers: sinks.size, onceUs: onceUs / broadcasts, perViewerUs: perViewerUs / broadcasts };
}

process.on('message', (command: RelayCommand) => {
  if (command.cmd === 'compare') void compare(command.broadcasts).then((result) => process.send!(result));
  else if (command.cmd === 'exit') void relay.close().then(() => process.exit(0));
});
process.on('disconnect', () => void relay.close().then(() => process.exit(0)));
process.send!({ type: 'ready', port: relay.port });
