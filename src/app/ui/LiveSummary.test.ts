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
  expect(summarize({ connection: { state: 'connecting' }, stations: [], activity: {} })).toBe('Connecting.');
});

it('tells an unreachable relay from a lost link, as the status pill does, and says why the page is offline', () => {
  const reconnecting = { state: 'reconnecting' as const, nextAttemptAt: 0, attempt: 3, reason: 'no answer from wss://relay.example/live' };
  expect(summarize({ connection: { ...reconnecting, unreachable: true }, stations: [], activity: {} })).toBe(
    'Relay unreachable: no answer from wss://relay.example/live. Retrying by itself.',
  );
  expect(summarize({ connection: reconnecting, stations: [], activity: {} })).toBe('Connection lost, reconnecting by itself.');
  expect(summarize({ connection: { state: 'offline', reason: 'Incompatible relay.' }, stations: [], activity: {} })).toBe('Offline: Incompatible relay.');
});
