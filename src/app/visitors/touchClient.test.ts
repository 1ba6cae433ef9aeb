// The touch client against scripted /touch servers on loopback (the `ws` client stands in for the
// browser's WebSocket): ids, matching acks and refusals, participation, slow down, reconnect.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { backoffCeilingMs, touchIdSchema } from '../../protocol';
import { RECONNECT_BASE_MS } from '../transport/relayTransport';
import { createTouchIds, TouchClient, type SentTouch, type TouchClientOptions, type TouchLinkState, type TouchOutcome } from './touchClient';
import type { Participation } from './touchWire';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A /touch server whose `onConnection` scripts each connection; `received` collects what clients sent. */
async function scriptedTouchRelay(onConnection: (socket: WebSocket, n: number) => void = () => undefined) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const received: { id: string; station: string; chime: number; v: number }[] = [];
  const connectedAt: number[] = [];
  server.on('connection', (socket) => {
    connectedAt.push(Date.now());
    socket.on('message', (data) => received.push(JSON.parse(String(data)) as (typeof received)[number]));
    onConnection(socket, connectedAt.length - 1);
  });
  cleanups.push(() => {
    server.clients.forEach((c) => c.terminate());
    server.close();
  });
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/touch`, received, connectedAt, server };
}

function client(url: string, options: Partial<TouchClientOptions> = {}) {
  const outcomes: { touch: SentTouch; outcome: TouchOutcome }[] = [];
  const participations: Participation[] = [];
  const states: TouchLinkState[] = [];
  const touchClient = new TouchClient(
    { url, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket, ...options },
    {
      outcome: (touch, outcome) => void outcomes.push({ touch, outcome }),
      participation: (p) => void participations.push(p),
      link: (state) => void states.push(state),
    },
  );
  cleanups.unshift(() => touchClient.close());
  touchClient.start();
  return { touchClient, outcomes, participations, states };
}

const until = async (check: () => boolean, ms = 3_000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
const outcomeOf = (outcomes: { touch: SentTouch; outcome: TouchOutcome }[], id: string) => outcomes.filter((o) => o.touch.id === id).map((o) => o.outcome);

describe('touch ids', () => {
  it('are unique, fit the relay pattern, and differ between pages', () => {
    const a = createTouchIds(() => 0.25);
    const ids = Array.from({ length: 5000 }, a);
    expect(new Set(ids).size).toBe(5000);
    expect(ids.every((id) => touchIdSchema.safeParse(id).success)).toBe(true);
    expect(createTouchIds(() => 0.75)()).not.toBe(createTouchIds(() => 0.25)());
  });
});

describe('TouchClient', () => {
  it('matches each ack and refusal to its own touch by id, and ignores answers to touches it never sent', async () => {
    const relay = await scriptedTouchRelay((socket) =>
      socket.on('message', (data) => {
        const { id, chime } = JSON.parse(String(data)) as { id: string; chime: number };
        socket.send(JSON.stringify({ type: 'touch_ack', id: 'not-mine', seq: 1 }));
        // Answered out of order: the second touch first.
        if (chime === 1) socket.send(JSON.stringify({ type: 'touch_refused', id, reason: 'unknown_station' }));
        else setTimeout(() => socket.send(JSON.stringify({ type: 'touch_ack', id, seq: 1043 })), 30);
      }),
    );
    const { touchClient, outcomes } = client(relay.url);
    await until(() => touchClient.state === 'open');
    const first = touchClient.touch('chicago', 0, 0.8);
    const second = touchClient.touch('atlantis', 1, 1);
    expect(first.id).not.toBe(second.id);
    await until(() => outcomes.length === 4);
    expect(outcomeOf(outcomes, first.id)).toEqual([{ kind: 'sent' }, { kind: 'heard', seq: 1043 }]);
    expect(outcomeOf(outcomes, second.id)).toEqual([{ kind: 'sent' }, { kind: 'refused', reason: 'unknown_station' }]);
    expect(relay.received).toEqual([
      { type: 'touch', id: first.id, station: 'chicago', chime: 0, v: 0.8 },
      { type: 'touch', id: second.id, station: 'atlantis', chime: 1, v: 1 },
    ]);
  });

  it('sends nothing while participation is off, everywhere or at that station, and again once it is back on', async () => {
    let relaySocket: WebSocket | undefined;
    const relay = await scriptedTouchRelay((socket) => {
      relaySocket = socket;
      socket.send(JSON.stringify({ type: 'participation', enabled: false, stations: {} }));
    });
    const { touchClient, outcomes, participations } = client(relay.url);
    await until(() => participations.length === 1);
    expect(touchClient.mayPlay('chicago')).toBe(false);
    const resting = touchClient.touch('chicago', 2, 1);
    expect(outcomeOf(outcomes, resting.id)).toEqual([{ kind: 'refused', reason: 'resting' }]);

    relaySocket!.send(JSON.stringify({ type: 'participation', enabled: true, stations: { chicago: false } }));
    await until(() => participations.length === 2);
    const stationResting = touchClient.touch('chicago', 2, 1);
    expect(outcomeOf(outcomes, stationResting.id)).toEqual([{ kind: 'refused', reason: 'station_resting' }]);
    expect(touchClient.mayPlay('tokyo')).toBe(true);
    touchClient.touch('tokyo', 2, 1);
    await until(() => relay.received.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(relay.received.map((t) => t.station)).toEqual(['tokyo']);
  });

  it('after "slow down" it holds every touch until the relay\'s retryMs has passed, without sending them', async () => {
    let clock = 1_000_000;
    const relay = await scriptedTouchRelay((socket) =>
      socket.on('message', (data) => {
        const { id } = JSON.parse(String(data)) as { id: string };
        socket.send(JSON.stringify({ type: 'touch_refused', id, reason: 'slow_down', retryMs: 800 }));
      }),
    );
    const { touchClient, outcomes } = client(relay.url, { now: () => clock });
    await until(() => touchClient.state === 'open');
    const first = touchClient.touch('chicago', 0, 1);
    await until(() => outcomeOf(outcomes, first.id).length === 2);
    expect(outcomeOf(outcomes, first.id)[1]).toEqual({ kind: 'refused', reason: 'slow_down', retryMs: 800 });
    clock += 300;
    const held = touchClient.touch('chicago', 0, 1);
    expect(outcomeOf(outcomes, held.id)).toEqual([{ kind: 'refused', reason: 'slow_down', retryMs: 500 }]);
    clock += 500;
    touchClient.touch('chicago', 0, 1);
    await until(() => relay.received.length === 2);
  });

  it('a touch without an answer in time, or in flight when the link drops, is reported unanswered', async () => {
    const relay = await scriptedTouchRelay(); // answers nothing
    // The longest backoff draw, so the link stays down while the offline touch below is made.
    const { touchClient, outcomes } = client(relay.url, { answerTimeoutMs: 100, random: () => 0.999 });
    await until(() => touchClient.state === 'open');
    const unanswered = touchClient.touch('chicago', 0, 1);
    await until(() => outcomeOf(outcomes, unanswered.id).length === 2);
    expect(outcomeOf(outcomes, unanswered.id)[1]).toEqual({ kind: 'refused', reason: 'no_answer' });

    const inFlight = touchClient.touch('chicago', 1, 1);
    relay.server.clients.forEach((c) => c.terminate());
    await until(() => outcomeOf(outcomes, inFlight.id).length === 2, 1_000);
    expect(outcomeOf(outcomes, inFlight.id)[1]).toEqual({ kind: 'refused', reason: 'no_answer' });
    // While the link is down a touch is refused at once, not queued. (On a busy machine the answer
    // timeout can fire before the client has seen the link drop: wait for that first.)
    await until(() => touchClient.state === 'reconnecting');
    const offline = touchClient.touch('chicago', 2, 1);
    expect(outcomeOf(outcomes, offline.id)).toEqual([{ kind: 'refused', reason: 'offline' }]);
  });

  it('reconnects after a drop, waiting a full-jitter backoff of the shared policy', async () => {
    const relay = await scriptedTouchRelay((socket, n) => {
      if (n === 0) setTimeout(() => socket.close(), 20);
    });
    // random 0.5: the first retry waits half of the first ceiling (RECONNECT_BASE_MS).
    const { touchClient, states } = client(relay.url, { random: () => 0.5 });
    await until(() => relay.connectedAt.length === 2, 5_000);
    await until(() => touchClient.state === 'open');
    const waited = relay.connectedAt[1]! - relay.connectedAt[0]! - 20;
    expect(waited).toBeGreaterThanOrEqual(backoffCeilingMs(0, { baseMs: RECONNECT_BASE_MS, capMs: Infinity }) / 2 - 20);
    expect(waited).toBeLessThan(RECONNECT_BASE_MS + 400);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('close() stops reconnecting', async () => {
    const relay = await scriptedTouchRelay((socket) => socket.close());
    const { touchClient } = client(relay.url, { random: () => 0 });
    await until(() => relay.connectedAt.length >= 1);
    touchClient.close();
    await new Promise((resolve) => setTimeout(resolve, 50)); // a socket already opening may still arrive
    const seen = relay.connectedAt.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(relay.connectedAt.length).toBe(seen);
    expect(touchClient.state).toBe('idle');
  });
});
