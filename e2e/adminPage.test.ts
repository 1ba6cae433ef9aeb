// The admin page in real Chromium against a relay process: sign in with the token (kept in
// sessionStorage only), see and edit stations; hostile station names stay text; the live page never
// downloads admin code; the CSP holds without violations. And a station removed while people watch
// leaves the open page at once, without a reload (a kiosk runs for weeks).
import { afterEach, expect, it } from 'vitest';
import { sha256Hex } from '../src/relay/stations/tokens';
import { spawnRelayWithStations } from '../test/support/relayProcess';
import { launchBrowser, type Browser } from './support/browser';

const ADMIN_TOKEN = 'fake-admin-token-page-5e6f7a8b';
const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

it('signs in, shows hostile names as text, edits a station; viewers never load admin code', async () => {
  const relay = await spawnRelayWithStations(
    [{ id: 'hostile', name: HOSTILE_NAME, lat: 10, lon: 20, chimes: 4, tokenSha256: sha256Hex('device-token-hostile-1') }],
    { ADMIN_TOKEN, SIM: '0' },
  );
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  const requests: string[] = [];
  const cspViolations: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });

  // The live page: no admin chunk, and the hostile name in its station list is text, never markup.
  const live = await page.goto(relay.url);
  expect(live!.headers()['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
  await page.getByTestId('station-list').getByText(HOSTILE_NAME).waitFor({ timeout: 15_000 });
  await page.waitForLoadState('networkidle');
  expect(requests.filter((url) => /admin/i.test(url))).toEqual([]);
  expect(await page.evaluate(() => document.querySelectorAll('img[src="x"]').length)).toBe(0);

  await page.goto(`${relay.url}/admin`);
  await page.getByLabel('admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const name = page.getByTestId('station-hostile').getByTestId('station-name');
  await name.waitFor();
  expect(await name.textContent()).toBe(HOSTILE_NAME);
  expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.evaluate((key) => [sessionStorage.getItem(key), localStorage.length], 'aeolian.adminToken')).toEqual([ADMIN_TOKEN, 0]);

  await page.getByLabel('name of hostile').fill('Harbour bell');
  await page.getByTestId('station-hostile').getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('station-hostile').getByTestId('station-name').filter({ hasText: 'Harbour bell' }).waitFor();
  const publicList = (await (await fetch(`${relay.url}/api/stations`)).json()) as { name: string }[];
  expect(publicList.map((s) => s.name)).toEqual(['Harbour bell']);

  // A reload keeps the session; the relay refuses a wrong token and the page asks again.
  await page.reload();
  await page.getByTestId('station-hostile').waitFor();
  await page.evaluate(() => sessionStorage.setItem('aeolian.adminToken', 'wrong-token-wrong-token'));
  await page.reload();
  await page.getByLabel('admin token').waitFor();
  expect(cspViolations).toEqual([]);
});

it('the live page drops a station the operator removes, and keeps the others', async () => {
  const relay = await spawnRelayWithStations(
    [
      { id: 'lima', name: 'Lima', lat: -12.05, lon: -77.04, chimes: 5, tokenSha256: sha256Hex('device-token-lima-1') },
      { id: 'oslo', name: 'Oslo', lat: 59.91, lon: 10.75, chimes: 6, tokenSha256: sha256Hex('device-token-oslo-1') },
    ],
    { ADMIN_TOKEN, SIM: '0' },
  );
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
