// A fake relay for browser tests: serves the built page (this run's DIST_DIR, see buildOnce.ts) and
// hands each /live websocket to the test, which scripts exactly what the page receives. Closed by
// the caller in afterEach.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeRelay {
  url: string;
  connections: number;
  close(): Promise<void>;
}

export async function startFakeRelay(onViewer: (socket: WebSocket, url: URL) => void): Promise<FakeRelay> {
  const serve = sirv(process.env.DIST_DIR ?? 'dist', { dev: true });
  const server: Server = createServer((request, response) => serve(request, response));
  const wss = new WebSocketServer({ noServer: true });
  const fake: FakeRelay = { url: '', connections: 0, close: async () => undefined };
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    if (url.pathname !== '/live') return socket.destroy();
    wss.handleUpgrade(request, socket, head, (ws) => {
      fake.connections++;
      ws.on('error', () => undefined);
      onViewer(ws, url);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = async () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return fake;
}

export const helloFrame = (extra: object = {}) =>
  JSON.stringify({
    type: 'hello',
    protocol: 1,
    epoch: 'fake',
    seq: 0,
    now: Date.now(),
    stations: [{ id: 'chicago', name: 'Chicago', lat: 41.88, lon: -87.63, chimes: 6, online: true, lastSeen: Date.now() }],
    viewers: 3,
    ...extra,
  });

export const strikeFrame = (seq: number, chime = seq % 6) =>
  JSON.stringify({ type: 'strike', seq, station: 'chicago', chime, v: 0.8, t: Date.now() });
