// A load-generator process: thousands of /live viewers on bare sockets, each a minimal websocket
// client (handshake, unmasked server frames, pong) that reads seq and t straight from the bytes,
// so the generator costs far less than the relay it measures. Driven by its parent over IPC.
import net from 'node:net';
import { logGcPausesIfAsked } from './gcLog';
import { LatencyHistogram } from './latencyHistogram';

export type SwarmCommand =
  | { cmd: 'connect'; port: number; count: number; localAddresses: string[]; concurrency: number; spreadMs?: number }
  | { cmd: 'reset' }
  /** Stops reading on this share of the viewers (slow phones); they leave the statistics. */
  | { cmd: 'stall'; fraction: number }
  | { cmd: 'report' }
  | { cmd: 'exit' };

export interface SwarmConnected {
  type: 'connected';
  helloCount: number;
  failed: number;
  ms: number;
  /** ms from the command to each viewer's hello, for storm statistics. */
  helloAtMs: number[];
}

export interface SwarmReport {
  type: 'report';
  viewers: number;
  open: number;
  frames: number;
  /** Reads of socket data (about one per relay write, when the generator keeps up). */
  reads: number;
  bytes: number;
  strikes: number;
  gaps: number;
  closeCodes: Record<string, number>;
  lastSeqs: { min: number; max: number };
  latency: [number, number][];
}

const STRIKE_PREFIX = Buffer.from('{"type":"strike","seq":');
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

class SwarmViewer {
  pending: Buffer | null = null;
  upgraded = false;
  open = false;
  lastSeq = -1;
  closeCode = 0;
  stalled = false;

  constructor(
    readonly socket: net.Socket,
    private readonly stats: Stats,
    private readonly onHello: () => void,
  ) {}

  /** `length` bytes at the start of `chunk` (the shared READ_BUFFER: nothing may keep a view of it). */
  onData(chunk: Buffer, length: number): void {
    this.stats.reads++;
    let data = chunk;
    let end = length;
    if (this.pending) {
      data = Buffer.concat([this.pending, chunk.subarray(0, length)]);
      end = data.length;
      this.pending = null;
    }
    let offset = 0;
    if (!this.upgraded) {
      const headEnd = data.subarray(0, end).indexOf('\r\n\r\n');
      if (headEnd < 0) {
        this.pending = Buffer.from(data.subarray(0, end));
        return;
      }
      if (!data.subarray(0, 12).toString('latin1').startsWith('HTTP/1.1 101')) {
        this.socket.destroy();
        return;
      }
      this.upgraded = true;
      offset = headEnd + 4;
    }
    const now = Date.now();
    // Frames are read in place, by offsets (no Buffer view per frame: the generator makes no
    // garbage per strike).
    while (end - offset >= 2) {
      const opcode = data[offset]! & 0x0f;
      let length = data[offset + 1]! & 0x7f;
      let header = 2;
      if (length === 126) {
        if (end - offset < 4) break;
        length = data.readUInt16BE(offset + 2);
        header = 4;
      } else if (length === 127) {
        if (end - offset < 10) break;
        length = Number(data.readBigUInt64BE(offset + 2));
        header = 10;
      }
      if (end - offset < header + length) break;
      const from = offset + header;
      const to = from + length;
      offset = to;
      this.stats.frames++;
      this.stats.bytes += header + length;
      if (opcode === 0x1) this.onText(data, from, to, now);
      else if (opcode === 0x9) this.socket.write(pong(data.subarray(from, to)));
      else if (opcode === 0x8) this.closeCode = length >= 2 ? data.readUInt16BE(from) : 1005;
    }
    if (offset < end) this.pending = Buffer.from(data.subarray(offset, end));
  }

  /** The text frame at data[from, to). */
  private onText(data: Buffer, from: number, to: number, now: number): void {
    if (to - from > STRIKE_PREFIX.length && data.compare(STRIKE_PREFIX, 0, STRIKE_PREFIX.length, from, from + STRIKE_PREFIX.length) === 0) {
      let seq = 0;
      for (let i = from + STRIKE_PREFIX.length; data[i] !== 0x2c; i++) seq = seq * 10 + data[i]! - 48;
      // ...,"t":<digits>} : read t backwards from the closing brace.
      let t = 0;
      let scale = 1;
      for (let i = to - 2; data[i] !== 0x3a; i--, scale *= 10) t += (data[i]! - 48) * scale;
      if (this.lastSeq >= 0 && seq !== this.lastSeq + 1) this.stats.gaps += Math.max(0, seq - this.lastSeq - 1);
      this.lastSeq = seq;
      this.stats.strikes++;
      this.stats.latency.record(now - t);
      return;
    }
    if (!this.open) {
      const hello = JSON.parse(data.toString('utf8', from, to)) as { type: string; seq: number };
      if (hello.type === 'hello') {
        this.open = true;
        this.lastSeq = hello.seq;
        this.onHello();
      }
    }
  }
}

interface Stats {
  frames: number;
  reads: number;
  bytes: number;
  strikes: number;
  gaps: number;
  latency: LatencyHistogram;
}

function pong(payload: Buffer): Buffer {
  // Client frames must be masked; an all-zero mask key leaves the payload as it is.
  const header = Buffer.from([0x8a, 0x80 | payload.length, 0, 0, 0, 0]);
  return Buffer.concat([header, payload]);
}

function freshStats(): Stats {
  return { frames: 0, reads: 0, bytes: 0, strikes: 0, gaps: 0, latency: new LatencyHistogram() };
}

const viewers: SwarmViewer[] = [];
const stats = freshStats();

/**
 * Every viewer's reads land in this one buffer (net's `onread`), parsed before the next read: no
 * Buffer per read, so 100,000 reads a second make no garbage, and the generator's own collections
 * (each one walks all its sockets) do not hold frames back and add to the latency it measures.
 */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

function connectOne(port: number, localAddress: string, onHello: () => void, onFail: () => void): void {
  const socket = net.connect({
    port,
    host: '127.0.0.1',
    localAddress,
    // Called only after connect, by when `viewer` below exists.
    onread: {
      buffer: READ_BUFFER,
      callback: (bytes) => {
        viewer.onData(READ_BUFFER, bytes);
        return true;
      },
    },
  });
  socket.setNoDelay(true);
  let greeted = false;
  const viewer = new SwarmViewer(socket, stats, () => {
    greeted = true;
    onHello();
  });
  viewers.push(viewer);
  socket.on('connect', () =>
    socket.write(
      `GET /live HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    ),
  );
  socket.on('error', () => undefined);
  socket.on('close', () => {
    viewer.open = false;
    if (!greeted) onFail();
  });
}

async function connect(command: Extract<SwarmCommand, { cmd: 'connect' }>): Promise<SwarmConnected> {
  const startedAt = performance.now();
  const helloAtMs: number[] = [];
  let failed = 0;
  let started = 0;
  let inFlight = 0;
  return new Promise((resolve) => {
    const done = () => {
      if (helloAtMs.length + failed === command.count) {
        resolve({ type: 'connected', helloCount: helloAtMs.length, failed, ms: performance.now() - startedAt, helloAtMs });
      }
    };
    const startNext = () => {
      while (inFlight < command.concurrency && started < command.count) {
        // With a spread, viewer i may not start before i * spread / count ms (a storm inside a window).
        if (command.spreadMs && performance.now() - startedAt < (started * command.spreadMs) / command.count) {
          setTimeout(startNext, 1);
          return;
        }
        const address = command.localAddresses[started % command.localAddresses.length]!;
        started++;
        inFlight++;
        connectOne(
          command.port,
          address,
          () => {
            inFlight--;
            helloAtMs.push(performance.now() - startedAt);
            startNext();
            done();
          },
          () => {
            inFlight--;
            failed++;
            startNext();
            done();
          },
        );
      }
    };
    startNext();
  });
}

function report(): SwarmReport {
  const closeCodes: Record<string, number> = {};
  let min = Infinity;
  let max = -Infinity;
  let open = 0;
  for (const viewer of viewers) {
    if (viewer.closeCode) closeCodes[viewer.closeCode] = (closeCodes[viewer.closeCode] ?? 0) + 1;
    if (!viewer.open || viewer.stalled) continue;
    open++;
    min = Math.min(min, viewer.lastSeq);
    max = Math.max(max, viewer.lastSeq);
  }
  const { frames, reads, bytes, strikes, gaps, latency } = stats;
  return { type: 'report', viewers: viewers.length, open, frames, reads, bytes, strikes, gaps, closeCodes, lastSeqs: { min, max }, latency: latency.toJSON() };
}

process.on('message', (command: SwarmCommand) => {
  if (command.cmd === 'connect') void connect(command).then((result) => process.send!(result));
  else if (command.cmd === 'reset') {
    // Viewers hold this object: reset it in place.
    Object.assign(stats, freshStats());
    process.send!({ type: 'reset' });
  } else if (command.cmd === 'stall') {
    const every = Math.round(1 / command.fraction);
    viewers.forEach((viewer, index) => {
      if (index % every !== 0) return;
      viewer.stalled = true;
      viewer.socket.pause();
    });
    process.send!({ type: 'stalled' });
  } else if (command.cmd === 'report') process.send!(report());
  else if (command.cmd === 'exit') {
    for (const viewer of viewers) viewer.socket.destroy();
    process.exit(0);
  }
});
logGcPausesIfAsked(`generator ${process.pid}`);

// Never outlive the parent.
process.on('disconnect', () => process.exit(0));
