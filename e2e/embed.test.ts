// public/embed.html in real Chromium, served by a real relay: the live page in a real iframe obeys
// the parent's postMessage commands, refuses malformed ones (saying why), and ignores a sender
// that is not the ?parent= origin.
import { afterEach, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { spawnRelay } from '../test/support/relayProcess';
import { launchBrowser, type Browser } from './support/browser';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

async function embedFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('#aeolian');
  const frame = (await handle.contentFrame())!;
  await frame.waitForFunction(() => window.aeolian?.store.getState().connection.state === 'live', null, { timeout: 20_000 });
  return frame;
}
const frameState = (frame: Frame) =>
  frame.evaluate(() => {
    const { muted, volume, focusStation, audio } = window.aeolian!.store.getState();
    return { muted, volume, focusStation, audio };
  });
const statusShown = (page: Page) => page.evaluate(() => JSON.parse(document.getElementById('status')!.textContent!) as Record<string, unknown>);
const post = (page: Page, message: unknown) =>
  page.evaluate((data) => (document.getElementById('aeolian') as HTMLIFrameElement).contentWindow!.postMessage(data, '*'), message);

it('the embed example frames the live page and drives it by postMessage; status comes back; malformed commands change nothing', async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '21', SIM_SPEED: '4' });
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(`${relay.url}/embed.html?stations=chicago`);
  const frame = await embedFrame(page);
  expect(frame.url()).toContain('embed');
  expect(await frame.getByTestId('map').isVisible()).toBe(true);
  expect(await frame.locator('.panel, h1').count()).toBe(0); // minimal chrome: no side panel, no title
  await expect.poll(() => statusShown(page).then((s) => s.connection), { timeout: 10_000 }).toBe('live');
  expect((await statusShown(page)).station).toBe('chicago'); // ?stations= passed on and honoured

  await page.getByRole('button', { name: 'Mute', exact: true }).click();
  await expect.poll(() => frameState(frame).then((s) => s.muted)).toBe(true);
  await expect.poll(() => statusShown(page).then((s) => s.muted)).toBe(true);

  await page.getByRole('button', { name: 'Unmute', exact: true }).click(); // also starts sound where autoplay is allowed
  await expect.poll(() => frameState(frame)).toMatchObject({ muted: false, audio: 'on' });

  await post(page, { type: 'aeolian:volume', volume: 0.3 });
  await expect.poll(() => frameState(frame).then((s) => s.volume)).toBe(0.3);
  await page.getByLabel('Station').selectOption({ label: 'Tokyo' });
  await expect.poll(() => frameState(frame).then((s) => s.focusStation)).toBe('tokyo');
  await post(page, { type: 'aeolian:station', station: null });
  await expect.poll(() => frameState(frame).then((s) => s.focusStation)).toBeNull();

  const before = await frameState(frame);
  for (const bad of [
    'aeolian:mute',
    { type: 'aeolian:volume', volume: 7 },
    { type: 'aeolian:volume', volume: '0.1' },
    { type: 'aeolian:mute', now: true },
    { type: 'aeolian:station', station: 'atlantis' },
    { type: 'aeolian:station', station: '<img src=x onerror=alert(1)>' },
    { type: 'someone-else' },
  ]) {
    await post(page, bad);
  }
  await expect.poll(() => page.locator('#status').textContent(), { timeout: 5_000 }).toMatch(/refused: aeolian:station: no station "atlantis"/);
  const refusals = (await page.locator('#status').textContent())!.match(/^refused:/gm) ?? [];
  expect(refusals).toHaveLength(5); // ours but malformed; not the plain string nor someone else's message
  expect(await frameState(frame)).toEqual(before);
  expect(await frame.evaluate(() => window.aeolianEmbed!.bridge!.commandsIgnored)).toBe(7);
});

it('with ?parent= another origin, commands from this page are ignored and no status is sent to it', async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '22', SIM_SPEED: '4' });
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(`${relay.url}/embed.html?parent=https://museum.example`);
  const frame = await embedFrame(page);
  await page.getByRole('button', { name: 'Mute', exact: true }).click();
  await post(page, { type: 'aeolian:volume', volume: 0.1 });
  await expect.poll(() => frame.evaluate(() => window.aeolianEmbed!.bridge!.commandsIgnored)).toBe(2);
  expect(await frameState(frame)).toMatchObject({ muted: false, volume: 0.8 });
  expect(await page.locator('#status').textContent()).toBe('waiting for the frame…');
});

it('only ?embed may be framed, and with ?parent= only by that origin', async () => {
  const relay = await spawnRelay();
  const frameAncestors = async (path: string) =>
    /frame-ancestors ([^;]+)/.exec((await fetch(`${relay.url}${path}`)).headers.get('content-security-policy') ?? '')?.[1];
  expect(await frameAncestors('/')).toBe("'none'");
  expect(await frameAncestors('/admin?embed')).toBe("'none'");
  expect(await frameAncestors('/?embed')).toBe('*');
  expect(await frameAncestors('/?embed&parent=https://museum.example')).toBe("'self' https://museum.example");
  expect(await frameAncestors('/?embed&parent=https://museum.example/')).toBe("'self' https://museum.example");
  // An invalid ?parent= never reaches the header; the frame may load, to say why it obeys no one.
  expect(await frameAncestors('/?embed&parent=https://museum.example;%20script-src%20*')).toBe('*');
});
