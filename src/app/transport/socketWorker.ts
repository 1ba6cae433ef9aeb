// The relay's websocket, hosted in a dedicated worker (see workerSocket.ts): every message the
// relay sends costs the thread that receives it ~56 us in Chromium 150 before a line of our code
// runs (tmp microbenchmark, 2026-12-02; an empty onmessage at 5,000 messages/s), so here it costs
// this thread, and the page's main thread gets what arrived together as one message.
import type { SocketCommand, SocketReport } from './workerSocket';

const scope = self as unknown as {
  postMessage(report: SocketReport): void;
  onmessage: ((event: MessageEvent<SocketCommand>) => void) | null;
};

let socket: WebSocket | null = null;
let pending: unknown[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;

/** Hands over what has arrived. Called from a 0 ms timer, which runs after the message tasks already queued: that is the batch. */
function flush(): void {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  if (pending.length === 0) return;
  const messages = pending;
  pending = [];
  scope.postMessage({ type: 'messages', messages });
}

scope.onmessage = ({ data: command }) => {
  if (command.type === 'close') {
    socket?.close();
    return;
  }
  socket = new WebSocket(command.url);
  socket.onopen = () => scope.postMessage({ type: 'open' });
  socket.onmessage = (event: MessageEvent) => {
    pending.push(event.data);
    flushTimer ??= setTimeout(flush, 0);
  };
  // Whatever arrived before an error or the close is handed over first, in order.
  socket.onerror = () => {
    flush();
    scope.postMessage({ type: 'error' });
  };
  socket.onclose = (event: CloseEvent) => {
    flush();
    scope.postMessage({ type: 'close', code: event.code, reason: event.reason, wasClean: event.wasClean });
  };
};
