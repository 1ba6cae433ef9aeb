// The embed stays a guest in someone else's page: a ?parent= the page accepts is one the relay's
// CSP accepts too (a trailing slash included), a parent's mute and volume never reach the main
// page's saved settings, and the artist panel never opens inside a frame.
import { afterEach, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { LISTENING_STORAGE_KEY } from '../src/app/store/liveStore';
import { spawnRelay } from '../test/support/relayProcess';
import { launchBrowser, type Browser } from './support/browser';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

async function liveFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('#aeolian');
  const frame = (await handle.contentFrame())!;
  await frame.waitForFunction(() => window.aeolian?.store.getState().connection.state === 'live', null, { timeout: 20_000 });
  return frame;
}
const listening = (target: Page | Frame) =>
  target.evaluate(() => {
    const { muted, volume } = window.aeolian!.store.getState();
    return { muted, volume };
  });

it('a ?parent= origin with a trailing slash is framed by the CSP and obeyed by the page', async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '31', SIM_SPEED: '4' });
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(`${relay.url}/embed.html?parent=${encodeURIComponent(`${relay.url}/`)}`);
  const frame = await liveFrame(page);
  expect(new URL(frame.url()).searchParams.get('parent')).toBe(`${relay.url}/`);
  await page.getByRole('button', { name: 'Mute', exact: true }).click();
  await expect.poll(() => listening(frame).then((s) => s.muted)).toBe(true);
  expect(await frame.locator('.embed-error').count()).toBe(0);
});

it("a same-site parent's mute and volume stay in the frame: the main page's saved settings are untouched", async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '32', SIM_SPEED: '4' });
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(`${relay.url}/embed.html`);
  const frame = await liveFrame(page);
  await page.getByRole('button', { name: 'Mute', exact: true }).click();
  await page.evaluate(() => (document.getElementById('aeolian') as HTMLIFrameElement).contentWindow!.postMessage({ type: 'aeolian:volume', volume: 0.3 }, '*'));
  await expect.poll(() => listening(frame)).toEqual({ muted: true, volume: 0.3 });

  const main = await browser.context.newPage();
  await main.goto(`${relay.url}/`);
  await main.waitForFunction(() => window.aeolian !== undefined);
  expect(await main.evaluate((key) => localStorage.getItem(key), LISTENING_STORAGE_KEY)).toBeNull();
  expect(await listening(main)).toEqual({ muted: false, volume: 0.8 });
});

it('?embed&dev in a frame opens no artist panel (top level, ?dev still does)', async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '33', SIM_SPEED: '4' });
  browser = await launchBrowser();
  // The panel loads at top level in this browser, so its absence below is the frame's doing.
  const top = await browser.context.newPage();
  await top.goto(`${relay.url}/?dev`);
  await top.getByTestId('artist-panel').locator('.tp-rotv').waitFor({ timeout: 15_000 });

  const page = await browser.context.newPage();
  await page.goto(`${relay.url}/embed.html`);
  await liveFrame(page);
  await page.evaluate(() => ((document.getElementById('aeolian') as HTMLIFrameElement).src = '/?embed&dev'));
  await page.waitForFunction(() => (document.getElementById('aeolian') as HTMLIFrameElement).contentWindow!.location.search === '?embed&dev');
  const frame = await liveFrame(page);
  await expect(frame.getByTestId('artist-panel').waitFor({ timeout: 3_000 })).rejects.toThrow(/Timeout/);
});
