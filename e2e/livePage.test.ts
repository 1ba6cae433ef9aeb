// The built page served by a real relay process with simulated stations, in real Chromium.
import { afterEach, it } from 'vitest';
import { spawnRelay } from '../test/support/relayProcess';
import { launchBrowser, type Browser } from './support/browser';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

it('npm start default: the page goes live and counts strikes from the simulated stations', async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '3', STATIONS: 'config/stations.json' });
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(relay.url);
  await page.getByTestId('status').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="strike-count"]')?.textContent) > 2, null, {
    timeout: 20_000,
  });
});

it('says which stations are simulated, so nobody mistakes modelled wind for real chimes', async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '5', STATIONS: 'config/stations.json' });
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(relay.url);
  const tokyo = page.getByTestId('station-list').getByRole('button', { name: /Tokyo/ });
  await tokyo.getByText('simulated').waitFor({ timeout: 15_000 });
  await page.getByTestId('simulated-note').waitFor();
});
