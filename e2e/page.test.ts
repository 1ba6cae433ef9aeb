// The live page in real Chromium against a real relay with simulated stations: it goes live, the
// canvas changes as strikes arrive, Listen makes sound, and a phone gets a usable page. (The README
// screenshots are taken by `npm run screenshots`, not here: tests write nothing into the checkout.)
import { afterEach, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { spawnRelay } from '../test/support/relayProcess';
import { launchBrowser, type Browser } from './support/browser';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

const stat = (page: Page, name: string) => page.evaluate((key) => (window.aeolian!.stats as unknown as Record<string, number>)[key]!, name);

/** Count of pixels of the map canvas that differ before and after the page draws `circles` more circles. */
async function canvasChange(page: Page, circles: number): Promise<number> {
  const grab = () =>
    page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="map"]')!;
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      copy.getContext('2d')!.drawImage(canvas, 0, 0);
      return Array.from(copy.getContext('2d')!.getImageData(0, 0, copy.width, copy.height).data.filter((_, i) => i % 4 === 0));
    });
  const before = await grab();
  const drawn = await stat(page, 'circlesDrawn');
  await page.waitForFunction(([from, more]) => window.aeolian!.stats.circlesDrawn >= from! + more!, [drawn, circles], { timeout: 20_000 });
  const after = await grab();
  return before.reduce((changed, value, i) => changed + (value !== after[i] ? 1 : 0), 0);
}

it('goes live, draws strikes as circles, and plays them after Listen', async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '3', SIM_SPEED: '3' });
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.addInitScript(() => {
    // Sum layout shifts (Cumulative Layout Shift), to check that arriving data moves nothing.
    const shifts = { total: 0 };
    (window as unknown as { layoutShift: typeof shifts }).layoutShift = shifts;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number })[]) shifts.total += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
    // Record every AudioContext the page makes, to read its state (test-only observation).
    const Original = window.AudioContext;
    const made: AudioContext[] = [];
    (window as unknown as { audioContexts: AudioContext[] }).audioContexts = made;
    window.AudioContext = class extends Original {
      constructor(options?: AudioContextOptions) {
        super(options);
        made.push(this);
      }
    };
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const scripts: string[] = [];
  page.on('request', (request) => request.resourceType() === 'script' && scripts.push(new URL(request.url()).pathname));
  await page.goto(relay.url);
  await page.getByTestId('status').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
  await page.getByTestId('station-list').getByRole('button', { name: /Wellington/ }).waitFor();
  await page.waitForFunction(() => window.aeolian!.stats.circlesDrawn > 3, null, { timeout: 20_000 });
  expect(await canvasChange(page, 2)).toBeGreaterThan(50);
  expect(await page.getByTestId('listeners').textContent()).toMatch(/\d+ listening/);
  // Stations, counts and activity arrived: nothing on the page moved for it.
  expect(await page.evaluate(() => (window as unknown as { layoutShift: { total: number } }).layoutShift.total)).toBeLessThan(0.01);

  // Tone.js and the sound engine are not part of first paint: nothing of them loads before Listen.
  const beforeListen = scripts.length;
  expect(scripts.filter((path) => /chimeEngine|tone/i.test(path))).toEqual([]);
  await page.getByTestId('listen').click();
  await page.getByTestId('mute').waitFor({ timeout: 15_000 });
  expect(scripts.slice(beforeListen).some((path) => /chimeEngine/.test(path))).toBe(true);
  const state = await page.evaluate(() => (window as unknown as { audioContexts: AudioContext[] }).audioContexts.map((c) => c.state));
  expect(state).toContain('running');
  const played = await stat(page, 'notesPlayed');
  await page.waitForFunction((before) => window.aeolian!.stats.notesPlayed > before + 2, played, { timeout: 20_000 });
  expect(errors).toEqual([]);
});

it('a phone in portrait gets the map, Listen and the station list within reach', async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '5' });
  browser = await launchBrowser({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await browser.context.newPage();
  await page.goto(relay.url);
  await page.getByTestId('status').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
  const listen = await page.getByTestId('listen').boundingBox();
  const map = await page.getByTestId('map').boundingBox();
  expect(listen!.y + listen!.height).toBeLessThan(844);
  expect(listen!.height).toBeGreaterThanOrEqual(40); // a thumb-sized target
  expect(map!.width).toBeGreaterThan(380);
  // The stage takes the world map's shape (4:3), so the map fills it (e2e/views.test.ts measures that).
  expect(map!.height).toBeGreaterThan(250);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const tokyo = page.getByTestId('station-list').getByRole('button', { name: /Tokyo/ });
  await tokyo.tap();
  await page.waitForURL(/stations=tokyo/);
  expect(await tokyo.getAttribute('aria-pressed')).toBe('true');
});
