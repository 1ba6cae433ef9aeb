// `?source=relay` (default): the relay's public /live stream. Reconnects forever with full-jitter
// backoff, resumes with since+epoch, treats silence as a dead link, and never invents strikes.
// Own code rather than reconnecting-websocket/partysocket: those grow delays without full jitter,
// know nothing of heartbeat silence, and would still need the since/epoch and hello handling here.
import { fullJitterDelayMs, parseRelayMessage, VIEWER_SILENCE_DEAD_MS, type BackoffRange } from '../../protocol';
import { StreamPosition } from './streamPosition';
import type { Transport, TransportHealth, TransportOptions, TransportSink } from './types';

/** How often the link checks for silence. */
export const SILENCE_CHECK_INTERVAL_MS = 1_000;
/** The first retry waits up to this long; each failure doubles the ceiling (full jitter, src/protocol/backoff.ts). */
export const RECONNECT_BASE_MS = 500;
/** The reconnect wait's ceiling never grows past this. */
export const RECONNECT_CAP_MS = 30_000;
const RECONNECT_RANGE: BackoffRange = { baseMs: RECONNECT_BASE_MS, capMs: RECONNECT_CAP_MS };

export interface RelayTransportOptions {
  /** ws(s)://host/live; default: /live on this page's origin. */
  url: string;
  WebSocketImpl?: typeof WebSocket;
  silenceDeadMs?: number;
  random?: () => number;
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
  private stopped = false;

  constructor(private readonly options: RelayTransportOptions) {}

  health(): TransportHealth {
    return { reconnects: this.reconnects, seqMissing: this.position.missing };
  }

  start(sink: TransportSink): void {
    this.sink = sink;
    this.stopped = false;
    this.connect();
    this.silenceTimer = setInterval(() => this.checkSilence(), SILENCE_CHECK_INTERVAL_MS);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.silenceTimer);
    this.dropSocket();
  }

  private connect(): void {
    if (this.stopped) return;
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    const query = this.position.resumeQuery();
    const url = query ? `${this.options.url}${this.options.url.includes('?') ? '&' : '?'}${query}` : this.options.url;
    if (this.attempt === 0 && this.position.epoch === null) this.sink?.status({ state: 'connecting' });
    let socket: WebSocket;
    try {
      socket = new Impl(url);
    } catch (error) {
      this.scheduleRetry(`cannot open ${url}: ${(error as Error).message}`);
      return;
    }
    this.socket = socket;
    this.lastHeardAt = Date.now();
    socket.onmessage = (event: MessageEvent) => this.receive(event.data);
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleRetry(event.code === 1013 ? 'the relay asked us to slow down' : `connection closed (${event.code})`);
    };
    socket.onerror = () => undefined; // a close event always follows
  }

  private receive(data: unknown): void {
    this.lastHeardAt = Date.now();
    const sink = this.sink;
    if (!sink) return;
    if (typeof data !== 'string') {
      sink.refused('binary frame');
      return;
    }
    const parsed = parseRelayMessage(data);
    if (!parsed.ok) {
      if (parsed.reason === 'incompatible_protocol') {
        this.stop();
        sink.status({ state: 'offline', reason: `Incompatible relay: ${parsed.detail}. Reload the page to get the current version.` });
        return;
      }
      sink.refused(parsed.detail);
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'strike':
        if (this.position.strike(message.seq) !== 'duplicate') sink.strike(message);
        return;
      case 'hello': {
        const verdict = this.position.hello(message);
        if (this.attempt > 0 || verdict.kind !== 'first') this.reconnects++;
        this.attempt = 0;
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
        sink.presence(message.viewers);
        return;
      case 'error':
        return; // meant for devices
    }
  }

  private checkSilence(): void {
    if (!this.socket || Date.now() - this.lastHeardAt < (this.options.silenceDeadMs ?? VIEWER_SILENCE_DEAD_MS)) return;
    this.dropSocket();
    this.scheduleRetry('no heartbeat from the relay');
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onmessage = null;
    socket.onclose = null;
    socket.close();
  }

  private scheduleRetry(reason: string): void {
    if (this.stopped) return;
    const delay = fullJitterDelayMs(this.attempt, RECONNECT_RANGE, this.options.random);
    this.attempt++;
    this.sink?.status({ state: 'reconnecting', nextAttemptAt: Date.now() + delay, attempt: this.attempt, reason });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
