// `?source=relay` (default): the relay's public /live stream. Reconnects forever with full-jitter
// backoff, resumes with since+epoch, treats silence as a dead link, and never invents strikes.
// Own code rather than reconnecting-websocket/partysocket: those grow delays without full jitter,
// know nothing of heartbeat silence, and would still need the since/epoch and hello handling here.
import { fullJitterDelayMs, parseRelayFrame, VIEWER_SILENCE_DEAD_MS, type BackoffRange, type RelayMessageResult } from '../../protocol';
import { StreamPosition } from './streamPosition';
import type { Transport, TransportHealth, TransportOptions, TransportSink } from './types';

/** How often the link checks for silence. */
export const SILENCE_CHECK_INTERVAL_MS = 1_000;
/** The first retry waits up to this long; each failure doubles the ceiling (full jitter, src/protocol/backoff.ts). */
export const RECONNECT_BASE_MS = 500;
/** The reconnect wait's ceiling never grows past this. */
export const RECONNECT_CAP_MS = 30_000;
const RECONNECT_RANGE: BackoffRange = { baseMs: RECONNECT_BASE_MS, capMs: RECONNECT_CAP_MS };
/** A socket not open after this long counts as unreachable (a black-holed host never refuses). */
export const RELAY_OPEN_TIMEOUT_MS = 10_000;

/** Where the browser reports a Content-Security-Policy refusal (the window); absent elsewhere. */
type PolicyEvents = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

export interface RelayTransportOptions {
  /** ws(s)://host/live; default: /live on this page's origin. */
  url: string;
  WebSocketImpl?: typeof WebSocket;
  silenceDeadMs?: number;
  random?: () => number;
  /** Where `securitypolicyviolation` events arrive; default: the window, if there is one. */
  policyEvents?: PolicyEvents | null;
}

export function relayUrlFrom(options: TransportOptions, location: { protocol: string; host: string }): string {
  const explicit = options.get('relay');
  if (explicit && /^wss?:\/\//.test(explicit)) return explicit;
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/live`;
}

export class RelayTransport implements Transport {
  readonly label = 'relay';
  readonly replay = null;
  readonly wind = null;
  readonly position = new StreamPosition();
  reconnects = 0;
  private socket: WebSocket | null = null;
  private sink: TransportSink | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private silenceTimer: ReturnType<typeof setInterval> | undefined;
  private lastHeardAt = 0;
  private openedAt = 0;
  private stopped = false;
  /** The relay has greeted this page at least once. */
  private greeted = false;
  /** This page's CSP refused a connection to the relay's host. */
  private refusedByPolicy = false;
  /** The wait announced last, re-announced if the reason becomes clearer (a CSP report comes late). */
  private waiting: { nextAttemptAt: number; cause: string } | null = null;
  private readonly policyEvents: PolicyEvents | null;

  constructor(private readonly options: RelayTransportOptions) {
    this.policyEvents = options.policyEvents !== undefined ? options.policyEvents : typeof window === 'undefined' ? null : window;
  }

  health(): TransportHealth {
    return { reconnects: this.reconnects, seqMissing: this.position.missing };
  }

  start(sink: TransportSink): void {
    this.sink = sink;
    this.stopped = false;
    this.policyEvents?.addEventListener('securitypolicyviolation', this.onPolicyViolation);
    this.connect();
    this.silenceTimer = setInterval(() => this.checkSilence(), SILENCE_CHECK_INTERVAL_MS);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.silenceTimer);
    this.policyEvents?.removeEventListener('securitypolicyviolation', this.onPolicyViolation);
    this.dropSocket();
  }

  /** Skips the backoff wait: connects now, unless a socket is already open or opening. */
  retryNow(): void {
    if (this.stopped || this.socket) return;
    clearTimeout(this.retryTimer);
    this.waiting = null;
    this.sink?.status({ state: 'connecting' });
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    // batch=1: what the relay writes at once comes as one websocket message (docs/protocol.md), which
    // is what a browser's main thread pays for most at a high strike rate. A relay that predates
    // batches ignores it and sends a message per frame, which this page reads as well.
    const query = ['batch=1', this.position.resumeQuery()].filter(Boolean).join('&');
    const url = `${this.options.url}${this.options.url.includes('?') ? '&' : '?'}${query}`;
    if (this.attempt === 0 && this.position.epoch === null) this.sink?.status({ state: 'connecting' });
    let socket: WebSocket;
    try {
      socket = new Impl(url);
    } catch (error) {
      this.scheduleRetry(`cannot open ${url}: ${(error as Error).message}`);
      return;
    }
    this.socket = socket;
    this.lastHeardAt = this.openedAt = Date.now();
    socket.onmessage = (event: MessageEvent) => this.receive(event.data);
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleRetry(
        event.code === 1013 ? 'the relay asked us to slow down' : this.greeted ? `connection closed (${event.code})` : 'the connection was refused or dropped',
      );
    };
    // After an error a close event follows, except when Chrome blocks the URL by CSP: then the
    // error is all there is, and a socket that never opened counts as failed at once.
    socket.onerror = () => {
      if (this.socket !== socket || socket.readyState === socket.OPEN) return;
      this.dropSocket();
      this.scheduleRetry(this.greeted ? 'the connection failed' : 'the connection was refused or dropped');
    };
  }

  private receive(data: unknown): void {
    this.lastHeardAt = Date.now();
    const sink = this.sink;
    if (!sink) return;
    if (typeof data !== 'string') {
      sink.refused('binary frame');
      return;
    }
    for (const parsed of parseRelayFrame(data)) {
      if (this.handle(parsed, sink) === 'stopped') return;
    }
  }

  /** One message of a frame (a batch holds several, in order). */
  private handle(parsed: RelayMessageResult, sink: TransportSink): 'stopped' | undefined {
    if (!parsed.ok) {
      if (parsed.reason === 'incompatible_protocol') {
        this.stop();
        sink.status({ state: 'offline', reason: `Incompatible relay: ${parsed.detail}. Reload the page to get the current version.` });
        return 'stopped';
      }
      sink.refused(parsed.detail);
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'strike':
        if (this.position.strike(message.seq) !== 'duplicate') sink.strike(message);
        return;
      case 'touch':
        // A visitor's touch, numbered in the strikes' seq sequence.
        if (this.position.strike(message.seq) !== 'duplicate') sink.touch?.(message);
        return;
      case 'hello': {
        const verdict = this.position.hello(message);
        if (this.attempt > 0 || verdict.kind !== 'first') this.reconnects++;
        this.attempt = 0;
        this.greeted = true;
        this.waiting = null;
        sink.start({
          stations: message.stations,
          viewers: message.viewers,
          sourceNow: message.now,
          ...(verdict.kind === 'new_epoch' || verdict.kind === 'gap' ? { notice: verdict.notice } : {}),
          ...(verdict.kind === 'resumed' ? { historyUntilSeq: message.seq } : {}),
        });
        sink.status({ state: 'live' });
        return;
      }
      case 'station':
        sink.station(message.station);
        return;
      case 'station_removed':
        sink.stationRemoved(message.station);
        return;
      case 'presence':
        sink.presence(message.viewers, message.visitors);
        return;
      case 'error':
        return; // meant for devices
    }
  }

  private checkSilence(): void {
    const socket = this.socket;
    if (!socket) return;
    if (socket.readyState === socket.CONNECTING && Date.now() - this.openedAt >= RELAY_OPEN_TIMEOUT_MS) {
      this.dropSocket();
      this.scheduleRetry(`no answer within ${RELAY_OPEN_TIMEOUT_MS / 1000} s`);
      return;
    }
    if (Date.now() - this.lastHeardAt < (this.options.silenceDeadMs ?? VIEWER_SILENCE_DEAD_MS)) return;
    this.dropSocket();
    this.scheduleRetry('no heartbeat from the relay');
  }

  private readonly onPolicyViolation = (event: Event): void => {
    const { effectiveDirective, blockedURI } = event as SecurityPolicyViolationEvent;
    if (effectiveDirective !== 'connect-src' || !sameHost(blockedURI, this.options.url)) return;
    this.refusedByPolicy = true;
    const socket = this.socket;
    if (socket && socket.readyState !== socket.OPEN) {
      this.dropSocket();
      this.scheduleRetry('refused by the page\'s security policy');
    } else if (this.waiting && !this.greeted) this.announceWait();
  };

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onmessage = null;
    socket.onclose = null;
    // Closing a socket that is still connecting fires one last error (browsers and ws alike); it
    // belongs to the socket being dropped, so it is heard and ignored rather than left unheard
    // (which ws, standing in for the browser in tests, reports as an uncaught exception).
    socket.onerror = () => undefined;
    socket.close();
  }

  private scheduleRetry(reason: string): void {
    if (this.stopped) return;
    const delay = fullJitterDelayMs(this.attempt, RECONNECT_RANGE, this.options.random);
    this.attempt++;
    this.waiting = { nextAttemptAt: Date.now() + delay, cause: reason };
    this.announceWait();
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.waiting = null;
      this.connect();
    }, delay);
  }

  private announceWait(): void {
    if (!this.waiting) return;
    const { nextAttemptAt, cause } = this.waiting;
    const reason = this.greeted ? cause : unreachableReason(this.options.url, cause, this.refusedByPolicy);
    this.sink?.status({ state: 'reconnecting', nextAttemptAt, attempt: this.attempt, reason, unreachable: !this.greeted });
  }
}

/** What the page says while a relay has never answered it: which relay, and the likely cause. */
export function unreachableReason(url: string, cause: string, refusedByPolicy: boolean): string {
  if (refusedByPolicy) {
    return `The relay at ${url} is unreachable from this page: the page's security policy (CSP) allows only the relay that served it. Open the page on that relay, or host the page yourself to use ?relay=.`;
  }
  return `The relay at ${url} is unreachable: ${cause}. Check the address; the page keeps trying.`;
}

/** A CSP report may name the full URL or only its origin; either way the host says which relay. */
function sameHost(blockedUri: string, url: string): boolean {
  try {
    return new URL(blockedUri).host === new URL(url).host;
  } catch {
    return true; // an unparseable report ("ws", "inline"): cannot rule the relay out
  }
}
