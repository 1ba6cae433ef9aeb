// WS /touch: visitors play the chimes. Each touch is checked (well-formed, not a replay, participation,
// the station, every limit) and answered; an accepted one is numbered by the hub like a strike, in the
// same seq sequence (through the backplane when there is one), and acked with that seq. Refusals never
// close a healthy socket; only persistent bad input or protocol violations do.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  CloseCode,
  DEVICE_PING_INTERVAL_MS,
  INVALID_FRAME_WINDOW_MS,
  MAX_INVALID_FRAMES_PER_WINDOW,
  TOUCH_CLOSE_FRAME_BYTES,
  TOUCH_IDS_REMEMBERED,
  TOUCH_MAX_CONNECTIONS_PER_ADDRESS,
  TOUCH_REFUSAL_REASONS,
  TOUCH_REPLY_BACKLOG_BYTES,
  parseTouchRequest,
  type TouchRefusalReason,
  type TouchRefused,
  type TouchServerMessage,
} from '../../protocol';
import { NO_PROXY, clientAddress, type ProxyTrust } from '../http/clientAddress';
import { rejectUpgrade } from '../http/upgrade';
import type { StrikeHub } from '../hub';
import type { Logger } from '../log';
import { SlidingWindowCounter } from '../stations/rateLimit';
import type { StationRegistry } from '../stations/stationRegistry';
import type { Participation } from './participation';
import { isAllowedTouchOrigin } from './touchOrigin';
import { DEFAULT_TOUCH_LIMITS, TOUCH_LIMITS, TouchLimits, type TouchBucket, type TouchLimit, type TouchLimitValues } from './touchLimits';
import { VisitorPresence } from './visitorPresence';
import { pingOrDrop } from '../http/heartbeat';

/** Buckets are swept and the visitor count compared this often. */
const HOUSEKEEPING_INTERVAL_MS = 1_000;
/** While Redis is away nothing can be numbered: the page is told to try again after this. */
const NUMBERING_RETRY_MS = 1_000;
/** Refusals for the page's faults; the relay's own state (resting, limits) never closes a socket. */
const COUNTED_REFUSALS: ReadonlySet<TouchRefusalReason> = new Set(['bad_message', 'too_large', 'duplicate', 'unknown_station']);

interface TouchLink {
  socket: WebSocket;
  address: string;
  bucket: TouchBucket;
  /** Ids of accepted touches, oldest first, at most TOUCH_IDS_REMEMBERED. */
  acceptedIds: Set<string>;
  refused: SlidingWindowCounter;
  missedPongs: number;
  /** Refs of this link's touches sent for numbering and not yet acked. */
  pendingRefs: Set<string>;
}

export interface TouchGatewayOptions {
  /** TOUCH_ORIGINS: origins besides the relay's own that may open /touch. */
  origins?: readonly string[];
  limits?: Partial<TouchLimitValues>;
  /** TRUST_PROXY: how a page's address is read (per-address limits and connections). */
  trust?: ProxyTrust;
  pingIntervalMs?: number;
  log: Logger;
  now?: () => number;
}

export type TouchHub = Pick<StrikeHub, 'publish' | 'numberingAvailable' | 'onTouch' | 'attachVisitorCount' | 'visitorTouched' | 'presenceChanged'>;

export class TouchGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: TOUCH_CLOSE_FRAME_BYTES, perMessageDeflate: false });
  private readonly links = new Set<TouchLink>();
  private readonly connectionsByAddress = new Map<string, number>();
  private readonly pending = new Map<string, { link: TouchLink; id: string }>();
  private readonly refPrefix = randomBytes(6).toString('base64url');
  private refCounter = 0;
  private readonly origins: ReadonlySet<string>;
  private readonly trust: ProxyTrust;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly timers: NodeJS.Timeout[];
  private readonly unsubscribe: (() => void)[];
  private lastVisitorCount = 0;
  private closing = false;
  readonly limits: TouchLimits;
  readonly presence = new VisitorPresence();
  readonly stats = {
    accepted: 0,
    refused: Object.fromEntries(TOUCH_REFUSAL_REASONS.map((reason) => [reason, 0])) as Record<TouchRefusalReason, number>,
    limited: Object.fromEntries(TOUCH_LIMITS.map((limit) => [limit, 0])) as Record<TouchLimit, number>,
    originRefusals: 0,
    addressConnectionRefusals: 0,
    connections: 0,
    repliesDropped: 0,
  };

  constructor(
    private readonly registry: StationRegistry,
    private readonly hub: TouchHub,
    private readonly participation: Participation,
    options: TouchGatewayOptions,
  ) {
    this.origins = new Set(options.origins ?? []);
    this.trust = options.trust ?? NO_PROXY;
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.limits = new TouchLimits({ ...DEFAULT_TOUCH_LIMITS, ...options.limits }, this.now());
    this.unsubscribe = [
      hub.onTouch((touch, ref) => this.acknowledge(ref, touch.seq)),
      participation.onChange((message) => {
        for (const link of this.links) this.send(link, message);
      }),
    ];
    hub.attachVisitorCount(() => this.presence.count(this.now()));
    this.timers = [
      setInterval(() => this.housekeeping(), HOUSEKEEPING_INTERVAL_MS),
      setInterval(() => this.pingAll(), options.pingIntervalMs ?? DEVICE_PING_INTERVAL_MS),
    ];
    for (const timer of this.timers) timer.unref();
  }

  get connectedCount(): number {
    return this.links.size;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closing) return rejectUpgrade(socket, 503, 'relay shutting down');
    if (!isAllowedTouchOrigin(request, this.origins)) {
      this.stats.originRefusals++;
      this.log.debug({ event: 'touch_origin_refused', origin: String(request.headers.origin ?? '').slice(0, 100) }, 'touch origin refused');
      return rejectUpgrade(socket, 403, 'this origin may not touch the chimes (TOUCH_ORIGINS)');
    }
    const address = clientAddress(request, this.trust);
    if ((this.connectionsByAddress.get(address) ?? 0) >= TOUCH_MAX_CONNECTIONS_PER_ADDRESS) {
      this.stats.addressConnectionRefusals++;
      return rejectUpgrade(socket, 429, `at most ${TOUCH_MAX_CONNECTIONS_PER_ADDRESS} touch connections per address`);
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.attach(ws, address));
  }

  closeAll(code: number, reason: string): void {
    this.closing = true;
    for (const link of this.links) link.socket.close(code, reason);
  }

  terminateAll(): void {
    for (const client of this.wss.clients) client.terminate();
  }

  dispose(): void {
    for (const timer of this.timers) clearInterval(timer);
    for (const stop of this.unsubscribe) stop();
    this.wss.close();
  }

  private attach(socket: WebSocket, address: string): void {
    const link: TouchLink = {
      socket,
      address,
      bucket: this.limits.clientBucket(this.now()),
      acceptedIds: new Set(),
      refused: new SlidingWindowCounter(INVALID_FRAME_WINDOW_MS),
      missedPongs: 0,
      pendingRefs: new Set(),
    };
    this.links.add(link);
    this.connectionsByAddress.set(address, (this.connectionsByAddress.get(address) ?? 0) + 1);
    this.stats.connections++;
    this.send(link, this.participation.message());
    socket.on('pong', () => (link.missedPongs = 0));
    socket.on('message', (data, isBinary) => this.onFrame(link, data, isBinary));
    socket.on('error', () => undefined); // protocol errors close the socket with their own code
    socket.on('close', () => this.detach(link));
  }

  private detach(link: TouchLink): void {
    if (!this.links.delete(link)) return;
    for (const ref of link.pendingRefs) this.pending.delete(ref);
    const open = (this.connectionsByAddress.get(link.address) ?? 1) - 1;
    if (open > 0) this.connectionsByAddress.set(link.address, open);
    else this.connectionsByAddress.delete(link.address);
  }

  private onFrame(link: TouchLink, data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    const now = this.now();
    link.missedPongs = 0;
    if (isBinary) return this.refuse(link, now, { reason: 'bad_message', detail: 'binary frames are not accepted: send touches as JSON text' });
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const parsed = parseTouchRequest(bytes.toString('utf8'), bytes.length);
    if (!parsed.ok) return this.refuse(link, now, { reason: parsed.reason, detail: parsed.detail, ...(parsed.id === undefined ? {} : { id: parsed.id }) });
    const touch = parsed.touch;
    const id = touch.id;
    if (link.acceptedIds.has(id)) return this.refuse(link, now, { id, reason: 'duplicate' });
    if (!this.participation.enabled) return this.refuse(link, now, { id, reason: 'resting' });
    const station = this.registry.get(touch.station);
    if (!station) return this.refuse(link, now, { id, reason: 'unknown_station' });
    if (touch.chime >= station.config.chimes) {
      return this.refuse(link, now, { id, reason: 'bad_message', detail: `chime ${touch.chime} is out of range 0..${station.config.chimes - 1}` });
    }
    if (!this.participation.allowsStation(station) || station.config.muted || !station.online) {
      return this.refuse(link, now, { id, reason: 'station_resting' });
    }
    if (!this.hub.numberingAvailable) return this.refuse(link, now, { id, reason: 'slow_down', retryMs: NUMBERING_RETRY_MS });
    const verdict = this.limits.admit(link.bucket, link.address, station.config, now);
    if (!verdict.ok) {
      this.stats.limited[verdict.limit]++;
      return this.refuse(link, now, { id, reason: 'slow_down', retryMs: verdict.retryMs });
    }

    link.acceptedIds.add(id);
    if (link.acceptedIds.size > TOUCH_IDS_REMEMBERED) link.acceptedIds.delete(link.acceptedIds.values().next().value!);
    this.presence.touched(link.address, now);
    this.hub.visitorTouched(link.address, now);
    const ref = `${this.refPrefix}.${++this.refCounter}`;
    this.pending.set(ref, { link, id });
    link.pendingRefs.add(ref);
    this.stats.accepted++;
    // Alone, the hub numbers and delivers at once (acknowledge runs before publish returns).
    this.hub.publish(station.config.id, [{ chime: touch.chime, v: touch.v, t: now, touchRef: ref }]);
  }

  /** A touch was numbered: if it is one of ours, its page learns the seq. */
  private acknowledge(ref: string, seq: number): void {
    const waiting = this.pending.get(ref);
    if (!waiting) return; // another relay's touch
    this.pending.delete(ref);
    waiting.link.pendingRefs.delete(ref);
    this.send(waiting.link, { type: 'touch_ack', id: waiting.id, seq });
  }

  private refuse(link: TouchLink, now: number, refusal: Omit<TouchRefused, 'type'>): void {
    this.stats.refused[refusal.reason]++;
    if (link.socket.bufferedAmount > TOUCH_REPLY_BACKLOG_BYTES) this.stats.repliesDropped++;
    else this.send(link, { type: 'touch_refused', ...refusal });
    if (COUNTED_REFUSALS.has(refusal.reason) && link.refused.hit(now) > MAX_INVALID_FRAMES_PER_WINDOW) {
      this.log.info({ event: 'touch_closed_invalid', ip: link.address }, 'too many refused touches');
      link.socket.close(CloseCode.policyViolation, 'too many refused touches');
    }
  }

  private send(link: TouchLink, message: TouchServerMessage): void {
    if (link.socket.readyState === link.socket.OPEN) link.socket.send(JSON.stringify(message));
  }

  private housekeeping(): void {
    const now = this.now();
    this.limits.sweep(now);
    const visitors = this.presence.count(now);
    if (visitors !== this.lastVisitorCount) {
      this.lastVisitorCount = visitors;
      this.hub.presenceChanged();
    }
  }

  private pingAll(): void {
    pingOrDrop(this.links, (link) => this.detach(link));
  }
}
