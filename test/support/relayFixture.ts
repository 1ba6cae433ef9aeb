// A relay on a free loopback port with known test stations, torn down after each test.
import { afterEach } from 'vitest';
import type { StationConfig } from '../../src/protocol';
import { createLogger } from '../../src/relay/log';
import { startRelay, type Relay, type RelayOptions } from '../../src/relay/server';
import { sha256Hex } from '../../src/relay/stations/tokens';

export const TEST_TOKENS = { chicago: 'token-chicago-1', tokyo: 'token-tokyo-2' } as const;

export function testStations(overrides: Partial<StationConfig> = {}): StationConfig[] {
  return [
    { id: 'chicago', name: 'Chicago', lat: 41.88, lon: -87.63, chimes: 6, tokenSha256: sha256Hex(TEST_TOKENS.chicago), ...overrides },
    { id: 'tokyo', name: 'Tokyo', lat: 35.68, lon: 139.69, chimes: 6, tokenSha256: sha256Hex(TEST_TOKENS.tokyo) },
  ];
}

const running = new Set<Relay>();
afterEach(async () => {
  await Promise.all([...running].map((relay) => relay.close()));
  running.clear();
});

export async function testRelay(options: RelayOptions = {}): Promise<Relay & { ws: (path: string) => string }> {
  const relay = await startRelay({
    port: 0,
    stations: testStations(),
    logger: createLogger('silent'),
    distDir: 'does-not-exist',
    ...options,
  });
  running.add(relay);
  return Object.assign(relay, { ws: (path: string) => `${relay.url.replace(/^http/, 'ws')}${path}` });
}
