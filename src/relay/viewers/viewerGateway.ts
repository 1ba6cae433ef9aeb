// WS /live: the public, read-only stream. Viewers send nothing; a viewer that cannot keep up is cut
// at a fixed backlog (it can resume with `since`), so one slow phone never costs the relay memory.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import {
  CloseCode,
  DEVICE_PING_INTERVAL_MS,
  MAX_VIEWER_FRAME_BYTES,
  MAX_VIEWERS_PER_ADDRESS,
  VIEWER_BACKLOG_BYTES,
} from '../../protocol';
import type { StrikeHub, ViewerFanOut } from '../hub';
import { clientAddress, NO_PROXY, type ProxyTrust } from '../http/clientAddress';
import { rejectUpgrade } from '../http/upgrade';
import type { Logger } from '../log';
import { PacedReplay } from './pacedReplay';
import { readPongsInPlace } from './pongReader';
import { bareViewerWriter, viewerWriter, type ViewerWriter } from './rawFrameWrite';
import { batchWireFrames, RollingFanOut, wireFrames } from './rollingFanOut';
import { ViewerConnectionLog } from './viewerConnectionLog';
import { pingOrDrop } from '../http/heartbeat';

/** After a 1013 close the peer gets this long to read its backlog before the socket is destroyed. */
export const SLOW_VIEWER_DESTROY_AFTER_MS = 5_000;

/**
 * Each heartbeat round is spread over this many slices of the ping interval: every viewer is still
 * pinged once per interval, but 10,000 viewers' pongs come back 1,000 at a time, not in one burst
 * that holds a sweep up by tens of milliseconds.
 */
export const VIEWER_HEARTBEAT_SLICES = 10;

/** perMessageDeflate must stay off: rawFrameWrite.ts writes frames past ws's own queue. */
export const VIEWER_SERVER_OPTIONS: ServerOptions = { noServer: true, maxPayload: MAX_VIEWER_FRAME_BYTES, perMessageDeflate: false };

interface ViewerLink {
  socket: WebSocket;
  /** Writes frames to the socket (armed to a bare write while nothing else is queued on it). */
  readonly writer: ViewerWriter;
  /** Station ids this viewer wants, or null for all. */
  readonly stations: ReadonlySet<string> | null;
  /** The sweep that writes it: one frame per message, or batches (it asked with `batch=1`). */
  readonly fanOut: RollingFanOut<ViewerLink>;
  /** Who it is (TRUST_PROXY-aware), for the per-address limit. */
  readonly address: string;
  missedPongs: number;
  /** Which slice of the heartbeat round pings it (VIEWER_HEARTBEAT_SLICES). */
  readonly heartbeatSlice: number;
  closed: boolean;
  /** A long resume still being sent, chunk by chunk; broadcasts wait behind it. Undefined: none. */
  replay: PacedReplay | undefined;
}

export interface ViewerGatewayOptions {
  /** Tests shorten VIEWER_BACKLOG_BYTES. */
  backlogLimitBytes?: number;
  pingIntervalMs?: number;
  /** TRUST_PROXY: how client addresses are read. */
  trust?: ProxyTrust;
  /** MAX_VIEWERS_PER_ADDRESS, or VIEWERS_PER_ADDRESS from the environment. */
  maxViewersPerAddress?: number;
}

export class ViewerGateway implements ViewerFanOut {
  private readonly wss = new WebSocketServer(VIEWER_SERVER_OPTIONS);
  private readonly links = new Set<ViewerLink>();
  /** Open viewers per client address. */
  private readonly perAddress = new Map<string, number>();
  private readonly pingTimer: NodeJS.Timeout;
  /** Viewers by heartbeat slice; one slice is pinged per VIEWER_HEARTBEAT_SLICES-th of the interval. */
  private readonly heartbeatSlices = Array.from({ length: VIEWER_HEARTBEAT_SLICES }, () => new Set<ViewerLink>());
  private nextSlice = 0;
  private pingedSlice = 0;
  private readonly backlogLimitBytes: number;
  private readonly trust: ProxyTrust;
  private readonly maxViewersPerAddress: number;
  readonly stats = { slowViewerCloses: 0, resumeRequests: 0, viewerDataCloses: 0, connections: 0, perAddressRefusals: 0 };
  /** Observes, per broadcast, ms from its append to every viewer socket written (metrics). */
  onBroadcastWritten: ((durationMs: number) => void) | undefined;
  /**
   * Two sweeps over the same broadcasts: viewers that get a frame per message (Node clients, older
   * pages) and viewers that asked for batches (`batch=1`: the page), each group sharing its wires.
   * An empty one costs nothing per broadcast (RollingFanOut.broadcast).
   */
  private readonly fanOut = this.newFanOut(wireFrames);
  private readonly batchedFanOut = this.newFanOut(batchWireFrames);
  private readonly connectionLog: ViewerConnectionLog;

  constructor(
    private readonly hub: Pick<StrikeHub, 'attachViewers' | 'greet' | 'presenceChanged'>,
    log: Logger,
    options: ViewerGatewayOptions = {},
  ) {
    this.backlogLimitBytes = options.backlogLimitBytes ?? VIEWER_BACKLOG_BYTES;
    this.trust = options.trust ?? NO_PROXY;
    this.maxViewersPerAddress = options.maxViewersPerAddress ?? MAX_VIEWERS_PER_ADDRESS;
    const pingIntervalMs = options.pingIntervalMs ?? DEVICE_PING_INTERVAL_MS;
    this.pingTimer = setInterval(() => this.pingSlice(), pingIntervalMs / VIEWER_HEARTBEAT_SLICES);
    this.pingTimer.unref();
    this.connectionLog = new ViewerConnectionLog(log, () => this.count);
    hub.attachViewers(this);
  }

  get count(): number {
    return this.fanOut.size + this.batchedFanOut.size;
  }

  /** Writes the sweeps made bare to armed viewers (the native path), whole and short (metrics). */
  get bareWriteCounts(): { whole: number; short: number } {
    const [plain, batched] = [this.fanOut.bareWriteCounts, this.batchedFanOut.bareWriteCounts];
    return { whole: plain.whole + batched.whole, short: plain.short + batched.short };
  }

  broadcast(frame: Buffer, stationId?: string): void {
    this.fanOut.broadcast(frame, stationId);
    this.batchedFanOut.broadcast(frame, stationId);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const address = clientAddress(request, this.trust);
    // ws completes the upgrade synchronously, so the count cannot be overtaken between check and attach.
    if ((this.perAddress.get(address) ?? 0) >= this.maxViewersPerAddress) {
      this.stats.perAddressRefusals++;
      rejectUpgrade(socket, 429, `too many viewers from one address (at most ${this.maxViewersPerAddress})`);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.attach(ws, url, address));
  }

  closeAll(code: number, reason: string): void {
    // strikes accepted before shutdown go out before the close frame
    this.fanOut.flushAll();
    this.batchedFanOut.flushAll();
    for (const link of this.links) link.socket.close(code, reason);
  }

  terminateAll(): void {
    for (const client of this.wss.clients) client.terminate();
  }

  dispose(): void {
    clearInterval(this.pingTimer);
    this.connectionLog.dispose();
    this.wss.close();
  }

  private newFanOut(framing: (payloads: readonly Buffer[]) => Buffer): RollingFanOut<ViewerLink> {
    return new RollingFanOut<ViewerLink>(
      (link, wire, bareWritten) => (bareWritten === undefined ? this.writeWire(link, wire) : link.writer.writeRest(wire, bareWritten)),
      (durationMs) => this.onBroadcastWritten?.(durationMs),
      undefined,
      bareViewerWriter,
      framing,
    );
  }

  private attach(socket: WebSocket, url: URL, address: string): void {
    const stationsParam = url.searchParams.get('stations');
    const stations = stationsParam ? new Set(stationsParam.split(',').map((s) => s.trim()).filter(Boolean)) : null;
    const sinceParam = url.searchParams.get('since');
    const since = sinceParam !== null && /^\d{1,15}$/.test(sinceParam) ? Number(sinceParam) : undefined;
    const epoch = url.searchParams.get('epoch') ?? undefined;
    if (sinceParam !== null) this.stats.resumeRequests++;
    this.stats.connections++;

    const heartbeatSlice = this.nextSlice;
    this.nextSlice = (this.nextSlice + 1) % VIEWER_HEARTBEAT_SLICES;
    const fanOut = url.searchParams.get('batch') === '1' ? this.batchedFanOut : this.fanOut;
    const link: ViewerLink = { socket, writer: viewerWriter(socket), stations, fanOut, address, missedPongs: 0, heartbeatSlice, closed: false, replay: undefined };
    const { hello, replay } = this.hub.greet(stations, { since: sinceParam !== null ? (since ?? -1) : undefined, epoch });
    // An armed writer's frames go out bare from the sweep, except behind a paced replay.
    link.writer.onArmedChange = (fd) => fanOut.armed(link, link.replay ? -1 : fd);
    this.links.add(link);
    this.heartbeatSlices[heartbeatSlice]!.add(link);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    const paced = PacedReplay.needed(replay) ? new PacedReplay(socket, [hello, ...replay], this.backlogLimitBytes) : undefined;
    if (paced) {
      // A long replay: the fan-out's frames for this viewer wait behind it (writeWire).
      link.replay = paced;
      fanOut.add(link, []);
      if (paced.start() === 'done') this.replayDone(link);
    } else {
      fanOut.add(link, [hello, ...replay]);
      this.readPongsInPlace(link);
    }
    this.hub.presenceChanged();
    const connectedAt = Date.now();
    this.connectionLog.connected({ ip: address, resumed: replay.length });

    socket.on('pong', (data) => {
      link.missedPongs = 0;
      if (link.replay?.acknowledged(data) === 'done') this.replayDone(link);
    });
    socket.on('message', () => {
      this.stats.viewerDataCloses++;
      socket.close(CloseCode.policyViolation, 'viewers send nothing');
    });
    socket.on('error', () => undefined); // protocol errors close the socket with their own code
    socket.on('close', (code) => {
      this.connectionLog.disconnected({ code, connectedMs: Date.now() - connectedAt });
      this.detach(link);
    });
  }

  /**
   * Writes a viewer every frame it has not had, in one write (rawFrameWrite.ts). A viewer whose
   * backlog (bytes its socket still holds, ViewerWriter.backlogBytes) would pass the limit is cut
   * instead; one write into an empty buffer (a long resume replay) is always allowed. Only the link
   * and its writer are read here: a sweep does this for every viewer.
   */
  private writeWire(link: ViewerLink, wire: Buffer): void {
    if (link.closed || !link.writer.open) return;
    if (link.replay) {
      // Behind a paced replay (resumes only): held, within the same backlog limit.
      if (!link.replay.hold(wire)) this.closeSlow(link, link.replay.heldBytes);
      return;
    }
    const backlog = link.writer.backlogBytes;
    if (backlog > 0 && backlog + wire.length > this.backlogLimitBytes) return this.closeSlow(link, backlog);
    link.writer.write(wire);
  }

  /** The paced replay is out: broadcasts go to the viewer directly again (bare, if its writer is armed). */
  private replayDone(link: ViewerLink): void {
    link.replay = undefined;
    link.fanOut.armed(link, link.writer.descriptor);
    this.readPongsInPlace(link);
  }

  /**
   * The viewer's heartbeat pongs are read in place (pongReader.ts), not through ws: 1,000 a second
   * at 10,000 viewers. Not during a paced replay, whose pongs carry the payload that paces it.
   */
  private readPongsInPlace(link: ViewerLink): void {
    readPongsInPlace(link.socket, () => {
      link.missedPongs = 0;
    });
  }

  private closeSlow(link: ViewerLink, backlog: number): void {
    this.stats.slowViewerCloses++;
    this.connectionLog.slowClosed({ backlog });
    link.socket.close(CloseCode.tryAgainLater, 'backlog over limit: resume with since');
    this.detach(link);
    setTimeout(() => link.socket.terminate(), SLOW_VIEWER_DESTROY_AFTER_MS).unref();
  }

  private detach(link: ViewerLink): void {
    if (link.closed) return;
    link.closed = true;
    link.replay = undefined;
    link.fanOut.remove(link);
    this.links.delete(link);
    this.heartbeatSlices[link.heartbeatSlice]!.delete(link);
    const left = (this.perAddress.get(link.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(link.address, left);
    else this.perAddress.delete(link.address);
    this.hub.presenceChanged();
  }

  private pingSlice(): void {
    const slice = this.heartbeatSlices[this.pingedSlice]!;
    this.pingedSlice = (this.pingedSlice + 1) % VIEWER_HEARTBEAT_SLICES;
    // In the sweep's write (no write of its own); a viewer behind a paced replay, whose writes
    // are held, is pinged at once as before.
    pingOrDrop(
      slice,
      (link) => this.detach(link),
      (link) => (link.replay ? link.socket.ping() : link.fanOut.ping(link)),
    );
  }
}
