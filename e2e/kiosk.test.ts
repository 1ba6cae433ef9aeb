// `?kiosk` in real Chromium against a real relay process: nothing but the map, healthy across a
// relay restart on the same port, and the watchdog reloading a page whose transport has stalled.
import { afterEach, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { spawnRelay } from '../test/support/relayProcess';
import { launchBrowser, type Browser } from './support/browser';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

const received = (page: Page) => page.evaluate(() => window.aeolian!.stats.strikesReceived);
const kioskLive = (page: Page, timeout = 20_000) => page.locator('[data-testid="kiosk"][data-connection="live"]').waitFor({ timeout });

it('kiosk shows the map alone, hides the idle cursor, holds the screen awake and stays live across a relay restart', async () => {
  const first = await spawnRelay({ SIM: '1', SIM_SEED: '11', SIM_SPEED: '4' });
  const port = new URL(first.url).port;
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(`${first.url}/?kiosk`);
  await kioskLive(page);
  await page.waitForFunction(() => window.aeolian!.stats.strikesReceived > 3, null, { timeout: 20_000 });

  // Nothing to press: no button, field, link or heading in sight; the canvas fills the screen.
  expect(await page.locator('button:visible, input:visible, select:visible, a:visible, h1:visible').count()).toBe(0);
  const canvas = await page.getByTestId('map').boundingBox();
  expect(canvas).toEqual({ x: 0, y: 0, width: 1280, height: 800 });
  expect(await page.getByTestId('touch-for-sound').count()).toBe(0); // autoplay is allowed in this browser
  await expect.poll(() => page.evaluate(() => window.aeolian!.store.getState().audio), { timeout: 10_000 }).toBe('on');

  await page.mouse.move(400, 300);
  expect(await page.getByTestId('kiosk').getAttribute('class')).not.toContain('cursor-hidden');
  await page.waitForSelector('[data-testid="kiosk"].cursor-hidden', { timeout: 5_000 });
  expect(await page.evaluate(() => window.aeolianKiosk!.wakeLock.state)).toBe('held');

  first.child.kill('SIGKILL');
  await first.exited;
  await page.locator('[data-testid="kiosk"][data-connection="reconnecting"]').waitFor({ timeout: 10_000 });
  await spawnRelay({ SIM: '1', SIM_SEED: '12', SIM_SPEED: '4', PORT: port });
  await kioskLive(page, 40_000);
  const before = await received(page);
  await page.waitForFunction((n) => window.aeolian!.stats.strikesReceived > n + 3, before, { timeout: 20_000 });
  // A restart well under 30 s passes without an "offline" on the screen.
  expect(await page.getByTestId('kiosk-notice').textContent()).not.toMatch(/offline/);
});

it('the watchdog reloads a kiosk whose transport stalled, and the reloaded page is live again', async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '13', SIM_SPEED: '10' });
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(`${relay.url}/?kiosk&watchdogS=3`);
  await kioskLive(page);
  const navigationType = () => page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).type);
  expect(await navigationType()).toBe('navigate');

  const reloaded = page.waitForEvent('framenavigated', { timeout: 20_000 });
  await page.evaluate(() => window.aeolianKiosk!.stallTransport());
  await reloaded;
  await kioskLive(page);
  expect(await navigationType()).toBe('reload');
  const lastReload = await page.evaluate(() => JSON.parse(sessionStorage.getItem('aeolian.kiosk.lastReload') ?? 'null') as { stall: string });
  expect(lastReload.stall).toBe('transport');
  await page.waitForFunction(() => window.aeolian!.stats.strikesReceived > 0, null, { timeout: 20_000 });
});
