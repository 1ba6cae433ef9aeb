// The page's visitors against a scripted /touch server on loopback: the local echo comes at once
// (and only for a touch actually sent), the relay's copy of the page's own touch is recognised, and
// others' touches are announced.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createLiveStore } from '../store/liveStore';
import { createVisitors, type Visitors } from './visitors';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function setup(answer: (socket: WebSocket, touch: { id: string; station: string; chime: number }) => void, greeting?: object) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => {
    if (greeting) socket.send(JSON.stringify(greeting));
    socket.on('message', (data) => answer(socket, JSON.parse(String(data)) as { id: string; station: string; chime: number }));
  });
  cleanups.push(() => {
    server.clients.forEach((c) => c.terminate());
    server.close();
  });
  const live = createLiveStore();
  live.getState().streamStarted({ stations: [{ id: 'chicago', name: 'Chicago', lat: 0, lon: 0, chimes: 6, online: true, lastSeen: null }], viewers: 1 });
  const echoes: string[] = [];
  const visitors: Visitors = createVisitors({
    live,
    echo: (station, chime) => void echoes.push(`${station}#${chime}`),
    client: { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/touch`, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  cleanups.unshift(() => visitors.dispose());
  visitors.open();
  await until(() => visitors.store.getState().link === 'open');
  return { visitors, echoes };
}

const until = async (check: () => boolean, ms = 3_000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
const touch = (seq: number, chime: number) => ({ type: 'touch' as const, seq, station: 'chicago', chime, v: 0.8, t: Date.now() });

describe('visitors', () => {
  it('echoes a touch at once, then confirms it; the relay copy of it (by seq) is the page\'s own', async () => {
    const { visitors, echoes } = await setup((socket, t) => socket.send(JSON.stringify({ type: 'touch_ack', id: t.id, seq: 77 })));
    visitors.play('chicago', 2);
    expect(echoes).toEqual(['chicago#2']);
    expect(visitors.store.getState().feedback).toMatchObject({ state: 'sent', text: 'You played chime 3 in Chicago…' });
    await until(() => visitors.store.getState().feedback?.state === 'heard');
    expect(visitors.heard(touch(77, 2))).toBe('own');
    expect(visitors.heard(touch(78, 2))).toBe('other');
    expect(visitors.store.getState().announcement).toBe('A visitor played chime 3 in Chicago.');
  });

  it('recognises its own touch on /live before the ack arrives (another socket), by station and chime', async () => {
    const { visitors } = await setup(() => undefined); // never acks
    visitors.play('chicago', 4);
    expect(visitors.heard(touch(90, 4))).toBe('own');
    expect(visitors.heard(touch(91, 4))).toBe('other'); // someone else, on the same chime, after
  });

  it('while visitors rest a touch is neither sent nor echoed, and says why', async () => {
    let sent = 0;
    const { visitors, echoes } = await setup(() => void sent++, { type: 'participation', enabled: false, stations: {} });
    await until(() => !visitors.store.getState().participation.enabled);
    visitors.play('chicago', 1);
    expect(echoes).toEqual([]);
    expect(visitors.store.getState().feedback).toMatchObject({ state: 'refused', text: 'Visitors are resting: playing is paused for now.' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toBe(0);
  });

  it('with the buttons off (?buttons=0, the embed API) playing does nothing at all', async () => {
    let sent = 0;
    const { visitors, echoes } = await setup(() => void sent++);
    visitors.setButtons(false);
    visitors.play('chicago', 1);
    expect(echoes).toEqual([]);
    expect(visitors.store.getState().feedback).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toBe(0);
  });
});
