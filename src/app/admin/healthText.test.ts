import { describe, expect, it } from 'vitest';
import { DEVICE_STATUS_STALE_MS } from '../../protocol/limits';
import { formatDuration, healthItems, isStatusStale } from './healthText';

const NOW = 1_764_100_000_000;
const status = { firmware: '0.1.0', uptimeS: 3_725, rssiDbm: -61, reconnects: 2, strikesDropped: 0, receivedAt: NOW - 12_000 };

describe('device health on /admin', () => {
  it('lists the report with units, and leaves out a signal the board did not give', () => {
    expect(healthItems(status, NOW).map(({ label, value }) => `${label} ${value}`)).toEqual([
      'firmware 0.1.0',
      'up 1 h 2 min',
      'signal -61 dBm',
      'reconnects 2',
      'lost on board 0',
      'reported 12 s ago',
    ]);
    const { rssiDbm: _none, ...withoutSignal } = status;
    expect(healthItems(withoutSignal, NOW).map((item) => item.label)).not.toContain('signal');
  });

  it('shows the rings a board with a striker refused, and nothing of rings for a board without one', () => {
    expect(healthItems({ ...status, ringsRefused: 7 }, NOW).map(({ label, value }) => `${label} ${value}`)).toContain('rings refused 7');
    expect(healthItems(status, NOW).map((item) => item.label)).not.toContain('rings refused');
  });

  it('is stale only after two missed reports', () => {
    expect(isStatusStale({ ...status, receivedAt: NOW - DEVICE_STATUS_STALE_MS }, NOW)).toBe(false);
    expect(isStatusStale({ ...status, receivedAt: NOW - DEVICE_STATUS_STALE_MS - 1 }, NOW)).toBe(true);
  });

  it('says an uptime at a glance', () => {
    expect([0, 59, 60, 3_599, 3_600, 86_399, 86_400 * 4 + 3 * 3_600].map(formatDuration)).toEqual(['0 s', '59 s', '1 min', '59 min', '1 h 0 min', '23 h 59 min', '4 d 3 h']);
  });
});
