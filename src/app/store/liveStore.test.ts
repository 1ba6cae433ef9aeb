import { describe, expect, it } from 'vitest';
import type { Station } from '../../protocol';
import { createLiveStore, LISTENING_STORAGE_KEY } from './liveStore';

const station = (id: string, online = true): Station => ({ id, name: id, lat: 0, lon: 0, chimes: 3, online, lastSeen: null });

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}

describe('live store', () => {
  it('takes stations, listeners and a notice from the stream start', () => {
    const store = createLiveStore();
    store.getState().streamStarted({ stations: [station('a')], viewers: 4, notice: 'relay restarted' });
    expect(store.getState()).toMatchObject({ viewers: 4, notice: 'relay restarted' });
    expect(store.getState().stations.map((s) => s.id)).toEqual(['a']);
  });

  it('leaves an unknown ?stations= id for the whole world, and says so', () => {
    const store = createLiveStore({ focusStation: 'nope' });
    store.getState().streamStarted({ stations: [station('a')], viewers: 1 });
    expect(store.getState()).toMatchObject({ focusStation: null, notice: 'No station "nope" here: showing the whole world. Pick a station from the list.' });

    const known = createLiveStore({ focusStation: 'a' });
    known.getState().streamStarted({ stations: [station('a')], viewers: 1 });
    expect(known.getState()).toMatchObject({ focusStation: 'a', notice: null });
  });

  it('updates a station in place and adds a new one at the end', () => {
    const store = createLiveStore();
    store.getState().streamStarted({ stations: [station('a'), station('b')], viewers: 1 });
    store.getState().upsertStation(station('a', false));
    store.getState().upsertStation(station('c'));
    expect(store.getState().stations.map((s) => [s.id, s.online])).toEqual([['a', false], ['b', true], ['c', true]]);
  });

  it('drops a station the relay removed, and leaves its close-up for the map', () => {
    const store = createLiveStore({ focusStation: 'b' });
    store.getState().streamStarted({ stations: [station('a'), station('b')], viewers: 1 });
    store.getState().removeStation('a');
    expect(store.getState().stations.map((s) => s.id)).toEqual(['b']);
    expect(store.getState().focusStation).toBe('b');
    store.getState().removeStation('b');
    expect(store.getState().stations).toEqual([]);
    expect(store.getState().focusStation).toBeNull();
  });

  it('counts strikes without notifying subscribers, then publishes per-chime activity', () => {
    const store = createLiveStore();
    let notified = 0;
    store.subscribe(() => notified++);
    for (let i = 0; i < 1000; i++) store.getState().recordStrike('a', i % 2, 10_000 + i);
    expect(notified).toBe(0);
    store.getState().publishActivity(11_000);
    expect(notified).toBe(1);
    const a = store.getState().activity.a!;
    expect(a.strikes).toBe(1000);
    expect(a.chimes.map((c) => c.strikes)).toEqual([500, 500]);
    expect(a.chimes[1]!.lastStrikeAt).toBe(10_999);
    expect(a.ratePerS).toBeCloseTo(100);
  });

  it('forgets activity older than the 10 s window in the rate but not in the count', () => {
    const store = createLiveStore();
    store.getState().recordStrike('a', 0, 1_000);
    store.getState().publishActivity(20_000);
    expect(store.getState().activity.a).toMatchObject({ strikes: 1, ratePerS: 0 });
  });

  it('remembers mute and volume across visits', () => {
    const storage = memoryStorage();
    const first = createLiveStore({ storage });
    first.getState().setMuted(true);
    first.getState().setVolume(0.3);
    const second = createLiveStore({ storage });
    expect(second.getState()).toMatchObject({ muted: true, volume: 0.3 });
  });

  it('ignores a corrupt remembered setting', () => {
    const storage = memoryStorage({ [LISTENING_STORAGE_KEY]: '{"volume":"loud"' });
    expect(createLiveStore({ storage }).getState()).toMatchObject({ muted: false, volume: 0.8 });
  });

  it('counts refused frames and says why', () => {
    const store = createLiveStore();
    store.getState().frameRefused('invalid JSON');
    expect(store.getState()).toMatchObject({ refusedFrames: 1, notice: expect.stringContaining('invalid JSON') });
  });
});
