// What the relay published: a viewer straight on the relay (not through the proxy) that records
// every strike seq per epoch. On meeting a new epoch it asks again with since=0, so it holds the
// whole epoch from its first strike even if it connected late. Reconnects quickly, forever.
import WebSocket from 'ws';

/** The recorder retries the relay this often while it is down. */
export const RECORDER_RETRY_MS = 200;

export class StrikeRecorder {
  /** epoch -> every seq published in it that the recorder has seen. */
  readonly epochs = new Map<string, Set<number>>();
  private socket: WebSocket | null = null;
  private epoch: string | null = null;
  private lastSeq = 0;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly liveUrl: string) {}

  start(): void {
    this.connect();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.socket?.terminate();
  }

  private connect(): void {
    if (this.closed) return;
    const query = this.epoch ? `?since=${this.lastSeq}&epoch=${encodeURIComponent(this.epoch)}` : '';
    const socket = new WebSocket(`${this.liveUrl}${query}`);
    this.socket = socket;
    socket.on('message', (data) => this.receive(socket, String(data)));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.retry = setTimeout(() => this.connect(), RECORDER_RETRY_MS);
    });
  }

  private receive(socket: WebSocket, text: string): void {
    const message = JSON.parse(text) as { type: string; seq?: number; epoch?: string };
    if (message.type === 'hello') {
      if (message.epoch !== this.epoch) {
        // A new epoch: fetch it from its start (the relay keeps its history for resume).
        this.epoch = message.epoch!;
        this.lastSeq = 0;
        this.epochs.set(this.epoch, new Set());
        this.socket = null;
        socket.terminate();
        this.connect();
      }
      return;
    }
    if (message.type === 'strike' && this.epoch) {
      this.epochs.get(this.epoch)!.add(message.seq!);
      this.lastSeq = Math.max(this.lastSeq, message.seq!);
    }
  }
}
