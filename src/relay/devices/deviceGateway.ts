// WS /device: authenticated chime devices send strikes, and now and then a status report on their
// own health (kept in the registry for the admin side, never shown to viewers). Bad input never
// kills a healthy link; it is answered with an error, and only persistent abuse or protocol
// violations close the socket. A device marks its station online in the registry while connected,
// and is cut off when the registry says its station was removed or re-keyed.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  CloseCode,
  DEVICE_PING_INTERVAL_MS,
  INVALID_FRAME_WINDOW_MS,
  MAX_DEVICE_FRAME_BYTES,
  MAX_INVALID_FRAMES_PER_WINDOW,
  RATE_LIMIT_NOTICE_INTERVAL_MS,
  RESEND_MARKS_HEADER,
  parseDeviceCapabilities,
  parseDeviceMessage,
  type ErrorMessage,
  type RingCommand,
  type StrikerLimits,
} from '../../protocol';
import { bearerToken } from '../http/bearerToken';
import { clientAddress, NO_PROXY, type ProxyTrust } from '../http/clientAddress';
import { rejectUpgrade } from '../http/upgrade';
import type { Logger } from '../log';
import { SlidingWindowCounter } from '../stations/rateLimit';
import type { StationChange, StationRegistry, StationState } from '../stations/stationRegistry';
import { ingestStrikes, type StrikePublisher } from './ingest';
import { skipResent } from './resendMarks';
import { pingOrDrop } from '../http/heartbeat';

interface DeviceLink {
  socket: WebSocket;
  station: StationState;
  missedPongs: number;
  invalidFrames: SlidingWindowCounter;
  lastRateNoticeAt: number;
  lastFrameAt: number;
  /** The striker this device declared in its capabilities message (visitors/strikerForwarder.ts). */
  striker?: StrikerLimits;
}

export class DeviceGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_DEVICE_FRAME_BYTES, perMessageDeflate: false });
  /** The current link of each station id. */
  private readonly links = new Map<string, DeviceLink>();
  private readonly pingTimer: NodeJS.Timeout;
  private readonly stopListening: () => void;
  private closing = false;
  readonly stats = { framesRefused: 0, strikesRateLimited: 0, strikesMuted: 0, strikesResent: 0, authFailures: 0, statusesKept: 0, statusesIgnored: 0 };

  constructor(
    private readonly registry: StationRegistry,
    private readonly strikes: StrikePublisher,
    private readonly log: Logger,
    pingIntervalMs = DEVICE_PING_INTERVAL_MS,
    private readonly trust: ProxyTrust = NO_PROXY,
  ) {
    this.pingTimer = setInterval(() => this.pingAll(), pingIntervalMs);
    this.pingTimer.unref();
    // Firmware marks its frames only for a relay that says it takes marks (an older one would
    // refuse every marked frame): docs/protocol.md, "Resends".
    this.wss.on('headers', (headers) => headers.push(`${RESEND_MARKS_HEADER}: 1`));
    this.stopListening = registry.onChange((change) => this.onStationChange(change));
  }

  get connectedCount(): number {
    return this.links.size;
  }

  isConnected(stationId: string): boolean {
    return this.links.has(stationId);
  }

  lastFrameAt(stationId: string): number | null {
    return this.links.get(stationId)?.lastFrameAt ?? null;
  }

  strikerOf(stationId: string): StrikerLimits | undefined {
    return this.links.get(stationId)?.striker;
  }

  /** Sends a ring command to the station's device; false if it is not connected here. */
  sendRing(stationId: string, ring: RingCommand): boolean {
    const link = this.links.get(stationId);
    if (!link || link.socket.readyState !== link.socket.OPEN) return false;
    link.socket.send(JSON.stringify(ring));
    return true;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const token = bearerToken(request) ?? url.searchParams.get('token') ?? '';
    const station = token ? this.registry.findByToken(token) : undefined;
    if (!station) {
      this.stats.authFailures++;
      this.log.debug({ event: 'device_auth_failed', ip: clientAddress(request, this.trust) }, 'device refused: unknown token');
      rejectUpgrade(socket, 401, 'unknown or missing device token');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.attach(ws, station, request));
  }

  /** Closes a station's device link (admin "disconnect"). */
  disconnect(stationId: string, code: number = CloseCode.policyViolation, reason = 'disconnected by admin'): boolean {
    const link = this.links.get(stationId);
    if (!link) return false;
    link.socket.close(code, reason);
    return true;
  }

  /** Shutdown: from now on no frame is accepted, so the last seq logged is the last one broadcast. */
  closeAll(code: number, reason: string): void {
    this.closing = true;
    for (const link of this.links.values()) link.socket.close(code, reason);
  }

  terminateAll(): void {
    for (const client of this.wss.clients) client.terminate();
  }

  dispose(): void {
    clearInterval(this.pingTimer);
    this.stopListening();
    this.wss.close();
  }

  /** A removed station's device, or one whose token was replaced, must not keep sending. */
  private onStationChange(change: StationChange): void {
    const id = change.station.config.id;
    if (change.kind === 'removed') this.disconnect(id, CloseCode.policyViolation, 'station removed');
    else if (change.kind === 'updated' && change.tokenChanged) this.disconnect(id, CloseCode.policyViolation, 'device token rotated');
  }

  private attach(socket: WebSocket, station: StationState, request: IncomingMessage): void {
    const id = station.config.id;
    const previous = this.links.get(id);
    const link: DeviceLink = {
      socket,
      station,
      missedPongs: 0,
      invalidFrames: new SlidingWindowCounter(INVALID_FRAME_WINDOW_MS),
      lastRateNoticeAt: 0,
      lastFrameAt: Date.now(),
    };
    this.links.set(id, link);
    if (previous) previous.socket.close(CloseCode.replacedByNewConnection, 'replaced by a newer connection');
    this.log.info({ event: 'device_connected', station: id, ip: clientAddress(request, this.trust), replaced: !!previous }, 'device connected');
    this.registry.setOnline(station, true, Date.now());

    socket.on('pong', () => (link.missedPongs = 0));
    socket.on('message', (data, isBinary) => this.onFrame(link, data, isBinary));
    socket.on('error', (error) => this.log.info({ event: 'device_error', station: id, err: error.message }, 'device socket error'));
    socket.on('close', (code) => {
      this.log.info({ event: 'device_disconnected', station: id, code }, 'device disconnected');
      if (this.links.get(id) !== link) return; // replaced: the new link owns the station's state
      this.links.delete(id);
      this.registry.setOnline(station, false);
    });
  }

  private onFrame(link: DeviceLink, data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    const now = Date.now();
    link.missedPongs = 0;
    link.lastFrameAt = now;
    const text = isBinary ? '' : rawText(data);
    const capabilities = isBinary ? undefined : parseDeviceCapabilities(text);
    if (capabilities?.ok) {
      link.striker = capabilities.capabilities.striker;
      this.log.info({ event: 'device_capabilities', station: link.station.config.id, striker: !!link.striker }, 'device capabilities');
      return;
    }
    const parsed = isBinary
      ? ({ ok: false, detail: 'binary frames are not accepted: send strikes as text' } as const)
      : (capabilities ?? parseDeviceMessage(text, link.station.config.chimes));
    if (!parsed.ok) {
      this.stats.framesRefused++;
      this.send(link, { type: 'error', code: 'bad_message', detail: parsed.detail });
      if (link.invalidFrames.hit(now) > MAX_INVALID_FRAMES_PER_WINDOW) {
        this.log.info({ event: 'device_closed_invalid', station: link.station.config.id }, 'too many invalid frames');
        link.socket.close(CloseCode.policyViolation, 'too many invalid frames');
      }
      return;
    }
    if (parsed.kind === 'status') {
      // Not a strike: nothing from the rate limit. One sooner than the interval is dropped unanswered.
      if (this.registry.recordStatus(link.station, parsed.status, now)) this.stats.statusesKept++;
      else this.stats.statusesIgnored++;
      return;
    }
    const fresh = skipResent(link.station.resend, parsed.mark, parsed.strikes);
    link.station.resend = fresh.state;
    this.stats.strikesResent += parsed.strikes.length - fresh.strikes.length;
    const result = ingestStrikes(this.strikes, link.station, fresh.strikes, now, now);
    this.stats.strikesMuted += result.muted;
    if (result.rateLimited > 0) {
      this.stats.strikesRateLimited += result.rateLimited;
      if (now - link.lastRateNoticeAt >= RATE_LIMIT_NOTICE_INTERVAL_MS) {
        link.lastRateNoticeAt = now;
        this.send(link, { type: 'error', code: 'rate_limited' });
      }
    }
  }

  private send(link: DeviceLink, message: ErrorMessage): void {
    link.socket.send(JSON.stringify(message));
  }

  private pingAll(): void {
    pingOrDrop(this.links.values(), (link) => this.log.info({ event: 'device_timeout', station: link.station.config.id }, 'device missed pongs'));
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
