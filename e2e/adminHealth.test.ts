// Device health on /admin in real Chromium against a relay process: a device reports its status and
// strikes; /admin shows its health and last strike, flags the report stale once two reports are
// missed (the page's clock moved on), and says "no status" for a board that never sent one. The
// live page shows none of it.
import { afterEach, expect, it } from 'vitest';
import type { AdminStation } from '../src/protocol/adminApi';
import { DEVICE_STATUS_STALE_MS } from '../src/protocol/limits';
import { sha256Hex } from '../src/relay/stations/tokens';
import { waitUntil } from '../test/faults/support';
import { spawnRelayWithStations } from '../test/support/relayProcess';
import { device, type RecordingClient } from '../test/support/wsClient';
import { launchBrowser, type Browser } from './support/browser';

const ADMIN_TOKEN = 'fake-admin-token-health-2a9c4e6f';
const LIMA_TOKEN = 'device-token-lima-health-1';
const STATUS = { type: 'status', firmware: '0.3.1-health', uptimeS: 3_725, rssiDbm: -72, reconnects: 3, strikesDropped: 5 };

let browser: Browser | undefined;
let lima: RecordingClient | undefined;
afterEach(async () => {
  lima?.close();
  await browser?.close();
  browser = lima = undefined;
});

it('shows each station’s health and last strike, flags a stale report, and keeps it off the live page', async () => {
  const relay = await spawnRelayWithStations(
    [
      { id: 'lima', name: 'Lima', lat: -12.05, lon: -77.04, chimes: 5, tokenSha256: sha256Hex(LIMA_TOKEN) },
      { id: 'oslo', name: 'Oslo', lat: 59.91, lon: 10.75, chimes: 6, tokenSha256: sha256Hex('device-token-oslo-health-1') },
    ],
    { ADMIN_TOKEN, SIM: '0' },
  );
  lima = await device(relay.ws('/device'), LIMA_TOKEN);
  lima.socket.send(JSON.stringify(STATUS));
  lima.socket.send('2');
  await waitUntil(
    async () => {
      const listed = (await (await fetch(`${relay.url}/api/admin/stations`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as AdminStation[];
      const shown = listed.find((s) => s.id === 'lima');
      return shown?.deviceStatus !== null && shown?.lastStrikeAt !== null;
    },
    5_000,
    'the status and strike at the relay',
  );

  browser = await launchBrowser();
  const page = await browser.context.newPage();
  // The page's clock, so the test can move it past the stale threshold; it runs at real speed until then.
  await page.clock.install();
  await page.goto(`${relay.url}/admin`);
  await page.getByLabel('admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();

  const limaRow = page.getByTestId('station-lima');
  const health = limaRow.getByTestId('device-health');
  await health.getByText('0.3.1-health').waitFor();
  expect(await health.textContent()).toMatch(/^firmware 0\.3\.1-health, up 1 h 2 min, signal -72 dBm, reconnects 3, lost on board 5, reported \d+ s ago$/);
  expect(await limaRow.getByTestId('last-strike').textContent()).toMatch(/^\d+ s ago$/);
  expect(await limaRow.getByTestId('status-stale').count()).toBe(0);
  const oslo = page.getByTestId('station-oslo');
  expect(await oslo.getByTestId('device-health').textContent()).toBe('no status');
  expect(await oslo.getByTestId('last-strike').textContent()).toBe('never');

  // Two reports missed: the next refresh flags it.
  await page.clock.fastForward(DEVICE_STATUS_STALE_MS + 10_000);
  await limaRow.getByTestId('status-stale').waitFor();
  expect(await health.textContent()).toMatch(/^stale firmware 0\.3\.1-health, .*reported 2 min ago$/);
  expect(await limaRow.getByTestId('last-strike').textContent()).toBe('2 min ago');

  // The live page: the station is there, its health is not.
  await page.goto(relay.url);
  await page.getByTestId('station-list').getByText('Lima').waitFor({ timeout: 15_000 });
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/0\.3\.1-health|-72 dBm|lost on board|firmware/);
});
