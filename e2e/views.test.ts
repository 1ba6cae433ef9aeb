// The views on the live canvas, in real Chromium at the sizes people use (1080p kiosk, laptop,
// phone portrait, 640x400 embed), against a scripted relay sending known strikes: the map fills its
// stage, a strength-1 strike's circle is big enough to read from across a room, kiosk names are
// big enough too, a station on the map opens its close-up, and the ensemble shows every station.
// Everything is measured from the canvas's pixels.
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_PALETTE } from '../src/app/store/visualSettings';
import { layoutScene } from '../src/app/visual/layout';
import { launchBrowser, type Browser } from './support/browser';
import { canvasBox, canvasSettled, drawnExtent, inkHeight, pixelAt, startScriptedRelay, STATIONS, watchLargestChange, type ScriptedRelay } from './support/viewsStage';

let browser: Browser | undefined;
let relay: ScriptedRelay | undefined;
afterEach(async () => {
  await browser?.close();
  await relay?.close();
  browser = relay = undefined;
});

/** How far the map may stop short of each edge of its stage, as a share of that side. */
const EDGE_SHARE = 0.08;
/** A strength-1 circle's largest diameter, as a share of the stage's shorter side. */
const STRIKE_DIAMETER_SHARE = 0.1;

async function open(query: string, viewport: { width: number; height: number }, mobile = false): Promise<Page> {
  relay = await startScriptedRelay();
  browser = await launchBrowser({ viewport, ...(mobile ? { isMobile: true, hasTouch: true } : {}) });
  const page = await browser.context.newPage();
  await page.goto(`${relay.url}/${query}`);
  await page.waitForFunction(() => window.aeolian?.store.getState().connection.state === 'live', null, { timeout: 20_000 });
  await canvasSettled(page);
  return page;
}

const isColor = (hex: string) => (rgb: number[]) => [1, 3, 5].every((at, i) => Math.abs(parseInt(hex.slice(at, at + 2), 16) - rgb[i]!) < 40);

describe.each([
  { name: '1080p kiosk', query: '?kiosk', viewport: { width: 1920, height: 1080 }, mobile: false },
  { name: 'laptop page', query: '', viewport: { width: 1280, height: 800 }, mobile: false },
  { name: 'phone portrait', query: '', viewport: { width: 390, height: 844 }, mobile: true },
  { name: '640x400 embed', query: '?embed', viewport: { width: 640, height: 400 }, mobile: false },
])('the world view on a $name', ({ query, viewport, mobile }) => {
  it('fills its stage with the map, and a hard strike draws a circle a tenth of the stage across', async () => {
    const page = await open(query, viewport, mobile);
    const stage = await canvasBox(page);
    const extent = await drawnExtent(page);
    expect(extent.left).toBeLessThanOrEqual(stage.width * EDGE_SHARE);
    expect(extent.top).toBeLessThanOrEqual(stage.height * EDGE_SHARE);
    expect(extent.right).toBeGreaterThanOrEqual(stage.width * (1 - EDGE_SHARE));
    expect(extent.bottom).toBeGreaterThanOrEqual(stage.height * (1 - EDGE_SHARE));

    const lifetimeMs = await page.evaluate(() => window.aeolian!.store.getState().visual.circleLifetimeMs);
    const largest = await watchLargestChange(page, lifetimeMs + 300);
    relay!.strike('chicago', 0, 1);
    expect(await largest()).toBeGreaterThanOrEqual(Math.min(stage.width, stage.height) * STRIKE_DIAMETER_SHARE);
  });
});

it('kiosk station names are at least 1.6 % of the screen high, drawn where the layout puts them', async () => {
  const page = await open('?kiosk', { width: 1920, height: 1080 });
  const layout = layoutScene(STATIONS, 1920, 1080, null);
  for (const id of ['chicago', 'tokyo', 'cape-town']) {
    const { label } = layout.stations.get(id)!;
    const box = { x: label.x - 4 * layout.labelPx, y: label.y - layout.labelPx, width: 8 * layout.labelPx, height: 2 * layout.labelPx };
    expect(await inkHeight(page, box)).toBeGreaterThanOrEqual(1080 * 0.016);
  }
});

it('clicking a station on the map opens its close-up; the keyboard reaches and opens one too', async () => {
  const page = await open('', { width: 1280, height: 800 });
  const spot = page.locator('[data-testid="station-spot"][data-station="wellington"]');
  expect(await spot.evaluate((element) => getComputedStyle(element).cursor)).toBe('pointer');
  const box = (await spot.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForURL(/stations=wellington/);
  await expect.poll(() => page.getByTestId('legend').locator('h2').textContent()).toBe('Chimes of Wellington');
  // On the canvas: Wellington's chime 1 at the top of the close-up ring, in chime 1's color.
  const stage = await canvasBox(page);
  await expect.poll(() => pixelAt(page, stage.width / 2, stage.height / 2 - Math.min(stage.width, stage.height) * 0.3), { timeout: 5_000 }).toSatisfy(isColor(DEFAULT_PALETTE[0]!));

  await page.getByTestId('stage-back').click();
  await page.waitForFunction(() => !location.search.includes('stations='));
  await page.locator('[data-testid="station-spot"]').first().waitFor();
  // The world legend names each station's key.
  expect(await page.getByTestId('legend-keys').locator('li').count()).toBe(STATIONS.length);
  let focused: string | undefined;
  for (let tab = 0; tab < 12 && !focused; tab++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.station);
  }
  expect(focused).toBeDefined();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => window.aeolian!.store.getState().focusStation)).toBe(focused);
});

it('?view=ensemble shows every station, each its own ring of chimes with its name', async () => {
  const page = await open('?view=ensemble', { width: 1280, height: 800 });
  const stage = await canvasBox(page);
  const layout = layoutScene(STATIONS, stage.width, stage.height, null, 'naturalEarth', 'ensemble');
  expect(layout.mode).toBe('ensemble');
  for (const { station, chimes, label } of layout.stations.values()) {
    // The first chime's dot, in the first chime's color, and the name in the ring's middle.
    // Polled: "settled" can be two equal reads before the view's first frame (and its fade) is drawn.
    await expect.poll(async () => isColor(DEFAULT_PALETTE[0]!)(await pixelAt(page, chimes[0]!.x, chimes[0]!.y)), { message: station.id, timeout: 5_000 }).toBe(true);
    const box = { x: label.x - 3 * layout.labelPx, y: label.y - layout.labelPx, width: 6 * layout.labelPx, height: 2 * layout.labelPx };
    expect(await inkHeight(page, box), station.id).toBeGreaterThan(layout.labelPx * 0.5);
  }
  // A strike at Tokyo grows at Tokyo's ring.
  const largest = await watchLargestChange(page, 1_500);
  relay!.strike('tokyo', 2, 1);
  expect(await largest()).toBeGreaterThan(layout.stations.get('tokyo')!.ringRadius * 0.3);
});
