// Test helpers: real ws clients on loopback that record what they receive.
import WebSocket from 'ws';
import { parseRelayFrame, type RelayMessage } from '../../src/protocol';

export interface RecordingClient {
  socket: WebSocket;
  messages: RelayMessage[];
  /** Websocket messages received (a `batch=1` viewer's frame may hold several messages). */
  frames: number;
  /** Resolves with the close code. */
  closed: Promise<number>;
  /** Waits until `predicate` holds for the messages so far. */
  waitFor(predicate: (messages: RelayMessage[]) => boolean, timeoutMs?: number): Promise<RelayMessage[]>;
  strikes(): Extract<RelayMessage, { type: 'strike' }>[];
  close(): void;
}

export function record(url: string, options?: WebSocket.ClientOptions): Promise<RecordingClient> {
  const socket = new WebSocket(url, options);
  const messages: RelayMessage[] = [];
  const strikes: Extract<RelayMessage, { type: 'strike' }>[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    client.frames++;
    for (const parsed of parseRelayFrame(String(data))) {
      if (!parsed.ok) throw new Error(`relay sent an invalid message: ${parsed.detail}: ${String(data)}`);
      messages.push(parsed.message);
      if (parsed.message.type === 'strike') strikes.push(parsed.message);
    }
    for (const wake of waiters) wake();
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const client: RecordingClient = {
    socket,
    messages,
    frames: 0,
    closed,
    strikes: () => strikes,
    waitFor(predicate, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(messages)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(messages);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out; got ${messages.length} messages: ${JSON.stringify(messages.slice(-3))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => socket.terminate(),
  };
  const isViewer = new URL(url).pathname === '/live';
  return new Promise((resolve, reject) => {
    // A viewer is ready once it has its hello; a device once the socket is open.
    socket.once('open', () => (isViewer ? void client.waitFor((m) => m.length > 0).then(() => resolve(client), reject) : resolve(client)));
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
  });
}

/** Opens a device socket; resolves once open, rejects with the HTTP status if refused. */
export function device(url: string, token: string): Promise<RecordingClient> {
  return record(url, { headers: { Authorization: `Bearer ${token}` } });
}

export function httpStatusOf(url: string, options?: WebSocket.ClientOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      socket.terminate();
      reject(new Error('connection was accepted'));
    });
    socket.once('error', () => undefined);
  });
}
