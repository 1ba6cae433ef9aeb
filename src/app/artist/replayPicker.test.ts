import { expect, it } from 'vitest';
import { dayOptions, pickRange, type ReplayChoice } from './replayPicker';

const now = new Date(2025, 10, 26, 9, 30).getTime();
const choice = (patch: Partial<ReplayChoice> = {}): ReplayChoice => ({ day: '2025-11-25', start: '14:00', durationMin: 60, speed: 10, stations: 'all', ...patch });

it('"yesterday 14:00 for 1 h" is 14:00-15:00 of the day before, local time, all stations', () => {
  expect(dayOptions(now)).toMatchObject({ today: '2025-11-26', yesterday: '2025-11-25' });
  expect(pickRange(choice(), null, now)).toEqual({
    ok: true,
    speed: 10,
    range: { from: new Date(2025, 10, 25, 14, 0).getTime(), to: new Date(2025, 10, 25, 15, 0).getTime(), stations: null },
  });
});

it('"in view" replays the station shown close up, and needs one', () => {
  const picked = pickRange(choice({ stations: 'in view' }), 'tokyo', now);
  expect(picked.ok && picked.range.stations).toEqual(['tokyo']);
  expect(pickRange(choice({ stations: 'in view' }), null, now)).toEqual({ ok: false, error: expect.stringMatching(/no station is in view/) });
});

it('refuses a time that is not one, or has not come yet, and clamps the speed to 1..60', () => {
  expect(pickRange(choice({ start: '25:00' }), null, now)).toEqual({ ok: false, error: expect.stringMatching(/not a time/) });
  expect(pickRange(choice({ day: '2025-11-26', start: '10:00' }), null, now)).toEqual({ ok: false, error: expect.stringMatching(/not come yet/) });
  const fast = pickRange(choice({ speed: 500 }), null, now);
  expect(fast.ok && fast.speed).toBe(60);
});
