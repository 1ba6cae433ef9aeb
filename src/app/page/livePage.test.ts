import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StrikeMessage } from '../../protocol';
import { fakeAudioEngine } from '../../../test/support/fakeAudioEngine';
import type { ReplayInfo } from '../store/source';
import type { Transport, TransportHealth, TransportSink } from '../transport/types';
import { createLivePage, UI_REFRESH_INTERVAL_MS, type LivePage, type LivePageOptions } from './livePage';

/** A source the test drives by hand: it records start/stop and hands events to the page's sink. */
class FakeSource implements Transport {
  readonly wind = null;
  sink: TransportSink | null = null;
  stops = 0;
  retries = 0;
  link: TransportHealth = { reconnects: 0, seqMissing: 0 };
  constructor(
    readonly label: string,
    readonly replay: ReplayInfo | null,
  ) {}
  health(): TransportHealth {
    return this.link;
  }
  start(sink: TransportSink): void {
    this.sink = sink;
  }
  stop(): void {
    this.stops++;
    this.sink = null;
  }
  retryNow(): void {
    this.retries++;
  }
  /** The stream begins with stations a and b, on the page's own clock. */
  greet(): void {
    const station = (id: string) => ({ id, name: id, lat: 0, lon: 0, chimes: 3, online: true, lastSeen: null });
    this.sink?.start({ stations: [station('a'), station('b')], viewers: 2, sourceNow: Date.now() });
    this.sink?.status({ state: 'live' });
  }
  strike(seq: number, station = 'a', chime = 1): void {
    const strike: StrikeMessage = { type: 'strike', seq, station, chime, v: 0.5, t: Date.now() };
    this.sink?.strike(strike);
  }
}

const pages: LivePage[] = [];
afterEach(() => {
  for (const page of pages.splice(0)) page.dispose();
});

function openPage(startAddress: string, options: Partial<LivePageOptions> = {}) {
  let href = startAddress;
  const sources: FakeSource[] = [];
  const timers = { runs: [] as (() => void)[], cleared: 0 };
  const { engine, played } = fakeAudioEngine({ notesPlayed: 7, notesDropped: 1, voicesActive: 2 });
  const page = createLivePage({
    address: { current: () => new URL(href), replace: (address) => void (href = address.href) },
    storage: null,
    unlockAudio: vi.fn(() => Promise.resolve(engine)),
    createTransport: (params) => {
      const source = params.get('source') ?? 'relay';
      const made = new FakeSource(source, source === 'replay' ? { range: null, url: params.get('url'), speed: 2 } : null);
      sources.push(made);
      return made;
    },
    timers: {
      setInterval: (run) => timers.runs.push(run),
      clearInterval: () => void timers.cleared++,
    },
    ...options,
  });
  pages.push(page);
  return { page, sources, timers, engine, played, href: () => href };
}

/** Attaches a recording "canvas": the strikes it is handed, as (station, chime). */
function attachRecorder(page: LivePage) {
  const drawn: string[] = [];
  const dispose = vi.fn();
  const detach = page.attachCanvas(() => ({ strike: (station, chime) => void drawn.push(`${station}#${chime}`), dispose }));
  return { drawn, dispose, detach };
}

describe('the live page core', () => {
  it('starts the source the address names, and the store says which it is', () => {
    const { page, sources } = openPage('https://aeolian.test/?source=replay&url=/demo.ndjson&stations=b');
    expect(page.source).toBe(sources[0]);
    expect(page.store.getState()).toMatchObject({ source: 'replay', replay: { url: '/demo.ndjson', speed: 2 }, focusStation: 'b', notice: null });
    expect(sources[0]!.sink).toBeNull(); // not before start()
    page.start();
    expect(sources[0]!.sink).not.toBeNull();
  });

  it('tells the viewer when `?source=` names no source it has', () => {
    const { page } = openPage('https://aeolian.test/?source=tape');
    expect(page.store.getState().notice).toContain('Unknown source "tape"');
  });

  it('retry now goes to the source feeding the page now', () => {
    const { page, sources } = openPage('https://aeolian.test/');
    page.start();
    page.retryNow();
    expect(sources[0]!.retries).toBe(1);
    page.switchSource(new URL('https://aeolian.test/?source=sim'));
    page.retryNow();
    expect(sources.map((source) => source.retries)).toEqual([1, 1]);
  });

  it('an unknown `?stations=` id leaves the address for the whole world, with a notice', () => {
    const { page, sources, href } = openPage('https://aeolian.test/?stations=nope&speed=abc');
    // The live relay (the default source) plays strikes as they arrive: the speed is only explained.
    expect(page.store.getState().notice).toMatch(/^A speed \(&speed=\) changes only the simulation and replays/);
    page.start();
    sources[0]!.greet();
    expect(page.store.getState()).toMatchObject({ focusStation: null, notice: expect.stringMatching(/^A speed .* No station "nope"/) });
    expect(href()).toBe('https://aeolian.test/?speed=abc');
  });

  it("hands the source's strikes to the canvas and counts them, until the canvas is detached", () => {
    const { page, sources } = openPage('https://aeolian.test/');
    const canvas = attachRecorder(page);
    page.start();
    sources[0]!.greet();
    sources[0]!.strike(1, 'a', 2);
    expect(canvas.drawn).toEqual(['a#2']);
    expect(page.stats).toMatchObject({ strikesReceived: 1, lastSeq: 1 });
    expect(page.store.getState()).toMatchObject({ viewers: 2, connection: { state: 'live' } });

    canvas.detach();
    expect(canvas.dispose).toHaveBeenCalledTimes(1);
    sources[0]!.strike(2);
    expect(canvas.drawn).toEqual(['a#2']);
    expect(page.stats.strikesReceived).toBe(2);
  });

  it('switching the source stops the old one, starts the new one and keeps the address and the store in step', () => {
    const { page, sources, href } = openPage('https://aeolian.test/?dev');
    const switched: Transport[] = [];
    page.onSourceSwitched((source) => switched.push(source));
    const canvas = attachRecorder(page);
    page.start();
    sources[0]!.greet();
    page.store.getState().frameRefused('junk');

    page.switchSource(new URL('https://aeolian.test/?dev&source=replay&url=/x.ndjson'));
    const [old, current] = sources;
    expect(old!.stops).toBe(1);
    expect(page.source).toBe(current);
    expect(switched).toEqual([current]);
    expect(href()).toBe('https://aeolian.test/?dev&source=replay&url=/x.ndjson');
    expect(page.store.getState()).toMatchObject({ source: 'replay', replay: { url: '/x.ndjson' }, connection: { state: 'connecting' }, notice: null });
    // The tuning carries over; the new source's strikes reach the same canvas.
    current!.greet();
    current!.strike(1, 'b', 0);
    expect(canvas.drawn).toEqual(['b#0']);
  });

  it("the stats read the link health of the source feeding the page now", () => {
    const { page, sources } = openPage('https://aeolian.test/');
    sources[0]!.link = { reconnects: 3, seqMissing: 12 };
    expect(page.stats).toMatchObject({ reconnects: 3, seqMissing: 12 });
    page.switchSource(new URL('https://aeolian.test/?source=sim'));
    expect(page.stats).toMatchObject({ reconnects: 0, seqMissing: 0 });
  });

  it('Listen starts the engine inside the click; strikes sound; dispose releases engine, source and timer', async () => {
    const { page, sources, engine, played, timers } = openPage('https://aeolian.test/');
    page.start();
    sources[0]!.greet();
    page.listen();
    expect(page.store.getState().audio).toBe('starting'); // synchronously, still inside the click
    await vi.waitFor(() => expect(page.store.getState().audio).toBe('on'));
    expect(page.engine).toBe(engine);
    expect(page.stats).toMatchObject({ notesPlayed: 7, voicesActive: 2 });
    sources[0]!.strike(1, 'b', 2);
    expect(played).toMatchObject([{ station: 'b', chime: 2, v: 0.5 }]);

    page.dispose();
    expect(engine.dispose).toHaveBeenCalledTimes(1);
    expect(sources[0]!.stops).toBe(1);
    expect(timers.cleared).toBe(1);
    expect(page.engine).toBeNull();
  });

  it('keeps `?stations=` in the address in step with the station in view', () => {
    const { page, href } = openPage('https://aeolian.test/?dev');
    page.store.getState().setFocusStation('b');
    expect(new URL(href()).searchParams.get('stations')).toBe('b');
    page.store.getState().setFocusStation(null);
    expect(new URL(href()).searchParams.has('stations')).toBe(false);
    expect(new URL(href()).searchParams.has('dev')).toBe(true);
  });

  it('opens the view `?view=` names (the world for anything else) and keeps it in the address', () => {
    expect(openPage('https://aeolian.test/?view=moon').page.store.getState().view).toBe('world');
    const { page, href } = openPage('https://aeolian.test/?view=ensemble');
    expect(page.store.getState().view).toBe('ensemble');
    page.store.getState().setFocusStation('b'); // a close-up opened from the ensemble
    expect(new URL(href()).searchParams.get('view')).toBe('ensemble');
    page.store.getState().setView('world');
    expect(new URL(href()).searchParams.has('view')).toBe(false);
    expect(new URL(href()).searchParams.has('stations')).toBe(false);
  });

  it('publishes activity at the UI refresh rate, not per strike', () => {
    const { page, sources, timers } = openPage('https://aeolian.test/', { now: () => Date.now() });
    expect(UI_REFRESH_INTERVAL_MS).toBe(250);
    page.start();
    sources[0]!.greet();
    sources[0]!.strike(1, 'a', 0);
    expect(page.store.getState().activity).toEqual({});
    for (const run of timers.runs) run();
    expect(page.store.getState().activity.a?.strikes).toBe(1);
  });

  it('a watcher hears every event of every source (the kiosk watchdog), a hand-played strike only the outputs', () => {
    const { page, sources } = openPage('https://aeolian.test/');
    let pulses = 0;
    page.watchSource(() => pulses++);
    const canvas = attachRecorder(page);
    page.start();
    sources[0]!.greet(); // start + status
    sources[0]!.strike(1);
    expect(pulses).toBe(3);
    page.switchSource(new URL('https://aeolian.test/?source=sim'));
    sources[1]!.strike(1);
    expect(pulses).toBe(4);

    page.strikeHere('a', 0, 0.8);
    expect(canvas.drawn.at(-1)).toBe('a#0');
    expect(pulses).toBe(4);
    expect(page.stats.strikesReceived).toBe(2);
  });

  it('with `?bench=1` the renderer hooks and Listen collect latency samples', async () => {
    const { page, sources } = openPage('https://aeolian.test/?bench=1');
    let hooks: Parameters<Parameters<LivePage['attachCanvas']>[0]>[1] = {};
    page.attachCanvas((_stats, given) => ((hooks = given), { strike: () => undefined, dispose: () => undefined }));
    hooks.onFrame?.(16.7, 2);
    hooks.onCircleDrawn?.(12, 1, false);
    hooks.onCircleDrawn?.(9, 1, true);
    expect(page.bench).toMatchObject({ frameTimes: [16.7], drawWorkMs: [2], drawLatencyMs: [12, 9], drawLatencyFrames: [1, 1], touchDrawLatencyFrames: [1] });

    page.start();
    sources[0]!.greet();
    page.listen();
    await vi.waitFor(() => expect(page.store.getState().audio).toBe('on'));
    sources[0]!.strike(1);
    expect(page.bench!.audioLatencyMs).toHaveLength(1);
    expect(openPage('https://aeolian.test/').page.bench).toBeNull();
  });
});
