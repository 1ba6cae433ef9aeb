// A fake relay with visitors, built from the /touch contract (docs/protocol.md, "Visitors"): serves
// the built page, greets every /live viewer, and answers /touch as the test scripts it: ack (and
// fan the touch out on /live to every viewer, numbered like strikes), a delayed ack, or a refusal.
// For browser tests of the page's side (e2e/visitors.test.ts); e2e/visitorsRelay.test.ts uses the real relay.
// Closed by the caller in afterEach.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';

export const STATIONS = [
  { id: 'chicago', name: 'Chicago', lat: 41.88, lon: -87.63, chimes: 6, online: true, lastSeen: 0 },
  { id: 'tokyo', name: 'Tokyo', lat: 35.68, lon: 139.69, chimes: 5, online: true, lastSeen: 0 },
];

export type TouchAnswer = { ack: true; delayMs?: number } | { refuse: string; retryMs?: number };

export interface ReceivedTouch {
  id: string;
  station: string;
  chime: number;
  v: number;
}

export interface FakeTouchRelay {
  url: string;
  /** Every touch frame a page sent, in order. */
  received: ReceivedTouch[];
  /** How the next touches are answered (default: ack at once). */
  answer: TouchAnswer;
  /** Tells every /touch client whether visitors may play (and where not). */
  participation(enabled: boolean, stations?: Record<string, boolean>): void;
  /** Sends every /live viewer a frame. */
  broadcast(frame: object): void;
  close(): Promise<void>;
}

export async function startFakeTouchRelay(): Promise<FakeTouchRelay> {
  const serve = sirv(process.env.DIST_DIR ?? 'dist', { dev: true });
  const server: Server = createServer((request, response) => serve(request, response));
  const live = new WebSocketServer({ noServer: true });
  const touch = new WebSocketServer({ noServer: true });
  let seq = 100;
  let participation = { type: 'participation', enabled: true, stations: {} as Record<string, boolean> };
  const fake: FakeTouchRelay = {
    url: '',
    received: [],
    answer: { ack: true },
    participation(enabled, stations = {}) {
      participation = { type: 'participation', enabled, stations };
      for (const client of touch.clients) client.send(JSON.stringify(participation));
    },
    broadcast(frame) {
      for (const client of live.clients) client.send(JSON.stringify(frame));
    },
    close: async () => undefined,
  };

  live.on('connection', (socket: WebSocket) => {
    socket.send(JSON.stringify({ type: 'hello', protocol: 1, epoch: 'fake-touch', seq, now: Date.now(), stations: STATIONS, viewers: live.clients.size }));
  });
  touch.on('connection', (socket: WebSocket) => {
    socket.send(JSON.stringify(participation));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ReceivedTouch & { type: string };
      fake.received.push({ id: message.id, station: message.station, chime: message.chime, v: message.v });
      const answer = fake.answer;
      if ('refuse' in answer) {
        socket.send(JSON.stringify({ type: 'touch_refused', id: message.id, reason: answer.refuse, ...(answer.retryMs !== undefined ? { retryMs: answer.retryMs } : {}) }));
        return;
      }
      const accepted = ++seq;
      fake.broadcast({ type: 'touch', seq: accepted, station: message.station, chime: message.chime, v: message.v, t: Date.now() });
      const ack = () => socket.send(JSON.stringify({ type: 'touch_ack', id: message.id, seq: accepted }));
      if (answer.delayMs) setTimeout(ack, answer.delayMs);
      else ack();
    });
  });
  for (const wss of [live, touch]) wss.on('error', () => undefined);
  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    const wss = path === '/live' ? live : path === '/touch' ? touch : null;
    if (!wss) return socket.destroy();
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => undefined);
      wss.emit('connection', ws, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = async () => {
    for (const wss of [live, touch]) {
      for (const client of wss.clients) client.terminate();
      wss.close();
    }
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return fake;
}
