import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Station } from '../../protocol';
import { createLiveStore } from '../store/liveStore';
import type { TourSettings } from '../store/visualSettings';
import { busiestStation, startTour, tourFromAddress, type Tour } from './tour';

const station = (id: string, online = true): Station => ({ id, name: id, lat: 0, lon: 0, chimes: 6, online, lastSeen: null });
const activity = (rates: Record<string, number>) => Object.fromEntries(Object.entries(rates).map(([id, ratePerS]) => [id, { strikes: 1, ratePerS, chimes: [] }]));

describe('the tour from the address', () => {
  it('reads stops and dwell, drops unknown stops, clamps the dwell; nothing asked: null', () => {
    expect(tourFromAddress(new URLSearchParams('tour=ensemble,moon,busiest&tourS=12'), 30)).toEqual({ stops: ['ensemble', 'busiest'], dwellS: 12 });
    expect(tourFromAddress(new URLSearchParams('tour'), 30)).toEqual({ stops: ['world', 'ensemble', 'busiest'], dwellS: 30 });
    expect(tourFromAddress(new URLSearchParams('tour=world&tourS=1'), 30)?.dwellS).toBe(5);
    expect(tourFromAddress(new URLSearchParams('tour=off'), 30)).toEqual({ stops: [], dwellS: 30 });
    expect(tourFromAddress(new URLSearchParams('kiosk'), 30)).toBeNull();
  });
});

describe('busiestStation', () => {
  it('is the online station striking most, or null when all are still', () => {
    const stations = [station('a'), station('b'), station('c', false)];
    expect(busiestStation(stations, activity({ a: 0.5, b: 2, c: 9 }))).toBe('b');
    expect(busiestStation(stations, activity({ a: 0, b: 0 }))).toBeNull();
  });
});

describe('the tour', () => {
  let tour: Tour | null = null;
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    tour?.dispose();
    vi.useRealTimers();
  });

  function open(settings: TourSettings) {
    const store = createLiveStore();
    store.getState().streamStarted({ stations: [station('a'), station('b')], viewers: 0 });
    let current = settings;
    tour = startTour({ store, settings: () => current });
    return { store, change: (next: TourSettings) => (current = next) };
  }

  it('moves through its stops on schedule, round and round', () => {
    const { store } = open({ stops: ['ensemble', 'busiest', 'world'], dwellS: 10 });
    store.setState({ activity: activity({ a: 1, b: 3 }) });
    expect(store.getState()).toMatchObject({ view: 'ensemble', focusStation: null });
    vi.advanceTimersByTime(9_999);
    expect(store.getState().view).toBe('ensemble');
    vi.advanceTimersByTime(1);
    expect(store.getState().focusStation).toBe('b');
    vi.advanceTimersByTime(10_000);
    expect(store.getState()).toMatchObject({ view: 'world', focusStation: null });
    vi.advanceTimersByTime(10_000);
    expect(tour!.stop).toBe('ensemble');
  });

  it('skips the busiest station when nothing strikes, and never leaves the screen on nothing', () => {
    const { store } = open({ stops: ['world', 'busiest'], dwellS: 5 });
    vi.advanceTimersByTime(5_000);
    expect(tour!.stop).toBe('world'); // "busiest" had nothing to show: the world again
    expect(store.getState().focusStation).toBeNull();
  });

  it('a tour set later (a preset arriving) starts; no stops leaves the view alone', () => {
    const { store, change } = open({ stops: [], dwellS: 5 });
    store.getState().setFocusStation('a');
    vi.advanceTimersByTime(3_000);
    expect(store.getState().focusStation).toBe('a');
    change({ stops: ['ensemble'], dwellS: 5 });
    vi.advanceTimersByTime(1_000);
    expect(store.getState()).toMatchObject({ view: 'ensemble', focusStation: null });
  });
});
