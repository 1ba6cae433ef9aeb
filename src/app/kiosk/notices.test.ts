import { describe, expect, it } from 'vitest';
import type { Station } from '../../protocol';
import type { StationActivity } from '../store/activity';
import { calmNotice, CALM_NOTICE_AFTER_MS, formatDuration, offlineNotice, OFFLINE_NOTICE_AFTER_MS } from './notices';

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
});

describe('offlineNotice', () => {
  const reconnecting = { state: 'reconnecting', nextAttemptAt: 0, attempt: 3, reason: 'closed' } as const;

  it('says nothing for the first 30 s without the relay, then says offline', () => {
    expect(offlineNotice(reconnecting, 0, OFFLINE_NOTICE_AFTER_MS - 1)).toBeNull();
    expect(offlineNotice(reconnecting, 0, OFFLINE_NOTICE_AFTER_MS)).toMatch(/^offline for under a minute/);
    expect(offlineNotice(reconnecting, 0, minutes(7))).toMatch(/^offline for 7 min/);
  });

  it('says nothing while live, and gives the reason at once when the transport gave up', () => {
    expect(offlineNotice({ state: 'live' }, 0, minutes(9))).toBeNull();
    expect(offlineNotice({ state: 'offline', reason: 'Incompatible relay' }, 0, 1)).toBe('Incompatible relay');
  });
});

describe('formatDuration', () => {
  it('uses minutes, then hours and minutes', () => {
    expect([formatDuration(minutes(3)), formatDuration(minutes(60)), formatDuration(minutes(61))]).toEqual(['3 min', '1 h', '1 h 1 min']);
  });
});
