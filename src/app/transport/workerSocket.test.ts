// The worker-hosted socket against a fake Worker: what RelayTransport sees of it (open, every
// message in order, error, close with its code) and that the worker is always ended, also when
// it never reports the socket closed. The real worker runs in the e2e suite (every live page).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { offMainThreadSocket, WORKER_CLOSE_GRACE_MS, WorkerSocket, type SocketCommand, type SocketReport } from './workerSocket';

class FakeWorker {
  static last: FakeWorker | null = null;
  readonly commands: SocketCommand[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<SocketReport>) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  constructor(readonly url: URL | string) {
    FakeWorker.last = this;
  }
  postMessage(command: SocketCommand) { this.commands.push(command); }
  terminate() { this.terminated = true; }
  /** The worker reports something about its socket. */
  send(report: SocketReport) { this.onmessage?.({ data: report } as MessageEvent<SocketReport>); }
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('Worker', FakeWorker);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function open() {
  const socket = new WorkerSocket('ws://relay.example/live');
  const worker = FakeWorker.last!;
  const seen: string[] = [];
  socket.onmessage = (event) => seen.push(`message ${String(event.data)}`);
  socket.onerror = () => seen.push('error');
  socket.onclose = (event) => seen.push(`close ${event.code} ${event.reason}`);
  return { socket, worker, seen };
}

describe('a socket hosted in a worker', () => {
  it('opens the relay URL in its worker and says when it is open', () => {
    const { socket, worker } = open();
    expect(String(worker.url)).toMatch(/socketWorker/);
    expect(worker.commands).toEqual([{ type: 'open', url: 'ws://relay.example/live' }]);
    expect(socket.readyState).toBe(socket.CONNECTING);
    worker.send({ type: 'open' });
    expect(socket.readyState).toBe(socket.OPEN);
  });

  it('hands every message of a batch to onmessage, in order, then the close with its code', () => {
    const { socket, worker, seen } = open();
    worker.send({ type: 'open' });
    worker.send({ type: 'messages', messages: ['a', 'b'] });
    worker.send({ type: 'messages', messages: ['c'] });
    worker.send({ type: 'close', code: 1013, reason: 'slow down', wasClean: true });
    expect(seen).toEqual(['message a', 'message b', 'message c', 'close 1013 slow down']);
    expect(socket.readyState).toBe(3);
    expect(worker.terminated).toBe(true);
    // Nothing after the close reaches the transport.
    worker.send({ type: 'messages', messages: ['late'] });
    expect(seen).toHaveLength(4);
  });

  it('a binary frame reaches the transport as what it is (not a string), for it to refuse', () => {
    const { socket, worker } = open();
    const data: unknown[] = [];
    socket.onmessage = (event) => data.push(event.data);
    const bytes = new ArrayBuffer(2);
    worker.send({ type: 'messages', messages: [bytes] });
    expect(data).toEqual([bytes]);
  });

  it('close() asks the worker to close the socket and ends it when the close is reported', () => {
    const { socket, worker, seen } = open();
    worker.send({ type: 'open' });
    socket.close();
    expect(worker.commands.at(-1)).toEqual({ type: 'close' });
    expect(socket.readyState).toBe(2);
    socket.close(); // once is enough
    expect(worker.commands.filter((c) => c.type === 'close')).toHaveLength(1);
    worker.send({ type: 'close', code: 1000, reason: '', wasClean: true });
    expect(seen).toEqual(['close 1000 ']);
    expect(worker.terminated).toBe(true);
  });

  it('a worker that never reports the close is ended after a grace period', () => {
    const { socket, worker } = open();
    socket.close();
    vi.advanceTimersByTime(WORKER_CLOSE_GRACE_MS - 1);
    expect(worker.terminated).toBe(false);
    vi.advanceTimersByTime(1);
    expect(worker.terminated).toBe(true);
    expect(socket.readyState).toBe(3);
  });

  it('a worker that fails to load is a socket that failed: an error, then a close (1006)', () => {
    const { socket, worker, seen } = open();
    worker.onerror?.(new Event('error'));
    expect(seen).toEqual(['error', 'close 1006 socket worker failed']);
    expect(socket.readyState).toBe(3);
    expect(worker.terminated).toBe(true);
  });

  it('is used only where the browser has workers', () => {
    expect(offMainThreadSocket()).toBe(WorkerSocket);
    vi.stubGlobal('Worker', undefined);
    expect(offMainThreadSocket()).toBeUndefined();
  });
});
