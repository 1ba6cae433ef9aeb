// A stand-in for the Particle cloud's event stream: a real HTTP server on loopback that speaks SSE
// and lets a test write raw bytes, drop a connection, or go silent. Closed by the test's afterEach.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StreamOpen {
  path: string;
  authorization: string | undefined;
  response: ServerResponse;
}

export interface FakeCloud {
  url: string;
  opens: StreamOpen[];
  /** The newest open connection for `path`. */
  current(path: string): StreamOpen | undefined;
  /** Resolves once `path` has been opened `count` times in all. */
  waitForOpens(path: string, count: number, timeoutMs?: number): Promise<StreamOpen>;
  /** Writes raw SSE text to the newest connection on `path`. */
  write(path: string, text: string): void;
  /** An SSE event with the cloud's JSON, as the cloud sends it. */
  event(path: string, name: string, body: { data: string; coreid: string; published_at: string }): void;
  close(): Promise<void>;
}

export async function startFakeCloud(): Promise<FakeCloud> {
  const opens: StreamOpen[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    response.write(':ok\n\n');
    opens.push({ path: request.url ?? '', authorization: request.headers.authorization, response });
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const current = (path: string) => opens.filter((open) => open.path === path).at(-1);
  return {
    url: `http://127.0.0.1:${port}`,
    opens,
    current,
    waitForOpens(path, count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (opens.filter((open) => open.path === path).length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(current(path)!);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${path} opened ${opens.filter((o) => o.path === path).length} times, wanted ${count}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    write(path, text) {
      current(path)!.response.write(text);
    },
    event(path, name, body) {
      current(path)!.response.write(`event: ${name}\ndata: ${JSON.stringify({ ...body, ttl: 60 })}\n\n`);
    },
    async close() {
      for (const open of opens) open.response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
