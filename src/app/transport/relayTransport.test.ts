// The relay transport against scripted ws servers on loopback (the `ws` client stands in for the
// browser's WebSocket): resume, new epoch, silence, incompatible protocol, backoff.
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { freePort } from '../../../test/support/freePort';
import { backoffCeilingMs, type StrikeMessage } from '../../protocol';
import { RECONNECT_BASE_MS, RECONNECT_CAP_MS, RelayTransport } from './relayTransport';
import type { ConnectionStatus, StreamStart, TransportSink } from './types';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

interface Recorder extends TransportSink {
  starts: StreamStart[];
  strikes: number[];
  statuses: ConnectionStatus[];
  refusals: string[];
  /** ms until the next attempt, as announced with each `reconnecting` status. */
  waits: number[];
}

function recorder(): Recorder {
  const r: Recorder = {
    starts: [],
    strikes: [],
    statuses: [],
    refusals: [],
    waits: [],
    start: (s) => void r.starts.push(s),
    strike: (s: StrikeMessage) => void r.strikes.push(s.seq),
    station: () => undefined,
    stationRemoved: () => undefined,
    presence: () => undefined,
    status: (s) => {
      r.statuses.push(s);
      if (s.state === 'reconnecting') r.waits.push(s.nextAttemptAt - Date.now());
    },
    refused: (d) => void r.refusals.push(d),
  };
  return r;
}

const hello = (epoch: string, seq: number, extra: object = {}) =>
  JSON.stringify({ type: 'hello', protocol: 1, epoch, seq, now: Date.now(), stations: [], viewers: 1, ...extra });
const strike = (seq: number) => JSON.stringify({ type: 'strike', seq, station: 'a', chime: 0, v: 1, t: Date.now() });

/** A ws server whose `onConnection` scripts each connection (n = 0, 1, ...), with the request URL. */
async function scriptedRelay(onConnection: (socket: WebSocket, n: number, url: URL) => void) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  let n = 0;
  server.on('connection', (socket, request) => onConnection(socket, n++, new URL(request.url!, 'http://x')));
  cleanups.push(() => server.close());
  for (const cleanup of [() => server.clients.forEach((c) => c.terminate())]) cleanups.push(cleanup);
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/live`;
}

function transport(url: string, options: Partial<ConstructorParameters<typeof RelayTransport>[0]> = {}) {
  const t = new RelayTransport({ url, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket, random: () => 0, ...options });
  cleanups.unshift(() => t.stop());
  return t;
}

const until = async (check: () => boolean, timeoutMs = 5_000) => {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('RelayTransport', () => {
  it("hands visitors' touches on in the strikes' seq sequence, refuses a malformed one, and reads presence visitors", async () => {
    const url = await scriptedRelay((socket) => {
      socket.send(hello('e1', 0));
      socket.send(strike(1));
      socket.send(JSON.stringify({ type: 'touch', seq: 2, station: 'a', chime: 3, v: 0.8, t: Date.now() }));
      socket.send(JSON.stringify({ type: 'touch', seq: 2, station: 'a', chime: 3, v: 0.8, t: Date.now() })); // a duplicate
      socket.send(JSON.stringify({ type: 'touch', seq: 3, station: 'a', chime: -1, v: 0.8, t: Date.now() }));
      socket.send(strike(4));
      socket.send(JSON.stringify({ type: 'presence', viewers: 7, visitors: 2 }));
    });
    const touches: number[] = [];
    const presence: [number, number | undefined][] = [];
    const sink = { ...recorder(), touch: (t: { seq: number }) => void touches.push(t.seq), presence: (v: number, n?: number) => void presence.push([v, n]) };
    const t = transport(url);
    t.start(sink);
    await until(() => presence.length === 1);
    expect(touches).toEqual([2]);
    expect(sink.strikes).toEqual([1, 4]);
    expect(sink.refusals).toEqual([expect.stringMatching(/^chime/)]);
    expect(presence).toEqual([[7, 2]]);
    expect(t.health().seqMissing).toBe(1); // seq 3 was refused, so never delivered
  });

  it('passes a removed station on to the page', async () => {
    const url = await scriptedRelay((socket) => {
      socket.send(hello('e1', 0));
      socket.send(JSON.stringify({ type: 'station_removed', station: 'lima' }));
    });
    const removed: string[] = [];
    const sink = { ...recorder(), stationRemoved: (id: string) => void removed.push(id) };
    transport(url).start(sink);
    await until(() => removed.length === 1);
    expect(removed).toEqual(['lima']);
    expect(sink.refusals).toEqual([]);
  });

  it('resumes after a dropped link with since+epoch and loses nothing', async () => {
    const urls: URL[] = [];
    const url = await scriptedRelay((socket, n, requestUrl) => {
      urls.push(requestUrl);
      if (n === 0) {
        socket.send(hello('e1', 5));
        socket.send(strike(6));
        socket.send(strike(7));
        setTimeout(() => socket.terminate(), 50);
      } else {
        socket.send(hello('e1', 9));
        socket.send(strike(8));
        socket.send(strike(9));
      }
    });
    const sink = recorder();
    const t = transport(url);
    t.start(sink);
    await until(() => sink.strikes.length === 4);
    expect(sink.strikes).toEqual([6, 7, 8, 9]);
    expect(urls[0]!.search).toBe('?batch=1');
    expect(urls[1]!.search).toBe('?batch=1&since=7&epoch=e1');
    expect(sink.statuses.map((s) => s.state)).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    expect(sink.starts[1]!.notice).toBeUndefined();
    expect(sink.starts[1]!.historyUntilSeq).toBe(9); // 8 and 9 are the missed backlog: counted, not shown
    expect(t.reconnects).toBe(1);
    expect(t.position.missing).toBe(0);
  });

  it('says so when the relay comes back with a new epoch', async () => {
    const url = await scriptedRelay((socket, n) => {
      socket.send(hello(n === 0 ? 'e1' : 'e2', n === 0 ? 500 : 0));
      if (n === 0) setTimeout(() => socket.close(1001), 20);
      else socket.send(strike(1));
    });
    const sink = recorder();
    transport(url).start(sink);
    await until(() => sink.strikes.length === 1);
    expect(sink.starts[1]!.notice).toMatch(/restarted/);
    expect(sink.strikes).toEqual([1]);
  });

  it('treats a silent link as dead and reconnects', async () => {
    const url = await scriptedRelay((socket) => socket.send(hello('e1', 0)));
    const sink = recorder();
    transport(url, { silenceDeadMs: 300 }).start(sink);
    await until(() => sink.starts.length === 2, 4_000);
    expect(sink.statuses.find((s) => s.state === 'reconnecting')).toMatchObject({ reason: 'no heartbeat from the relay' });
  });

  it('stops with a clear message on an incompatible protocol, and does not retry', async () => {
    let connections = 0;
    const url = await scriptedRelay((socket) => {
      connections++;
      socket.send(hello('e1', 0, { protocol: 2 }));
    });
    const sink = recorder();
    transport(url).start(sink);
    await until(() => sink.statuses.some((s) => s.state === 'offline'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(connections).toBe(1);
    expect(sink.statuses.at(-1)).toMatchObject({ state: 'offline', reason: expect.stringContaining('protocol 2') });
  });

  it('counts bad frames and keeps going', async () => {
    const url = await scriptedRelay((socket) => {
      socket.send(hello('e1', 0));
      socket.send('not json');
      socket.send('{"type":"weather"}');
      socket.send(Buffer.from([1, 2, 3]));
      socket.send(strike(1));
    });
    const sink = recorder();
    transport(url).start(sink);
    await until(() => sink.strikes.length === 1);
    expect(sink.refusals).toHaveLength(3);
  });

  it('asks for batches and reads one: every message in order, a bad one refused alone, the rest kept', async () => {
    const url = await scriptedRelay((socket, _n, requestUrl) => {
      if (requestUrl.searchParams.get('batch') !== '1') return socket.close(1008, 'expected batch=1');
      socket.send(`[${hello('e1', 0)},${strike(1)},${strike(2)}]`);
      socket.send(`[${strike(3)},{"type":"weather"},${strike(4)}]`);
      socket.send(strike(5)); // a lone message needs no array
      socket.send('[]');
    });
    const sink = recorder();
    transport(url).start(sink);
    await until(() => sink.strikes.length === 5 && sink.refusals.length === 2);
    expect(sink.starts).toHaveLength(1);
    expect(sink.strikes).toEqual([1, 2, 3, 4, 5]);
    expect(sink.refusals).toEqual(['unknown message type "weather"', expect.stringMatching(/^a batch holds 1 to \d+ messages, not 0$/)]);
  });

  it('an incompatible hello inside a batch stops the page before the strikes behind it', async () => {
    const url = await scriptedRelay((socket) => socket.send(`[${hello('e1', 0, { protocol: 2 })},${strike(1)}]`));
    const sink = recorder();
    transport(url).start(sink);
    await until(() => sink.statuses.some((s) => s.state === 'offline'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sink.strikes).toEqual([]);
  });

  it('backs off with the jittered schedule while nothing answers', async () => {
    const port = await freePort(); // nobody listens there
    const sink = recorder();
    transport(`ws://127.0.0.1:${port}/live`, { random: () => 0.1 }).start(sink);
    await until(() => sink.waits.length >= 4);
    // 10% of 0.5 s, 1 s, 2 s, 4 s
    const expected = [50, 100, 200, 400];
    sink.waits.slice(0, 4).forEach((wait, i) => {
      expect(wait).toBeLessThanOrEqual(expected[i]!);
      expect(wait).toBeGreaterThan(expected[i]! - 10);
    });
  });

  it('says which relay is unreachable while it has never answered, and only then', async () => {
    const port = await freePort();
    const sink = recorder();
    transport(`ws://127.0.0.1:${port}/live`, { policyEvents: null }).start(sink);
    await until(() => sink.waits.length >= 1);
    expect(sink.statuses.at(-1)).toMatchObject({
      state: 'reconnecting',
      unreachable: true,
      reason: `The relay at ws://127.0.0.1:${port}/live is unreachable: the connection was refused or dropped. Check the address; the page keeps trying.`,
    });

    const answered = await scriptedRelay((socket, n) => {
      socket.send(hello('e1', 0));
      if (n === 0) setTimeout(() => socket.terminate(), 20);
    });
    const reached = recorder();
    transport(answered).start(reached);
    await until(() => reached.starts.length === 2);
    expect(reached.statuses.find((s) => s.state === 'reconnecting')).toMatchObject({ unreachable: false, reason: 'connection closed (1006)' });
  });

  it("names the page's security policy when the browser reports it refused the relay", async () => {
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}/live`;
    const policyEvents = new EventTarget();
    const sink = recorder();
    transport(url, { policyEvents, random: () => 1 }).start(sink);
    await until(() => sink.waits.length >= 1);
    // Another host's refusal is not ours; the relay's, reported after the close, updates the reason.
    policyEvents.dispatchEvent(Object.assign(new Event('securitypolicyviolation'), { effectiveDirective: 'connect-src', blockedURI: 'wss://elsewhere.example/live' }));
    expect(sink.statuses.at(-1)).toMatchObject({ reason: expect.not.stringContaining('CSP') });
    policyEvents.dispatchEvent(Object.assign(new Event('securitypolicyviolation'), { effectiveDirective: 'connect-src', blockedURI: url }));
    expect(sink.statuses.at(-1)).toMatchObject({ state: 'reconnecting', unreachable: true, reason: expect.stringContaining('security policy (CSP)') });
  });

  it('stops quietly while its socket is still connecting (the relay has not answered the upgrade)', async () => {
    const held: net.Socket[] = [];
    const silent = net.createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      held.forEach((socket) => socket.destroy());
      silent.close();
    });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => void uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const t = transport(`ws://127.0.0.1:${(silent.address() as AddressInfo).port}/live`);
      t.start(recorder());
      await until(() => held.length === 1);
      t.stop();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
  });

  it('retry now skips the backoff wait and connects at once', async () => {
    const port = await freePort();
    const sink = recorder();
    const t = transport(`ws://127.0.0.1:${port}/live`, { random: () => 1, policyEvents: null });
    t.start(sink);
    // Each failed retry doubles the wait: fail fast until the next attempt is seconds away.
    while ((sink.waits.at(-1) ?? 0) < 4_000) {
      const seen = sink.waits.length;
      await until(() => sink.waits.length > seen);
      if (sink.waits.at(-1)! < 4_000) t.retryNow();
    }
    const server = new WebSocketServer({ port, host: '127.0.0.1' });
    cleanups.push(() => server.close());
    server.on('connection', (socket) => socket.send(hello('e1', 0)));
    await new Promise((resolve) => server.once('listening', resolve));
    const clickedAt = Date.now();
    t.retryNow();
    await until(() => sink.statuses.at(-1)?.state === 'live', 2_000);
    expect(Date.now() - clickedAt).toBeLessThan(1_000);
    expect(sink.statuses.at(-2)).toEqual({ state: 'connecting' });
  });

  it('retry now does nothing while a link is open', async () => {
    let connections = 0;
    const url = await scriptedRelay((socket) => {
      connections++;
      socket.send(hello('e1', 0));
    });
    const sink = recorder();
    const t = transport(url);
    t.start(sink);
    await until(() => sink.starts.length === 1);
    t.retryNow();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connections).toBe(1);
    expect(sink.statuses.map((s) => s.state)).toEqual(['connecting', 'live']);
  });

  it("the page's retry ceiling doubles from 0.5 s and stops at 30 s", () => {
    const range = { baseMs: RECONNECT_BASE_MS, capMs: RECONNECT_CAP_MS };
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map((attempt) => backoffCeilingMs(attempt, range))).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });
});
