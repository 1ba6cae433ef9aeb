// A visitor's side of `WS /touch`: sends one touch per frame with an id of its own, matches the
// relay's ack or refusal to it, hears participation change, and reconnects with the shared
// full-jitter backoff. It never sends what the relay would refuse anyway: nothing while visitors
// are resting (everywhere or at that station), nothing before the relay's `retryMs` after "slow down".
import { fullJitterDelayMs, type BackoffRange } from '../../protocol';
import { RECONNECT_BASE_MS, RECONNECT_CAP_MS } from '../transport/relayTransport';
import { parseTouchReply, type Participation, type TouchRefusalReason } from './touchWire';

/** A touch the relay has not answered within this is given up as unanswered. */
export const TOUCH_ANSWER_TIMEOUT_MS = 5_000;
const RECONNECT_RANGE: BackoffRange = { baseMs: RECONNECT_BASE_MS, capMs: RECONNECT_CAP_MS };

/** Why a touch was not heard: the relay's reason, or the page's own (never sent, or never answered). */
export type TouchRefusal = TouchRefusalReason | 'offline' | 'no_answer';

export type TouchOutcome = { kind: 'sent' } | { kind: 'heard'; seq: number } | { kind: 'refused'; reason: TouchRefusal; retryMs?: number };

export interface SentTouch {
  id: string;
  station: string;
  chime: number;
  v: number;
}

export type TouchLinkState = 'idle' | 'connecting' | 'open' | 'reconnecting';

export interface TouchClientListener {
  /** Every touch's fate: `sent` at once (unless refused before sending), then `heard` or `refused`. */
  outcome(touch: SentTouch, outcome: TouchOutcome): void;
  participation(participation: Participation): void;
  link(state: TouchLinkState): void;
}

export interface TouchClientOptions {
  /** ws(s)://host/touch */
  url: string;
  WebSocketImpl?: typeof WebSocket;
  random?: () => number;
  now?: () => number;
  /** Default TOUCH_ANSWER_TIMEOUT_MS. */
  answerTimeoutMs?: number;
}

/** Ids unique per connection (the relay refuses a repeat as `duplicate`): a random tag per page and a counter. */
export function createTouchIds(random: () => number = Math.random): () => string {
  const tag = Math.floor(random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0');
  let next = 0;
  return () => `${tag}-${(next++).toString(36)}`;
}

export class TouchClient {
  participation: Participation = { enabled: true, stations: {} };
  state: TouchLinkState = 'idle';
  private socket: WebSocket | null = null;
  private readonly pending = new Map<string, { touch: SentTouch; timer: ReturnType<typeof setTimeout> }>();
  private readonly nextId: () => string;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The relay said "slow down" until this time (options.now() ms): nothing is sent before it. */
  private holdUntil = 0;
  private closed = false;

  constructor(
    private readonly options: TouchClientOptions,
    private readonly listener: TouchClientListener,
  ) {
    this.nextId = createTouchIds(options.random);
  }

  /** Opens the link (idempotent): the page does so once a visitor could play, not for every viewer. */
  start(): void {
    if (this.closed || this.state !== 'idle') return;
    this.connect();
  }

  /** Whether visitors may play at `station` now, as the relay last said. */
  mayPlay(station: string): boolean {
    return this.participation.enabled && this.participation.stations[station] !== false;
  }

  /** Sends a touch, or refuses it on the spot; either way the listener hears its outcome. */
  touch(station: string, chime: number, v: number): SentTouch {
    const touch: SentTouch = { id: this.nextId(), station, chime, v };
    const refuse = (reason: TouchRefusal, retryMs?: number) =>
      this.listener.outcome(touch, { kind: 'refused', reason, ...(retryMs !== undefined ? { retryMs } : {}) });
    const now = this.now();
    if (!this.participation.enabled) refuse('resting');
    else if (this.participation.stations[station] === false) refuse('station_resting');
    else if (now < this.holdUntil) refuse('slow_down', this.holdUntil - now);
    else if (!this.socket || this.state !== 'open') refuse('offline');
    else {
      this.socket.send(JSON.stringify({ type: 'touch', id: touch.id, station, chime, v }));
      const timer = setTimeout(() => this.settle(touch.id, { kind: 'refused', reason: 'no_answer' }), this.options.answerTimeoutMs ?? TOUCH_ANSWER_TIMEOUT_MS);
      this.pending.set(touch.id, { touch, timer });
      this.listener.outcome(touch, { kind: 'sent' });
    }
    return touch;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.dropSocket();
    this.abandonPending();
    this.setState('idle');
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private connect(): void {
    if (this.closed) return;
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let socket: WebSocket;
    try {
      socket = new (this.options.WebSocketImpl ?? WebSocket)(this.options.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.setState('open');
    };
    socket.onmessage = (event: MessageEvent) => this.receive(event.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.abandonPending();
      this.scheduleRetry();
    };
    socket.onerror = () => undefined; // a close event always follows
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    const parsed = parseTouchReply(data);
    if (!parsed.ok) return; // a newer relay's message: nothing a touch waits on
    const message = parsed.message;
    switch (message.type) {
      case 'participation':
        this.participation = { enabled: message.enabled, stations: message.stations };
        this.listener.participation(this.participation);
        return;
      case 'touch_ack':
        this.settle(message.id, { kind: 'heard', seq: message.seq });
        return;
      case 'touch_refused':
        if (message.reason === 'slow_down' && message.retryMs !== undefined) this.holdUntil = Math.max(this.holdUntil, this.now() + message.retryMs);
        if (message.id !== undefined)
          this.settle(message.id, { kind: 'refused', reason: message.reason, ...(message.retryMs !== undefined ? { retryMs: message.retryMs } : {}) });
        return;
    }
  }

  private settle(id: string, outcome: TouchOutcome): void {
    const entry = this.pending.get(id);
    if (!entry) return; // not ours, or already given up on
    clearTimeout(entry.timer);
    this.pending.delete(id);
    this.listener.outcome(entry.touch, outcome);
  }

  /** A link that closed answers none of its touches: each is told so. */
  private abandonPending(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { kind: 'refused', reason: 'no_answer' });
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.close();
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    const delay = fullJitterDelayMs(this.attempt, RECONNECT_RANGE, this.options.random);
    this.attempt++;
    this.setState('reconnecting');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private setState(state: TouchLinkState): void {
    if (this.state === state) return;
    this.state = state;
    this.listener.link(state);
  }
}
