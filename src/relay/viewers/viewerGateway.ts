// WS /live: the public, read-only stream. Viewers send nothing; a viewer that cannot keep up is cut
// at a fixed backlog (it can resume with `since`), so one slow phone never costs the relay memory.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import { CloseCode, DEVICE_MISSED_PONGS_ALLOWED, DEVICE_PING_INTERVAL_MS, MAX_VIEWER_FRAME_BYTES, VIEWER_BACKLOG_BYTES } from '../../protocol';
import type { StrikeHub, ViewerFanOut } from '../hub';
import { clientAddress } from '../http/clientAddress';
import type { Logger } from '../log';
import { writeRawFrames } from './rawFrameWrite';
import { RollingFanOut } from './rollingFanOut';
import { ViewerConnectionLog } from './viewerConnectionLog';

/** After a 1013 close the peer gets this long to read its backlog before the socket is destroyed. */
export const SLOW_VIEWER_DESTROY_AFTER_MS = 5_000;

/** perMessageDeflate must stay off: rawFrameWrite.ts writes frames past ws's own queue. */
export const VIEWER_SERVER_OPTIONS: ServerOptions = { noServer: true, maxPayload: MAX_VIEWER_FRAME_BYTES, perMessageDeflate: false };

interface ViewerLink {
  socket: WebSocket;
  /** Station ids this viewer wants, or null for all. */
  readonly stations: ReadonlySet<string> | null;
  missedPongs: number;
  closed: boolean;
}

export class ViewerGateway implements ViewerFanOut {
  private readonly wss = new WebSocketServer(VIEWER_SERVER_OPTIONS);
  private readonly links = new Set<ViewerLink>();
  private readonly pingTimer: NodeJS.Timeout;
  readonly stats = { slowViewerCloses: 0, resumeRequests: 0, viewerDataCloses: 0, connections: 0 };
  /** Observes, per broadcast, ms from its append to every viewer socket written (metrics). */
  onBroadcastWritten: ((durationMs: number) => void) | undefined;
  private readonly fanOut = new RollingFanOut<ViewerLink>(
    (link, wire) => this.writeWire(link, wire),
    (durationMs) => this.onBroadcastWritten?.(durationMs),
  );
  private readonly connectionLog: ViewerConnectionLog;

  constructor(
    private readonly hub: Pick<StrikeHub, 'attachViewers' | 'greet' | 'presenceChanged'>,
    log: Logger,
    private readonly backlogLimitBytes = VIEWER_BACKLOG_BYTES,
    pingIntervalMs = DEVICE_PING_INTERVAL_MS,
    private readonly trustedProxies = 0,
  ) {
    this.pingTimer = setInterval(() => this.pingAll(), pingIntervalMs);
    this.pingTimer.unref();
    this.connectionLog = new ViewerConnectionLog(log, () => this.count);
    hub.attachViewers(this);
  }

  get count(): number {
    return this.fanOut.size;
  }

  broadcast(frame: Buffer, stationId?: string): void {
    this.fanOut.broadcast(frame, stationId);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.attach(ws, url, request));
  }

  closeAll(code: number, reason: string): void {
    this.fanOut.flushAll(); // strikes accepted before shutdown go out before the close frame
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

  private attach(socket: WebSocket, url: URL, request: IncomingMessage): void {
    const stationsParam = url.searchParams.get('stations');
    const stations = stationsParam ? new Set(stationsParam.split(',').map((s) => s.trim()).filter(Boolean)) : null;
    const sinceParam = url.searchParams.get('since');
    const since = sinceParam !== null && /^\d{1,15}$/.test(sinceParam) ? Number(sinceParam) : undefined;
    const epoch = url.searchParams.get('epoch') ?? undefined;
    if (sinceParam !== null) this.stats.resumeRequests++;
    this.stats.connections++;

    const link: ViewerLink = { socket, stations, missedPongs: 0, closed: false };
    const { hello, replay } = this.hub.greet(stations, { since: sinceParam !== null ? (since ?? -1) : undefined, epoch });
    this.links.add(link);
    this.fanOut.add(link, [hello, ...replay]);
    this.hub.presenceChanged();
    const connectedAt = Date.now();
    this.connectionLog.connected({ ip: clientAddress(request, this.trustedProxies), resumed: replay.length });

    socket.on('pong', () => (link.missedPongs = 0));
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
   * Writes a viewer every frame it has not had, in one write (rawFrameWrite.ts). ws counts those
   * bytes in bufferedAmount, so a viewer whose unread backlog would pass the limit is cut instead;
   * one write into an empty buffer (a long resume replay) is always allowed.
   */
  private writeWire(link: ViewerLink, wire: Buffer): void {
    if (link.closed || link.socket.readyState !== link.socket.OPEN) return;
    const backlog = link.socket.bufferedAmount;
    if (backlog > 0 && backlog + wire.length > this.backlogLimitBytes) {
      this.stats.slowViewerCloses++;
      this.connectionLog.slowClosed({ backlog });
      link.socket.close(CloseCode.tryAgainLater, 'backlog over limit: resume with since');
      this.detach(link);
      setTimeout(() => link.socket.terminate(), SLOW_VIEWER_DESTROY_AFTER_MS).unref();
      return;
    }
    writeRawFrames(link.socket, wire);
  }

  private detach(link: ViewerLink): void {
    if (link.closed) return;
    link.closed = true;
    this.fanOut.remove(link);
    this.links.delete(link);
    this.hub.presenceChanged();
  }

  private pingAll(): void {
    for (const link of this.links) {
      if (link.missedPongs >= DEVICE_MISSED_PONGS_ALLOWED) {
        link.socket.terminate();
        this.detach(link);
        continue;
      }
      link.missedPongs++;
      link.socket.ping();
    }
  }
}
