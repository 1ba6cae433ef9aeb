// The page complies with the relay's own Content-Security-Policy (src/relay/http/pageSecurity.ts,
// unchanged) in every mode: not one violation, reported or logged, on the full page, the kiosk, the
// embed and artist mode, whose panel's styles used to be injected inline. And the artist's panel,
// docked or floating, covers neither the station list nor the listening controls.
import { afterEach, expect, it } from 'vitest';
import { spawnRelay } from '../test/support/relayProcess';
import { launchBrowser, type Browser } from './support/browser';
import { watchCspViolations } from './support/viewsStage';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

it.each([
  ['the full page', ''],
  ['the kiosk', '?kiosk'],
  ['the embed', '?embed'],
  ['artist mode', '?dev'],
])('%s runs under the relay CSP without a single violation', async (_name, query) => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '3', SIM_SPEED: '4' });
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  const violations = await watchCspViolations(page);
  expect((await page.goto(`${relay.url}/${query}`))!.headers()['content-security-policy']).toContain("style-src 'self'");
  await page.waitForFunction(() => window.aeolian?.store.getState().connection.state === 'live', null, { timeout: 20_000 });
  await page.waitForFunction(() => window.aeolian!.stats.circlesDrawn > 3, null, { timeout: 20_000 });
  if (query === '?dev') {
    await page.getByTestId('artist-panel').locator('.tp-rotv').waitFor({ timeout: 15_000 });
    // Tweakpane's own styles apply (from a constructed stylesheet): its root has its background.
    expect(await page.locator('.tp-rotv').evaluate((element) => getComputedStyle(element).borderRadius)).toBe('6px');
  }
  expect(await violations()).toEqual([]);
});

it("the artist's panel docks beside the page (covering nothing) or floats over the map, and remembers which", async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '3' });
  browser = await launchBrowser({ viewport: { width: 1440, height: 900 } });
  const page = await browser.context.newPage();
  await page.goto(`${relay.url}/?dev`);
  await page.getByTestId('artist-panel').locator('.tp-rotv').waitFor({ timeout: 15_000 });
  await page.getByTestId('station-list').getByRole('button', { name: /Tokyo/ }).waitFor({ timeout: 15_000 });
  const overlap = async (testId: string) => {
    const [a, b] = [await page.getByTestId('artist-panel').boundingBox(), await page.getByTestId(testId).boundingBox()];
    return Math.max(0, Math.min(a!.x + a!.width, b!.x + b!.width) - Math.max(a!.x, b!.x)) * Math.max(0, Math.min(a!.y + a!.height, b!.y + b!.height) - Math.max(a!.y, b!.y));
  };
  for (const covered of ['station-list', 'listen', 'map']) expect(await overlap(covered), covered).toBe(0);
  // The station list is still there to use.
  await page.getByTestId('station-list').getByRole('button', { name: /Tokyo/ }).click();
  await page.waitForURL(/stations=tokyo/);

  await page.getByTestId('artist-dock').click();
  await expect.poll(() => overlap('map')).toBeGreaterThan(0); // floating over the map's corner
  expect(await overlap('station-list')).toBe(0);
  await page.reload();
  await page.getByTestId('artist-panel').locator('.tp-rotv').waitFor({ timeout: 15_000 });
  expect(await page.evaluate(() => document.documentElement.dataset.artistPanel)).toBe('floating');
});
