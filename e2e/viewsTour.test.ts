// The kiosk's tour in real Chromium: `?kiosk&tour=world,ensemble,busiest&tourS=5` glides from the
// world to the ensemble to the station striking most, and no frame of the way is blank (every
// frame read back from the canvas shows the picture, through each crossfade).
import { afterEach, expect, it } from 'vitest';
import { launchBrowser, type Browser } from './support/browser';
import { canvasSettled, startScriptedRelay, type ScriptedRelay } from './support/viewsStage';

let browser: Browser | undefined;
let relay: ScriptedRelay | undefined;
let striking: ReturnType<typeof setInterval> | undefined;
afterEach(async () => {
  clearInterval(striking);
  await browser?.close();
  await relay?.close();
  browser = relay = striking = undefined;
});

it('the kiosk tours world, ensemble and the busiest station on schedule, never showing a blank frame', async () => {
  relay = await startScriptedRelay();
  browser = await launchBrowser({ viewport: { width: 960, height: 540 } });
  const page = await browser.context.newPage();
  await page.goto(`${relay.url}/?kiosk&tour=world,ensemble,busiest&tourS=5`);
  await page.waitForFunction(() => window.aeolian?.store.getState().connection.state === 'live', null, { timeout: 20_000 });
  await canvasSettled(page);
  // Tokyo strikes, Chicago barely: Tokyo is the busiest.
  let n = 0;
  striking = setInterval(() => relay!.strike(n++ % 8 === 0 ? 'chicago' : 'tokyo', n % 5, 0.6), 150);

  // Every frame from here on: the share of canvas pixels that are not the background (sampled every 3rd row and column).
  await page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="map"]')!;
    const context = canvas.getContext('2d')!;
    const hex = window.aeolian!.store.getState().visual.background;
    const bg = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const record = { least: 1, frames: 0, views: [] as string[] };
    (window as unknown as { tourRecord: typeof record }).tourRecord = record;
    const frame = () => {
      const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
      let drawn = 0;
      let seen = 0;
      for (let y = 0; y < height; y += 3)
        for (let x = 0; x < width; x += 3) {
          const i = (y * width + x) * 4;
          seen++;
          if (Math.abs(data[i]! - bg[0]!) + Math.abs(data[i + 1]! - bg[1]!) + Math.abs(data[i + 2]! - bg[2]!) > 3) drawn++;
        }
      record.least = Math.min(record.least, drawn / seen);
      record.frames++;
      const { view, focusStation } = window.aeolian!.store.getState();
      const now = focusStation ?? view;
      if (record.views.at(-1) !== now) record.views.push(now);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  await page.waitForFunction(() => (window as unknown as { tourRecord: { views: string[] } }).tourRecord.views.length >= 4, null, { timeout: 25_000 });
  const record = await page.evaluate(() => (window as unknown as { tourRecord: { least: number; frames: number; views: string[] } }).tourRecord);
  expect(record.views.slice(0, 4)).toEqual(['world', 'ensemble', 'tokyo', 'world']);
  expect(record.frames).toBeGreaterThan(30);
  // The ensemble's discs are the sparsest picture (about a tenth of the screen); no frame, crossfades included, shows less.
  expect(record.least).toBeGreaterThan(0.05);
  expect(await page.evaluate(() => window.aeolianKiosk!.tour.stop)).toBe('world');
});
