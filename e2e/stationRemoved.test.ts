// A station removed while people watch: the open page drops it from the list at once, without a
// reload (a gallery kiosk runs for weeks and would otherwise show it offline forever).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { sha256Hex } from '../src/relay/tokens';
import { spawnRelay } from '../test/support/relayProcess';
import { launchBrowser, type Browser } from './support/browser';

const ADMIN_TOKEN = 'fake-admin-token-removal-9c1d2e';

let browser: Browser | undefined;
let dir: string | undefined;
afterEach(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  browser = dir = undefined;
});

it('the live page drops a station the operator removes, and keeps the others', async () => {
  dir = mkdtempSync(join(tmpdir(), 'aeolian-removal-'));
  const stations = join(dir, 'stations.json');
  writeFileSync(
    stations,
    JSON.stringify([
      { id: 'lima', name: 'Lima', lat: -12.05, lon: -77.04, chimes: 5, tokenSha256: sha256Hex('device-token-lima-1') },
      { id: 'oslo', name: 'Oslo', lat: 59.91, lon: 10.75, chimes: 6, tokenSha256: sha256Hex('device-token-oslo-1') },
    ]),
  );
  const relay = await spawnRelay({ STATIONS: stations, ADMIN_TOKEN, SIM: '0' });
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(relay.url);
  const list = page.getByTestId('station-list');
  await list.getByText('Lima').waitFor();
  await list.getByText('Oslo').waitFor();

  const removed = await fetch(`${relay.url}/api/admin/stations/lima`, { method: 'DELETE', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(removed.status).toBe(204);
  await list.getByText('Lima').waitFor({ state: 'detached' });
  expect(await list.getByText('Oslo').count()).toBe(1);
  // Not a refused frame: the page understood the message.
  expect(await page.getByText(/Ignored a bad message/).count()).toBe(0);
});
