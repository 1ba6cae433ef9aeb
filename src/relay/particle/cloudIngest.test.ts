import { describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { StationRegistry } from '../stations/stationRegistry';
import { sha256Hex } from '../stations/tokens';
import { CloudIngest, STATUS_EVENT } from './cloudIngest';
import { PARTICLE_EVENT_MAX_AGE_MS } from './limits';

const DEVICE = 'e00fce68aaaaaaaaaaaaaaaa';

function ingestAt(clock: { now: number }) {
  const registry = new StationRegistry(
    [{ id: 'lima', name: 'Lima', lat: -12, lon: -77, chimes: 6, tokenSha256: sha256Hex('token-lima-123456'), particleId: DEVICE }],
    clock.now,
  );
  const ingest = new CloudIngest(registry, { publish: () => undefined }, createLogger('silent'), { eventName: 'chime', now: () => clock.now });
  const status = (payload: string, publishedAt: number) => ingest.receive({ name: STATUS_EVENT, payload, coreid: DEVICE, publishedAt });
  return { registry, ingest, status, online: () => registry.get('lima')!.online };
}

describe('CloudIngest status times', () => {
  it('a status dated in the far future does not freeze the station: later real statuses still apply', () => {
    const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
    const { ingest, status, online } = ingestAt(clock);
    expect(status('online', Date.parse('9999-12-31T00:00:00Z')).status).toBe('accepted');
    expect(online()).toBe(true);
    clock.now += 1_000;
    expect(status('offline', clock.now - 200).status).toBe('accepted');
    expect(online()).toBe(false);
    clock.now += 1_000;
    expect(status('online', clock.now - 200).status).toBe('accepted');
    expect(online()).toBe(true);
    ingest.close();
  });

  it('a status published longer ago than PARTICLE_EVENT_MAX_AGE_MS is stale, like a strike', () => {
    const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
    const { ingest, status, online } = ingestAt(clock);
    expect(status('online', clock.now - PARTICLE_EVENT_MAX_AGE_MS - 1).status).toBe('stale');
    expect(online()).toBe(false);
    ingest.close();
  });
});
