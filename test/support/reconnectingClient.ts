// Test clients that behave like well-written real ones: a viewer that resumes with since/epoch and
// treats silence as a dead link, and a device that keeps striking; both reconnect by themselves
// with full-jitter exponential backoff, so a restarted relay sees a spread, not a wave.
import WebSocket from 'ws';
import { VIEWER_SILENCE_DEAD_MS, fullJitterDelayMs, parseRelayMessage, type StrikeMessage } from '../../src/protocol';

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  random?: () => number;
}

/** The clients' backoff range unless a test sets one (short: tests restart relays in seconds). */
const TEST_BACKOFF = { baseMs: 100, capMs: 5_000 };

interface LinkOptions extends BackoffOptions {
  /** No frame (any message; devices also count pings) for this long -> the link is dead. */
  silenceDeadMs?: number;
  headers?: Record<string, string>;
  localAddress?: string;
}

/** The reconnect loop both clients share. */
abstract class ReconnectingLink {
  socket: WebSocket | undefined;
  private attempt = 0;
  private silenceTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private retryAtOnce = false;
  /** When each connection opened (ms, Date.now()). */
  readonly openedAt: number[] = [];
  /** Why each connection ended: close code, or 'silence' when this side declared it dead. */
  readonly endings: (number | 'silence')[] = [];
  /** What happened to each connection, for failure messages. */
  readonly history: string[] = [];

  constructor(protected readonly options: LinkOptions) {}

  protected abstract url(): string;
  protected abstract onMessage(text: string): void;
  protected onOpen(): void {}

  start(): this {
    this.connect();
    return this;
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.silenceTimer);
    clearTimeout(this.retryTimer);
    this.socket?.terminate();
  }

  /** Drops this connection and opens a new one without backoff. */
  protected reconnectNow(): void {
    this.retryAtOnce = true;
    this.socket?.terminate();
  }

  private connect(): void {
    if (this.stopped) return;
    const url = this.url();
    this.history.push(`${Date.now()} connect ${url.slice(url.indexOf('/', 8))}`);
    const socket = new WebSocket(url, {
      headers: this.options.headers,
      localAddress: this.options.localAddress,
      // A handshake that never completes is as dead as a silent link.
      handshakeTimeout: this.options.silenceDeadMs ?? VIEWER_SILENCE_DEAD_MS,
    });
    this.socket = socket;
    let opened = false;
    let ended = false;
    const end = (why: number | 'silence') => {
      if (ended) return;
      ended = true;
      clearTimeout(this.silenceTimer);
      this.history.push(`${Date.now()} end ${why}`);
      if (opened) this.endings.push(why);
      socket.terminate();
      if (this.stopped) return;
      const range = { baseMs: this.options.baseMs ?? TEST_BACKOFF.baseMs, capMs: this.options.capMs ?? TEST_BACKOFF.capMs };
      const delayMs = this.retryAtOnce ? 0 : fullJitterDelayMs(this.attempt++, range, this.options.random);
      this.retryAtOnce = false;
      this.retryTimer = setTimeout(() => this.connect(), delayMs);
    };
    const heard = () => {
      clearTimeout(this.silenceTimer);
      this.silenceTimer = setTimeout(() => end('silence'), this.options.silenceDeadMs ?? VIEWER_SILENCE_DEAD_MS);
    };
    socket.on('open', () => {
      opened = true;
      this.history.push(`${Date.now()} open`);
      this.attempt = 0;
      this.openedAt.push(Date.now());
      heard();
      this.onOpen();
    });
    socket.on('message', (data) => {
      if (socket.readyState !== WebSocket.OPEN) return; // dropped by us: the rest is not ours to count
      heard();
      this.onMessage(String(data));
    });
    socket.on('ping', heard);
    socket.on('error', (error) => this.history.push(`${Date.now()} error ${error.message}`));
    socket.on('close', (code) => end(code));
  }
}

/** A /live viewer: hello, resume with since/epoch after any drop, strikes recorded per epoch. */
export class ReconnectingViewer extends ReconnectingLink {
  epoch: string | undefined;
  lastSeq = 0;
  /** Strike seqs in arrival order, per epoch. */
  readonly seqsByEpoch = new Map<string, number[]>();
  readonly hellos: { at: number; epoch: string; seq: number; gap: boolean }[] = [];
  readonly strikes: (StrikeMessage & { receivedAt: number })[] = [];
  invalidMessages = 0;

  constructor(
    private readonly liveUrl: string,
    options: LinkOptions = {},
  ) {
    super(options);
  }

  protected url(): string {
    return this.epoch ? `${this.liveUrl}?since=${this.lastSeq}&epoch=${this.epoch}` : this.liveUrl;
  }

  protected onMessage(text: string): void {
    const parsed = parseRelayMessage(text);
    if (!parsed.ok) {
      this.invalidMessages++;
      return;
    }
    const message = parsed.message;
    if (message.type === 'hello') {
      this.hellos.push({ at: Date.now(), epoch: message.epoch, seq: message.seq, gap: message.gap ?? false });
      if (!this.seqsByEpoch.has(message.epoch)) this.seqsByEpoch.set(message.epoch, []);
      const firstEver = this.epoch === undefined;
      if (message.epoch !== this.epoch && !firstEver && message.seq > 0) {
        // A new epoch began while we were away: fetch it from its first strike, not from now.
        this.epoch = message.epoch;
        this.lastSeq = 0;
        this.reconnectNow();
        return;
      }
      if (message.epoch !== this.epoch || message.gap) {
        this.epoch = message.epoch;
        this.lastSeq = message.seq;
      }
    } else if (message.type === 'strike' && this.epoch) {
      this.seqsByEpoch.get(this.epoch)!.push(message.seq);
      this.strikes.push({ ...message, receivedAt: Date.now() });
      this.lastSeq = message.seq;
    }
  }
}

/** A /device that strikes every `intervalMs` while connected and reconnects when dropped. */
export class ReconnectingDevice extends ReconnectingLink {
  sent = 0;
  private timer: NodeJS.Timeout | undefined;
  readonly errors: string[] = [];

  constructor(
    private readonly deviceUrl: string,
    token: string,
    private readonly intervalMs: number,
    options: LinkOptions = {},
  ) {
    super({ ...options, headers: { Authorization: `Bearer ${token}` } });
  }

  protected url(): string {
    return this.deviceUrl;
  }

  protected override onOpen(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (!this.connected) return;
      this.socket!.send(String(this.sent++ % 6));
    }, this.intervalMs);
  }

  protected onMessage(text: string): void {
    this.errors.push(text);
  }

  override close(): void {
    clearInterval(this.timer);
    super.close();
  }
}
