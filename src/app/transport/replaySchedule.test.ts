import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StrikeMessage } from '../../protocol';
import { ReplaySchedule } from './replaySchedule';

const strike = (seq: number, t: number): StrikeMessage => ({ type: 'strike', seq, station: 'tokyo', chime: seq % 5, v: 0.5, t });
/** Recorded times of a gusty minute: uneven gaps, two strikes at the same instant. */
const RECORDED_T = [1_000, 1_300, 1_300, 2_500, 2_550, 7_000];

function record(speed: number) {
  const played: { seq: number; at: number; localT: number }[] = [];
  let finished: number | null = null;
  const schedule = new ReplaySchedule(speed, {
    strike: (s, localT) => played.push({ seq: s.seq, at: Date.now(), localT }),
    finished: (n) => (finished = n),
  });
  return { schedule, played, finished: () => finished };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(50_000);
});
afterEach(() => vi.useRealTimers());

describe('ReplaySchedule', () => {
  it.each([1, 10])('at %sx, each strike plays at its recorded gap divided by the speed', (speed) => {
    const { schedule, played, finished } = record(speed);
    schedule.push(RECORDED_T.map((t, i) => strike(i + 1, t)));
    schedule.end();
    vi.advanceTimersByTime((7_000 - 1_000) / speed + 1);
    expect(played.map((p) => p.at - 50_000)).toEqual(RECORDED_T.map((t) => (t - 1_000) / speed));
    expect(played.map((p) => p.localT - 50_000)).toEqual(RECORDED_T.map((t) => (t - 1_000) / speed));
    expect(finished()).toBe(RECORDED_T.length);
  });

  it('nothing plays before its time', () => {
    const { schedule, played } = record(10);
    schedule.push(RECORDED_T.map((t, i) => strike(i + 1, t)));
    vi.advanceTimersByTime(29);
    expect(played.map((p) => p.seq)).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(played.map((p) => p.seq)).toEqual([1, 2, 3]);
  });

  it('plays in time order (ties by seq) whatever order the strikes were pushed in', () => {
    const { schedule, played } = record(1);
    schedule.push([strike(4, 2_000), strike(2, 1_500), strike(1, 1_000)]);
    schedule.push([strike(3, 1_500), strike(5, 2_200)]);
    schedule.end();
    vi.advanceTimersByTime(2_000);
    expect(played.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('when the stream falls behind, the late part keeps its rhythm instead of bunching up', () => {
    const { schedule, played } = record(1);
    schedule.push([strike(1, 0), strike(2, 100)]);
    vi.advanceTimersByTime(1_000); // the next part of the stream is 900 ms late
    schedule.push([strike(3, 200), strike(4, 500)]);
    vi.advanceTimersByTime(1_000);
    const at = played.map((p) => p.at - 50_000);
    expect(at).toEqual([0, 100, 1_000, 1_300]);
  });

  it('finishes only after end() and the last strike; stop() silences it at once', () => {
    const { schedule, played, finished } = record(1);
    schedule.push([strike(1, 0), strike(2, 1_000)]);
    vi.advanceTimersByTime(5_000);
    expect(finished()).toBeNull();
    schedule.end();
    expect(finished()).toBe(2);

    const second = record(1);
    second.schedule.push([strike(1, 0), strike(2, 1_000)]);
    second.schedule.stop();
    vi.advanceTimersByTime(5_000);
    expect(second.played.map((p) => p.seq)).toEqual([1]);
    expect(vi.getTimerCount()).toBe(0);
    expect(played).toHaveLength(2);
  });
});
