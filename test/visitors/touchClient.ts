// A visitor's page as the relay sees it: a real ws client on /touch that sends touches and records the
// relay's answers (parsed with the shared schema), so tests can wait for the answer to one touch id.
import WebSocket from 'ws';
import { parseTouchServerMessage, type TouchServerMessage } from '../../src/protocol';

export interface TouchClient {
  socket: WebSocket;
  messages: TouchServerMessage[];
  closed: Promise<number>;
  /** Sends a touch (fields override a valid one on chicago) and resolves with the answer to its id. */
  touch(fields?: Record<string, unknown>): Promise<TouchServerMessage>;
  /** Sends raw text; does not wait. */
  sendRaw(text: string | Buffer, binary?: boolean): void;
  waitFor(predicate: (messages: TouchServerMessage[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

let nextId = 0;

/** Opens /touch from `origin` (default: the relay's own); resolves once the participation message came. */
export function touchClient(relayUrl: string, options: { origin?: string; forwardedFor?: string } = {}): Promise<TouchClient> {
  const wsUrl = `${relayUrl.replace(/^http/, 'ws')}/touch`;
  const socket = new WebSocket(wsUrl, {
    headers: { Origin: options.origin ?? relayUrl, ...(options.forwardedFor ? { 'X-Forwarded-For': options.forwardedFor } : {}) },
  });
  const messages: TouchServerMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    const parsed = parseTouchServerMessage(String(data));
    if (!parsed.ok) throw new Error(`relay sent an invalid /touch message: ${parsed.detail}: ${String(data)}`);
    messages.push(parsed.message);
    for (const wake of [...waiters]) wake();
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const waitFor = (predicate: (messages: TouchServerMessage[]) => boolean, timeoutMs = 5_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate(messages)) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out; last messages: ${JSON.stringify(messages.slice(-3))}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  const client: TouchClient = {
    socket,
    messages,
    closed,
    async touch(fields = {}) {
      const id = typeof fields.id === 'string' ? fields.id : `t${++nextId}`;
      socket.send(JSON.stringify({ type: 'touch', id, station: 'chicago', chime: 1, v: 0.5, ...fields }));
      const answerTo = (m: TouchServerMessage) => (m.type === 'touch_ack' || m.type === 'touch_refused') && m.id === id;
      const before = messages.filter(answerTo).length;
      await waitFor((all) => all.filter(answerTo).length > before);
      return messages.filter(answerTo).at(-1)!;
    },
    sendRaw: (text, binary = false) => socket.send(text, { binary }),
    waitFor,
    close: () => socket.terminate(),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => void waitFor((m) => m.some((x) => x.type === 'participation')).then(() => resolve(client), reject));
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
  });
}
