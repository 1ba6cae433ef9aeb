// Device health end to end: the firmware's direct link, built for the host, reports its status to a
// real relay process (ADMIN_TOKEN set, stations from a file), and the artist reads it, with the time
// of the last strike, over real HTTP from the admin API. The public station list never shows it.
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { AdminStation } from '../../src/protocol/adminApi';
import { waitUntil } from '../faults/support';
import { spawnRelayWithStations } from '../support/relayProcess';
import { TEST_TOKENS, testStations } from '../support/relayFixture';
import { buildFirmware } from './firmwareBuild';
import { HostDevice } from './hostDevice';

const ADMIN_TOKEN = 'fake-admin-token-firmware-7b1d';

let buildDir = '';
beforeAll(async () => {
  buildDir = await buildFirmware('host');
}, 180_000);

let device: HostDevice | undefined;
afterEach(() => {
  device?.kill();
  device = undefined;
});

it('the host firmware reports its health, which the admin API shows beside its last strike, and /api/stations does not', { timeout: 60_000 }, async () => {
  const relay = await spawnRelayWithStations(testStations(), { ADMIN_TOKEN });
  const chicago = async () => {
    const response = await fetch(`${relay.url}/api/admin/stations`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as AdminStation[]).find((s) => s.id === 'chicago')!;
  };
  expect(await chicago()).toMatchObject({ deviceStatus: null, lastStrikeAt: null });

  const startedAt = Date.now();
  device = new HostDevice(buildDir, { port: Number(new URL(relay.url).port), token: TEST_TOKENS.chicago, script: [{ atMs: 300, contact: 2 }], args: ['--status'] });
  await device.waitIdle(15_000);
  await waitUntil(
    async () => {
      const station = await chicago();
      return station.lastStrikeAt !== null && station.deviceStatus !== null;
    },
    10_000,
    'status and strike in the admin API',
  );

  const shown = await chicago();
  // The host has no radio: no rssiDbm, rather than an invented one.
  expect(shown.deviceStatus).toEqual({ firmware: '0.1.0', uptimeS: expect.any(Number), reconnects: 0, strikesDropped: 0, receivedAt: expect.any(Number) });
  expect(shown.deviceStatus!.uptimeS).toBeLessThan(30);
  expect(shown.deviceStatus!.receivedAt).toBeGreaterThanOrEqual(startedAt);
  expect(shown.lastStrikeAt).toBeGreaterThanOrEqual(startedAt);
  expect(shown).toMatchObject({ connected: true, online: true, strikesAccepted: 1 });
  expect(device.count('relay_error')).toBe(0);

  const publicList = await (await fetch(`${relay.url}/api/stations`)).text();
  expect(publicList).toContain('chicago');
  expect(publicList).not.toMatch(/deviceStatus|firmware|lastStrikeAt/);
  expect(await device.stop()).toMatchObject({ refusedFrames: 0, rateLimited: 0, pending: 0 });
});
