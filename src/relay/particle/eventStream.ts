// One Server-Sent Events subscription to the Particle cloud, kept open for the relay's life: our
// own fetch loop (so the token rides in an Authorization header, never the URL) around
// eventsource-parser, with the protocol's full-jitter backoff, the cloud's open budget and stall
// detection. A bad line or event is counted and skipped; only a broken connection reconnects.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { fullJitterDelayMs } from '../../protocol';
import type { Logger } from '../log';
import type { OpenBudget } from './openBudget';
import {
  PARTICLE_MAX_EVENT_CHARS,
  PARTICLE_RECONNECT_BASE_MS,
  PARTICLE_RECONNECT_MAX_MS,
  PARTICLE_RETRY_AFTER_MAX_MS,
  PARTICLE_STREAM_HEALTHY_MS,
  PARTICLE_STREAM_STALL_MS,
} from './limits';

export interface EventStreamOptions {
  /** Full URL of the stream (no credentials in it). */
  url: string;
  token: string;
  budget: OpenBudget;
  log: Logger;
  onMessage(message: EventSourceMessage): void;
  stallMs?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
}

export class EventStream {
  private controller: AbortController | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private attempt = 0;
  private readonly stallMs: number;
  readonly stats = { opens: 0, reconnects: 0, stalls: 0, badLines: 0, messages: 0, httpErrors: 0 };
  /** When the current connection was opened, or null while disconnected. */
  connectedAt: number | null = null;

  constructor(private readonly options: EventStreamOptions) {
    this.stallMs = options.stallMs ?? PARTICLE_STREAM_STALL_MS;
    this.schedule(0);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.controller?.abort();
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    const budgetWait = this.options.budget.waitMs(Date.now());
    // Clamped so the timer can never overflow (Node fires an overflowing timer after 1 ms).
    const wait = Math.min(Math.max(delayMs, budgetWait), PARTICLE_RETRY_AFTER_MAX_MS);
    if (budgetWait > delayMs) this.options.log.warn({ event: 'particle_open_budget', waitMs: budgetWait }, 'cloud stream open limit reached: waiting');
    this.retryTimer = setTimeout(() => void this.run(), wait);
    this.retryTimer.unref();
  }

  private async run(): Promise<void> {
    if (this.closed) return;
    const { log, url } = this.options;
    const startedAt = Date.now();
    // The budget is checked again at the moment of opening, whatever scheduled this run.
    if (this.options.budget.waitMs(startedAt) > 0) return this.schedule(0);
    this.options.budget.record(startedAt);
    this.stats.opens++;
    const controller = new AbortController();
    this.controller = controller;
    let stalled = false;
    let stallTimer: NodeJS.Timeout | undefined;
    const armStall = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => {
        stalled = true;
        controller.abort();
      }, this.stallMs);
      stallTimer.unref();
    };
    let retryAfterMs = 0;
    try {
      armStall();
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${this.options.token}`, Accept: 'text/event-stream' },
        signal: controller.signal,
      });
      if (response.status !== 200 || !response.body) {
        this.stats.httpErrors++;
        retryAfterMs = retryAfterHeaderMs(response.headers.get('retry-after'));
        const level = response.status === 401 || response.status === 403 ? 'error' : 'warn';
        log[level]({ event: 'particle_stream_refused', status: response.status, url }, 'cloud refused the event stream');
        await response.body?.cancel().catch(() => undefined);
        return;
      }
      this.connectedAt = Date.now();
      log.info({ event: 'particle_stream_open', url }, 'cloud event stream open');
      await this.read(response.body, controller, armStall);
    } catch (error) {
      if (!this.closed && !stalled) {
        log.warn({ event: 'particle_stream_error', url, err: (error as Error).message }, 'cloud event stream failed');
      }
    } finally {
      clearTimeout(stallTimer);
      if (this.connectedAt !== null && Date.now() - this.connectedAt >= PARTICLE_STREAM_HEALTHY_MS) this.attempt = 0;
      this.connectedAt = null;
      if (!this.closed) {
        if (stalled) {
          this.stats.stalls++;
          log.warn({ event: 'particle_stream_stalled', url, stallMs: this.stallMs }, 'cloud event stream stalled: reconnecting');
        }
        this.stats.reconnects++;
        const delay = fullJitterDelayMs(this.attempt++, {
          baseMs: this.options.reconnectBaseMs ?? PARTICLE_RECONNECT_BASE_MS,
          capMs: this.options.reconnectMaxMs ?? PARTICLE_RECONNECT_MAX_MS,
        });
        this.schedule(Math.max(delay, retryAfterMs));
      }
    }
  }

  private async read(body: ReadableStream<Uint8Array>, controller: AbortController, onBytes: () => void): Promise<void> {
    let overflow = false;
    const parser = createParser({
      maxBufferSize: PARTICLE_MAX_EVENT_CHARS,
      onEvent: (message) => {
        this.stats.messages++;
        try {
          this.options.onMessage(message);
        } catch (error) {
          this.options.log.error({ event: 'particle_message_failed', err: (error as Error).message }, 'cloud event handler failed');
        }
      },
      onError: (error) => {
        if (error.type === 'max-buffer-size-exceeded') {
          overflow = true;
          controller.abort();
          return;
        }
        // An unknown field or bad retry value: skip the line, keep the stream.
        this.stats.badLines++;
        this.options.log.debug({ event: 'particle_bad_line', type: error.type }, 'cloud stream: line skipped');
      },
    });
    const decoder = new TextDecoder();
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        onBytes();
        parser.feed(decoder.decode(value, { stream: true }));
        if (overflow) break;
      }
    } finally {
      reader.releaseLock();
    }
    if (overflow) this.options.log.warn({ event: 'particle_event_too_large', maxChars: PARTICLE_MAX_EVENT_CHARS }, 'cloud event too large: reconnecting');
    else this.options.log.info({ event: 'particle_stream_ended', url: this.options.url }, 'cloud event stream ended: reconnecting');
  }
}

/** The cloud's Retry-After (seconds or an HTTP date) in ms, within 0..PARTICLE_RETRY_AFTER_MAX_MS. */
export function retryAfterHeaderMs(header: string | null, now = Date.now()): number {
  if (!header) return 0;
  const seconds = Number(header);
  const at = Date.parse(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Number.isFinite(at) ? at - now : 0;
  return Math.min(Math.max(0, ms), PARTICLE_RETRY_AFTER_MAX_MS);
}
