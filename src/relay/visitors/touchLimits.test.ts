import { describe, expect, it } from 'vitest';
import type { StationConfig } from '../../protocol';
import { DEFAULT_TOUCH_LIMITS, TouchLimits } from './touchLimits';

const station = (id: string, extra: Partial<StationConfig> = {}): StationConfig => ({
  id,
  name: id,
  lat: 0,
  lon: 0,
  chimes: 6,
  tokenSha256: '0'.repeat(64),
  ...extra,
});

/** Sends `count` touches at `perS` from one client; returns how many were admitted. */
function play(limits: TouchLimits, options: { address: string; station: StationConfig; count: number; perS: number; start?: number }) {
  const client = limits.clientBucket(options.start ?? 0);
  let admitted = 0;
  for (let i = 0; i < options.count; i++) {
    if (limits.admit(client, options.address, options.station, (options.start ?? 0) + (i * 1000) / options.perS).ok) admitted++;
  }
  return admitted;
}

describe('TouchLimits', () => {
  it('holds one client to its burst, then its rate, and says when the next token comes', () => {
    const limits = new TouchLimits(DEFAULT_TOUCH_LIMITS, 0);
    const client = limits.clientBucket(0);
    const chicago = station('chicago');
    for (let i = 0; i < 8; i++) expect(limits.admit(client, 'a', chicago, 0).ok).toBe(true);
    expect(limits.admit(client, 'a', chicago, 0)).toEqual({ ok: false, limit: 'client', retryMs: 250 });
    expect(limits.admit(client, 'a', chicago, 250).ok).toBe(true);
    // 10 s of 1,000 touches/s: burst 8 + 4/s.
    expect(play(limits, { address: 'b', station: station('tokyo'), count: 10_001, perS: 1_000, start: 10_000 })).toBe(8 + 40);
  });

  it('shares one address\'s bucket among its connections', () => {
    const limits = new TouchLimits(DEFAULT_TOUCH_LIMITS, 0);
    const clients = [0, 1, 2, 3].map(() => limits.clientBucket(0));
    let admitted = 0;
    for (let round = 0; round < 8; round++) for (const client of clients) if (limits.admit(client, 'same', station('chicago'), 0).ok) admitted++;
    expect(admitted).toBe(16);
    expect(limits.admit(limits.clientBucket(0), 'same', station('chicago'), 0)).toMatchObject({ ok: false, limit: 'address' });
    expect(limits.admit(limits.clientBucket(0), 'other', station('chicago'), 0).ok).toBe(true);
  });

  it('gives a station\'s visitors a quarter of its strike rate and burst, following its own rate', () => {
    const limits = new TouchLimits({ ...DEFAULT_TOUCH_LIMITS, globalBurst: 10_000, globalPerS: 10_000 }, 0);
    const slow = station('slow', { strikesPerSecond: 8, burst: 16 });
    let admitted = 0;
    for (let i = 0; i < 100; i++) if (limits.admit(limits.clientBucket(0), `addr${i}`, slow, 0).ok) admitted++;
    expect(admitted).toBe(4);
    expect(limits.admit(limits.clientBucket(0), 'x', slow, 0)).toEqual({ ok: false, limit: 'station', retryMs: 500 });
  });

  it('holds every visitor together to the global bucket', () => {
    const limits = new TouchLimits(DEFAULT_TOUCH_LIMITS, 0);
    let admitted = 0;
    // 1,000 clients, each on its own address and one of 20 stations, for 2 s.
    for (let ms = 0; ms <= 2_000; ms += 100) {
      for (let i = 0; i < 1_000; i++) if (limits.admit(limits.clientBucket(ms), `10.0.${i}`, station(`s${i % 20}`), ms).ok) admitted++;
    }
    expect(admitted).toBe(100 + 2 * 50);
  });

  it('takes no token when one bucket refuses', () => {
    const limits = new TouchLimits({ ...DEFAULT_TOUCH_LIMITS, globalBurst: 1, globalPerS: 1 }, 0);
    const client = limits.clientBucket(0);
    expect(limits.admit(client, 'a', station('c'), 0).ok).toBe(true);
    for (let i = 0; i < 20; i++) expect(limits.admit(client, 'a', station('c'), 0)).toMatchObject({ ok: false, limit: 'global' });
    // The client's 7 remaining tokens were not spent on refused touches.
    for (let i = 0; i < 7; i++) expect(limits.admit(client, 'a', station('c'), 1_000 * (i + 1)).ok).toBe(true);
  });

  it('forgets addresses whose bucket is full again', () => {
    const limits = new TouchLimits(DEFAULT_TOUCH_LIMITS, 0);
    limits.admit(limits.clientBucket(0), 'a', station('c'), 0);
    limits.sweep(100);
    expect(limits.trackedAddresses).toBe(1);
    limits.sweep(1_000);
    expect(limits.trackedAddresses).toBe(0);
  });
});
