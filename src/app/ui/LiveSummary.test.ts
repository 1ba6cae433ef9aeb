import { expect, it } from 'vitest';
import type { Station } from '../../protocol';
import { summarize } from './LiveSummary';

const station = (id: string, online = true): Station => ({ id, name: id.toUpperCase(), lat: 0, lon: 0, chimes: 3, online, lastSeen: null });
const activity = (ratePerS: number) => ({ strikes: 0, ratePerS, chimes: [] });

it('summarises the last 10 s in one sentence: stations online, strikes, the busiest', () => {
  const text = summarize({
    connection: { state: 'live' },
    stations: [station('a'), station('b'), station('c', false)],
    activity: { a: activity(0.5), b: activity(2) },
  });
  expect(text).toBe('2 stations online, 25 strikes in the last 10 seconds; busiest B.');
});

it('says when all is quiet, and when the connection is not live', () => {
  expect(summarize({ connection: { state: 'live' }, stations: [station('a')], activity: {} })).toBe('1 station online, all quiet.');
  expect(summarize({ connection: { state: 'connecting' }, stations: [], activity: {} })).toBe('Connection connecting.');
});
