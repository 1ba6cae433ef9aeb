// Micro-benchmark of the relay's cost per viewer write, in one process: N real ws viewer sockets on
// loopback (read by a child process that checks every frame arrives, in order), swept K times with
// one small frame by each way of writing, runs interleaved. Prints user and system CPU us per write
// (process.cpuUsage, the writer process only) for every run: user time is the relay's own work.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import { bareViewerWriter, viewerBacklogBytes, viewerWriter, writeRawFrames } from '../../src/relay/viewers/rawFrameWrite';
import { FAN_OUT_CHUNK_VIEWERS, RollingFanOut, wireFrames } from '../../src/relay/viewers/rollingFanOut';
import { VIEWER_SERVER_OPTIONS } from '../../src/relay/viewers/viewerGateway';
import { VIEWER_BACKLOG_BYTES } from '../../src/protocol';
import { numberListKnob, numberKnob } from './knobs';
import { formatLoad } from './procStats';

const VIEWERS = numberKnob('WRITE_VIEWERS', 2_000, { integer: true, min: 1 });
const SWEEPS = numberKnob('WRITE_SWEEPS', 40, { integer: true, min: 1 });
const RUNS = numberKnob('WRITE_RUNS', 5, { integer: true, min: 1 });
const STRIKE_PREFIX = '{"type":"strike","seq":';
const CONNECT_CONCURRENCY = 64;

type Writer = (viewer: WebSocket, wire: Buffer) => void;

/** net.Socket.write on ws's socket: the relay's write before the direct one. */
const socketWrite: Writer = (viewer, wire) => (viewer as unknown as { _socket: net.Socket })._socket.write(wire);

interface Variant {
  name: string;
  /** Writes one frame to every viewer, as one sweep; resolves when done. */
  sweep(viewers: WebSocket[], frame: Buffer): Promise<void>;
}

const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A bare loop over the viewers, yielding every FAN_OUT_CHUNK_VIEWERS as the relay does. */
function loopVariant(name: string, write: Writer): Variant {
  return {
    name,
    async sweep(viewers, frame) {
      const wire = wireFrames([frame]);
      for (let i = 0; i < viewers.length; i++) {
        write(viewers[i]!, wire);
        if ((i + 1) % FAN_OUT_CHUNK_VIEWERS === 0) await yieldTurn();
      }
    },
  };
}

/** The relay's path: RollingFanOut and the gateway's checks (open, backlog) around the write. */
function relayVariant(name: string, write: Writer, backlog: (viewer: WebSocket) => number): Variant {
  let fanOut: RollingFanOut<{ socket: WebSocket; stations: null }> | undefined;
  let added: WebSocket[] | undefined;
  return {
    name,
    async sweep(viewers, frame) {
      if (added !== viewers) {
        fanOut = new RollingFanOut((target, wire) => {
          const socket = target.socket;
          if (socket.readyState !== socket.OPEN) return;
          const queued = backlog(socket);
          if (queued > 0 && queued + wire.length > VIEWER_BACKLOG_BYTES) throw new Error('backlog over limit in the bench');
          write(socket, wire);
        });
        for (const socket of viewers) fanOut.add({ socket, stations: null }, []);
        added = viewers;
      }
      fanOut!.broadcast(frame);
      while (fanOut!.busy) await yieldTurn();
    },
  };
}

/**
 * The relay's path today: each viewer's writer arms on its first write and the fan-out's native
 * sweep writes armed viewers bare, a chunk per call (the gateway's wiring, without its other checks).
 */
function bareSweepVariant(): Variant {
  type Target = { socket: WebSocket; stations: null };
  let fanOut: RollingFanOut<Target> | undefined;
  let added: WebSocket[] | undefined;
  return {
    name: 'relay, bare sweep',
    async sweep(viewers, frame) {
      if (!bareViewerWriter) throw new Error('the bare sweep needs the native viewer write: npm run build:native');
      if (added !== viewers) {
        const sweeping = new RollingFanOut<Target>(
          (target, wire, bareWritten) => {
            const writer = viewerWriter(target.socket);
            if (bareWritten !== undefined) writer.writeRest(wire, bareWritten);
            else if (writer.open) writer.write(wire);
          },
          undefined,
          undefined,
          bareViewerWriter,
        );
        for (const socket of viewers) {
          const target: Target = { socket, stations: null };
          sweeping.add(target, []);
          viewerWriter(socket).onArmedChange = (fd) => sweeping.armed(target, fd);
          sweeping.armed(target, viewerWriter(socket).descriptor);
        }
        fanOut = sweeping;
        added = viewers;
      }
      fanOut!.broadcast(frame);
      while (fanOut!.busy) await yieldTurn();
    },
  };
}

const ALL_VARIANTS: Variant[] = [
  loopVariant('socket.write', socketWrite),
  loopVariant('writeRawFrames', writeRawFrames),
  relayVariant('relay, socket.write', socketWrite, (viewer) => viewer.bufferedAmount),
  relayVariant('relay, writeRawFrames', writeRawFrames, viewerBacklogBytes),
  bareSweepVariant(),
];
/** WRITE_VARIANTS: indexes into the list above (e.g. "1,3"); all by default. */
const VARIANTS = numberListKnob('WRITE_VARIANTS', [...ALL_VARIANTS.keys()], { integer: true, min: 0 }).map((index) => {
  const variant = ALL_VARIANTS[index];
  if (!variant) throw new Error(`WRITE_VARIANTS: no variant ${index} (0 to ${ALL_VARIANTS.length - 1})`);
  return variant;
});

/** Write syscalls of this process so far (every write-family call), from /proc/self/io. */
function writeSyscalls(): number {
  const match = /syscw: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'));
  return match ? Number(match[1]) : NaN;
}

async function main(): Promise<void> {
  const wss = new WebSocketServer(VIEWER_SERVER_OPTIONS);
  const viewers: WebSocket[] = [];
  const http: Server = createServer();
  http.on('upgrade', (request, socket, head) => wss.handleUpgrade(request, socket, head, (ws) => viewers.push(ws)));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const self = fileURLToPath(import.meta.url);
  // tsx for the .ts; none for a bundle (run under callgrind, where tsx's start-up would dominate).
  const reader = fork(self, ['reader'], { execArgv: self.endsWith('.ts') ? ['--import', 'tsx'] : [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  reader.send({ port: (http.address() as AddressInfo).port, count: VIEWERS });
  while (viewers.length < VIEWERS) await new Promise((resolve) => setTimeout(resolve, 20));

  const load = formatLoad();
  console.log(`writeCost: ${VIEWERS} viewers, ${SWEEPS} sweeps of one ${frameFor(0).length}-byte frame per run, ${RUNS} runs interleaved, Node ${process.version}, load ${load}`);
  console.log('| run | variant | user us/write | sys us/write | write syscalls/write | wall ms |');
  console.log('|---:|---|---:|---:|---:|---:|');
  let seq = 0;
  const results = new Map<string, number[]>();
  for (let run = 1; run <= RUNS; run++) {
    for (const variant of VARIANTS) {
      await variant.sweep(viewers, frameFor(seq++)); // warm up (and build the relay's fan-out)
      const syscalls = writeSyscalls();
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let sweep = 0; sweep < SWEEPS; sweep++) await variant.sweep(viewers, frameFor(seq++));
      const wallMs = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const writes = VIEWERS * SWEEPS;
      const userUs = used.user / writes;
      results.set(variant.name, [...(results.get(variant.name) ?? []), userUs]);
      console.log(`| ${run} | ${variant.name} | ${userUs.toFixed(2)} | ${(used.system / writes).toFixed(2)} | ${((writeSyscalls() - syscalls) / writes).toFixed(2)} | ${wallMs.toFixed(0)} |`);
    }
  }
  reader.send({ expectFrames: seq });
  const verdict = await new Promise<{ frames: number; outOfOrder: number; viewers: number }>((resolve) => reader.once('message', resolve));
  console.log(`\nuser us/write, median of ${RUNS}: ${[...results].map(([name, us]) => `${name} ${median(us).toFixed(2)}`).join('; ')}`);
  console.log(`load at the end ${formatLoad()}`);
  console.log(`reader: ${verdict.viewers} viewers got ${verdict.frames} frames (expected ${seq * VIEWERS}), ${verdict.outOfOrder} out of order`);
  reader.kill();
  for (const viewer of viewers) viewer.terminate();
  wss.close();
  http.close();
  if (verdict.frames !== seq * VIEWERS || verdict.outOfOrder > 0) process.exitCode = 1;
}

function frameFor(seq: number): Buffer {
  return Buffer.from(`${STRIKE_PREFIX}${seq},"station":"bench-07","chime":3,"v":0.42,"t":1764400000000}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The child: N bare websocket clients that parse every frame and check seq runs 0, 1, 2, ... */
function reader(): void {
  let frames = 0;
  let outOfOrder = 0;
  const sockets: net.Socket[] = [];
  process.once('message', ({ port, count }: { port: number; count: number }) => {
    const open = (): void => {
      if (sockets.length === count) return;
      const socket = net.connect(port, '127.0.0.1');
      sockets.push(socket);
      let upgraded = false;
      let pending: Buffer | null = null;
      let nextSeq = 0;
      socket.on('error', (error) => console.error(`reader: viewer ${sockets.indexOf(socket)}: ${error.message}`));
      socket.write(`GET /live HTTP/1.1\r\nHost: bench\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      socket.on('data', (chunk: Buffer) => {
        let data = pending ? Buffer.concat([pending, chunk]) : chunk;
        pending = null;
        if (!upgraded) {
          const end = data.indexOf('\r\n\r\n');
          if (end < 0) return void (pending = data);
          upgraded = true;
          open(); // the next viewer, once this one is in (a slow writer, under callgrind, gets no flood)
          data = data.subarray(end + 4);
        }
        let offset = 0;
        while (data.length - offset >= 2 && data.length - offset >= 2 + (data[offset + 1]! & 0x7f)) {
          const length = data[offset + 1]! & 0x7f; // the bench's frames are all under 126 bytes
          let seq = 0;
          for (let j = offset + 2 + STRIKE_PREFIX.length; data[j] !== 0x2c; j++) seq = seq * 10 + data[j]! - 48;
          if (seq !== nextSeq) outOfOrder++;
          nextSeq = seq + 1;
          frames++;
          offset += 2 + length;
        }
        if (offset < data.length) pending = Buffer.from(data.subarray(offset));
      });
    };
    for (let i = 0; i < CONNECT_CONCURRENCY; i++) open();
    process.once('message', ({ expectFrames }: { expectFrames: number }) => {
      const deadline = Date.now() + 10_000;
      const report = () => {
        if (frames < expectFrames * count && Date.now() < deadline) return void setTimeout(report, 50);
        process.send!({ frames, outOfOrder, viewers: sockets.length });
      };
      report();
    });
  });
}

if (process.argv[2] === 'reader') reader();
else await main();
