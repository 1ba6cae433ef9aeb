// A websocket whose socket lives in a dedicated worker (socketWorker.ts), behind the part of the
// WebSocket interface RelayTransport uses. At high strike rates the per-message cost of receiving
// a websocket message was the largest single cost on the page's main thread (Chromium 150: ~56 us
// a message, ~13 us a strike when ten come as one); in the worker it is off the thread that draws
// and schedules sound, and what arrives together reaches the page as one message. Used for the
// page's own relay (same origin); a `?relay=` elsewhere keeps the plain WebSocket, so the page's
// Content-Security-Policy still decides, and reports, what it may connect to.

/** What RelayTransport needs of a socket (WebSocket has all of it). */
export type RelaySocket = Pick<WebSocket, 'onmessage' | 'onclose' | 'onerror' | 'readyState' | 'OPEN' | 'CONNECTING' | 'close'>;
export type RelaySocketConstructor = new (url: string) => RelaySocket;

export type SocketCommand = { type: 'open'; url: string } | { type: 'close' };
export type SocketReport =
  | { type: 'open' }
  | { type: 'messages'; messages: unknown[] }
  | { type: 'error' }
  | { type: 'close'; code: number; reason: string; wasClean: boolean };

/** A worker that never reports its socket closed after close() is ended this long after it. */
export const WORKER_CLOSE_GRACE_MS = 5_000;

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

export class WorkerSocket implements RelaySocket {
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readyState: number = CONNECTING;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  private readonly worker: Worker;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(url: string) {
    this.worker = new Worker(new URL('./socketWorker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<SocketReport>) => this.report(event.data);
    // The worker's script did not load or run: to the transport that is a socket that failed.
    this.worker.onerror = () => {
      this.report({ type: 'error' });
      this.report({ type: 'close', code: 1006, reason: 'socket worker failed', wasClean: false });
    };
    this.worker.postMessage({ type: 'open', url } satisfies SocketCommand);
  }

  close(): void {
    if (this.readyState >= CLOSING) return;
    this.readyState = CLOSING;
    this.worker.postMessage({ type: 'close' } satisfies SocketCommand);
    this.graceTimer = setTimeout(() => this.end(), WORKER_CLOSE_GRACE_MS);
  }

  private report(report: SocketReport): void {
    if (this.readyState === CLOSED) return;
    switch (report.type) {
      case 'open':
        this.readyState = OPEN;
        this.onopen?.(new Event('open'));
        break;
      case 'messages':
        // The transport reads only `data`: a plain object spares a MessageEvent per strike.
        for (const data of report.messages) {
          if (this.readyState === CLOSED) break;
          this.onmessage?.({ data } as MessageEvent);
        }
        break;
      case 'error':
        this.onerror?.(new Event('error'));
        break;
      case 'close':
        this.end();
        this.onclose?.({ code: report.code, reason: report.reason, wasClean: report.wasClean } as CloseEvent);
        break;
    }
  }

  private end(): void {
    clearTimeout(this.graceTimer);
    this.readyState = CLOSED;
    this.worker.terminate();
  }
}

/** The socket for the page's own relay: in a worker where the browser has workers. */
export function offMainThreadSocket(): RelaySocketConstructor | undefined {
  return typeof Worker === 'function' ? WorkerSocket : undefined;
}
