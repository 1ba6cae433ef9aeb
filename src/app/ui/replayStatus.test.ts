// The words a replay is given on the page: never summarized as live.
import { expect, it } from 'vitest';
import { summarize } from './LiveSummary';

it('the screen-reader summary of a replay says it is a replay, not live', () => {
  const yesterday2pm = new Date();
  yesterday2pm.setDate(yesterday2pm.getDate() - 1);
  yesterday2pm.setHours(14, 0, 0, 0);
  const replay = { range: { from: yesterday2pm.getTime(), to: yesterday2pm.getTime() + 3_600_000, stations: null }, url: null, speed: 10 };
  const text = summarize({ connection: { state: 'live' }, stations: [], activity: {}, replay });
  expect(text).toBe('Replay · 14:00–15:00 yesterday · 10×, not live. 0 stations online, all quiet.');
});
