import { describe, expect, it } from 'vitest';
import type { Station } from '../../protocol';
import type { StationActivity } from '../store/activity';
import { calmNotice, CALM_NOTICE_AFTER_MS, formatDuration, noticeTimesFrom, NOTICE_MIN_AFTER_MS, offlineNotice, OFFLINE_NOTICE_AFTER_MS } from './notices';

const station = (id: string, name: string, online = true): Station => ({ id, name, lat: 0, lon: 0, chimes: 2, online, lastSeen: 0 });
const struckAt = (at: number | null): StationActivity => ({
  strikes: at === null ? 0 : 1,
  ratePerS: 0,
  chimes: [{ strikes: at === null ? 0 : 1, lastStrikeAt: at, ratePerS: 0 }],
});
const minutes = (n: number) => n * 60_000;

describe('calmNotice', () => {
  const stations = [station('chicago', 'Chicago'), station('oslo', 'Oslo')];

  it('says "calm in Chicago for 12 min" for the station in view', () => {
    const text = calmNotice({ stations, activity: { chicago: struckAt(0), oslo: struckAt(minutes(12)) }, focusStation: 'chicago', watchingSince: 0, now: minutes(12) });
    expect(text).toBe('calm in Chicago for 12 min');
  });

  it('stays quiet while any watched station struck recently', () => {
    const activity = { chicago: struckAt(0), oslo: struckAt(minutes(11)) };
    expect(calmNotice({ stations, activity, focusStation: null, watchingSince: 0, now: minutes(12) })).toBeNull();
  });

  it('counts from when the page started watching if nothing struck yet, and says "everywhere" for the world', () => {
    const now = minutes(100);
    const watchingSince = now - CALM_NOTICE_AFTER_MS - minutes(2);
    expect(calmNotice({ stations, activity: {}, focusStation: null, watchingSince, now })).toBe('calm everywhere for 5 min');
  });

  it('ignores offline stations in the world view', () => {
    const text = calmNotice({ stations: [station('chicago', 'Chicago'), station('oslo', 'Oslo', false)], activity: { chicago: struckAt(0) }, focusStation: null, watchingSince: 0, now: minutes(75) });
    expect(text).toBe('calm in Chicago for 1 h 15 min');
  });

  it('speaks up after a shorter calm when asked to, saying "under a minute"', () => {
    const activity = { chicago: struckAt(0), oslo: struckAt(0) };
    expect(calmNotice({ stations, activity, focusStation: 'oslo', watchingSince: 0, now: 1_999, calmAfterMs: 2_000 })).toBeNull();
    expect(calmNotice({ stations, activity, focusStation: 'oslo', watchingSince: 0, now: 2_000, calmAfterMs: 2_000 })).toBe('calm in Oslo for under a minute');
  });
});

describe('offlineNotice', () => {
  const reconnecting = { state: 'reconnecting', nextAttemptAt: 0, attempt: 3, reason: 'closed' } as const;

  it('says nothing for the first 30 s without the relay, then says offline', () => {
    expect(offlineNotice(reconnecting, 0, OFFLINE_NOTICE_AFTER_MS - 1)).toBeNull();
    expect(offlineNotice(reconnecting, 0, OFFLINE_NOTICE_AFTER_MS)).toMatch(/^offline for under a minute/);
    expect(offlineNotice(reconnecting, 0, minutes(7))).toMatch(/^offline for 7 min/);
  });

  it('waits a shorter time when asked to', () => {
    expect(offlineNotice(reconnecting, 0, 999, 1_000)).toBeNull();
    expect(offlineNotice(reconnecting, 0, 1_000, 1_000)).toBe('offline for under a minute · reconnecting by itself');
  });

  it('says nothing while live, and gives the reason at once when the transport gave up', () => {
    expect(offlineNotice({ state: 'live' }, 0, minutes(9))).toBeNull();
    expect(offlineNotice({ state: 'offline', reason: 'Incompatible relay' }, 0, 1)).toBe('Incompatible relay');
  });
});

describe('formatDuration', () => {
  it('says under a minute, then minutes, then hours and minutes', () => {
    expect([formatDuration(59_999), formatDuration(minutes(3)), formatDuration(minutes(60)), formatDuration(minutes(61))]).toEqual(['under a minute', '3 min', '1 h', '1 h 1 min']);
  });
});

describe('noticeTimesFrom', () => {
  it('reads ?calmS= and ?offlineS= in seconds, never below the minimum, and ignores nonsense', () => {
    expect(noticeTimesFrom(new URLSearchParams(''))).toEqual({ calmAfterMs: CALM_NOTICE_AFTER_MS, offlineAfterMs: OFFLINE_NOTICE_AFTER_MS });
    expect(noticeTimesFrom(new URLSearchParams('calmS=2&offlineS=1.5'))).toEqual({ calmAfterMs: 2_000, offlineAfterMs: 1_500 });
    expect(noticeTimesFrom(new URLSearchParams('calmS=0&offlineS=soon'))).toEqual({ calmAfterMs: NOTICE_MIN_AFTER_MS, offlineAfterMs: OFFLINE_NOTICE_AFTER_MS });
    expect(noticeTimesFrom(new URLSearchParams('calmS=&offlineS=Infinity'))).toEqual({ calmAfterMs: CALM_NOTICE_AFTER_MS, offlineAfterMs: OFFLINE_NOTICE_AFTER_MS });
  });
});
