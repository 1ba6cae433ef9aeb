import { describe, expect, it } from 'vitest';
import type { StrikeMessage } from '../../protocol';
import { createLiveStore } from '../store/liveStore';
import { SPACING_TOLERANCE_MS } from './jitterBuffer';
import { StrikeRouter, type StrikeOutput } from './strikeRouter';

function setup() {
  const store = createLiveStore();
  const stats = { strikesReceived: 0, strikesStale: 0, touchesReceived: 0, lastSeq: null as number | null, refusedFrames: 0 };
  const router = new StrikeRouter(store, stats);
  const shown: { station: string; chime: number; at: number; arrivedAt: number; touch?: boolean }[] = [];
  const output: StrikeOutput = {
    strike: (station, chime, _v, at, arrivedAt, touch) => void shown.push({ station, chime, at, arrivedAt, ...(touch ? { touch } : {}) }),
  };
  router.outputs.add(output);
  return { store, stats, router, shown };
}

const strike = (seq: number, t: number, chime = 0): StrikeMessage => ({ type: 'strike', seq, station: 'a', chime, v: 1, t });

describe('StrikeRouter', () => {
  it('counts every strike and hands fresh ones to the outputs, timed by their age on the source clock', () => {
    const { router, stats, shown } = setup();
    const sourceNow = Date.now() - 60_000; // the source clock runs a minute behind ours
    router.start({ stations: [], viewers: 1, sourceNow });
    router.strike(strike(1, sourceNow - 300));
    router.strike(strike(2, sourceNow - 100, 1));
    expect(stats).toMatchObject({ strikesReceived: 2, lastSeq: 2, strikesStale: 0 });
    expect(shown.map((s) => s.chime)).toEqual([0, 1]);
    // 200 ms apart on the source clock -> about 200 ms apart here, less the jitter buffer's
    // tolerance (allowing for the test's own time).
    const gap = 200 - SPACING_TOLERANCE_MS;
    expect(shown[1]!.at - shown[0]!.at).toBeGreaterThan(gap - 10);
    expect(shown[1]!.at - shown[0]!.at).toBeLessThan(gap + 10);
  });

  it('only counts strikes older than a circle lives', () => {
    const { router, stats, shown, store } = setup();
    const now = Date.now();
    router.start({ stations: [], viewers: 1, sourceNow: now });
    router.strike(strike(1, now - store.getState().visual.circleLifetimeMs - 500));
    expect(stats.strikesStale).toBe(1);
    expect(shown).toEqual([]);
    store.getState().publishActivity(Date.now());
    expect(store.getState().activity.a!.strikes).toBe(1);
  });

  it('after a resume, counts the replayed backlog without showing it, then shows live strikes', () => {
    const { router, stats, shown } = setup();
    const now = Date.now();
    router.start({ stations: [], viewers: 1, sourceNow: now, historyUntilSeq: 10 });
    router.strike(strike(9, now - 100));
    router.strike(strike(10, now - 50));
    router.strike(strike(11, now));
    expect(stats.strikesStale).toBe(2);
    expect(shown).toHaveLength(1);
  });

  it('a flood of refused frames is all counted but updates the notice at most once a second', () => {
    const { router, stats, store } = setup();
    let updates = 0;
    store.subscribe(() => updates++);
    for (let i = 0; i < 1000; i++) router.refused(`bad ${i}`);
    expect(stats.refusedFrames).toBe(1000);
    expect(updates).toBe(1);
    expect(store.getState().notice).toContain('bad 0');
  });

  it("a visitor's touch is handed on at once as a touch, never jitter-delayed; the page's own is not shown twice", () => {
    const { router, stats, shown } = setup();
    const now = Date.now();
    router.start({ stations: [], viewers: 1, sourceNow: now });
    router.strike(strike(1, now));
    const before = performance.now();
    router.touch({ type: 'touch', seq: 2, station: 'a', chime: 3, v: 0.8, t: now });
    expect(shown[1]).toMatchObject({ chime: 3, touch: true });
    expect(shown[1]!.at).toBeGreaterThanOrEqual(before);
    expect(shown[1]!.at).toBeLessThanOrEqual(performance.now());
    router.ownTouch = (touch) => (touch.seq === 3 ? 'own' : 'other');
    router.touch({ type: 'touch', seq: 3, station: 'a', chime: 4, v: 0.8, t: now });
    expect(shown).toHaveLength(2);
    expect(stats).toMatchObject({ touchesReceived: 2, lastSeq: 3 });
  });

  it('a touch from a resume backlog or older than a circle lives is only counted', () => {
    const { router, stats, shown, store } = setup();
    const now = Date.now();
    router.start({ stations: [], viewers: 1, sourceNow: now, historyUntilSeq: 5 });
    router.touch({ type: 'touch', seq: 5, station: 'a', chime: 0, v: 1, t: now });
    router.touch({ type: 'touch', seq: 6, station: 'a', chime: 0, v: 1, t: now - store.getState().visual.circleLifetimeMs - 100 });
    expect(shown).toEqual([]);
    expect(stats).toMatchObject({ touchesReceived: 2, strikesStale: 2 });
  });

  it('presence carries visitors when the relay counts them', () => {
    const { router, store } = setup();
    router.presence(4);
    expect(store.getState()).toMatchObject({ viewers: 4, visitors: null });
    router.presence(5, 2);
    expect(store.getState()).toMatchObject({ viewers: 5, visitors: 2 });
  });
});
