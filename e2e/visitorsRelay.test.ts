// Visitors playing the chimes end to end: two real Chromium pages against a real relay process
// (simulated stations, so the wind blows meanwhile). A touch in one page is heard, drawn as a touch
// in the next frame after it arrives, and announced in the other; presence counts the visitor; the
// admin page's switches rest visitors relay-wide and per station, and the visitor's page says so live.
import { afterEach, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { spawnRelay } from '../test/support/relayProcess';
import { launchBrowser, type Browser } from './support/browser';

const ADMIN_TOKEN = 'visitors-admin-token-0123456789';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

const poll = <T>(read: () => T | Promise<T>, timeout = 20_000) => expect.poll(read, { timeout });
const stat = (page: Page, name: string) => page.evaluate((key) => (window.aeolian!.stats as unknown as Record<string, number>)[key]!, name);
const feedback = (page: Page) => page.getByTestId('touch-feedback').textContent();

async function open(url: string): Promise<Page> {
  browser ??= await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.aeolian?.store.getState().connection.state === 'live', null, { timeout: 20_000 });
  return page;
}
/** The page's /touch link is open (the buttons connect it when they first show). */
const touchLinkOpen = (page: Page) => page.waitForFunction(() => window.aeolian!.page.visitors.store.getState().link === 'open', null, { timeout: 15_000 });

it("a visitor's touch in one page is heard, drawn as a touch within a frame and announced in another; presence counts the visitor", async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '41', SIM_SPEED: '1' });
  const listener = await open(`${relay.url}/?bench=1`);
  await listener.getByTestId('listen').click();
  await listener.waitForFunction(() => window.aeolian!.store.getState().audio === 'on', null, { timeout: 15_000 });
  // The wind always wins: with every voice taken by the wind a touch is not voiced (voicePool.ts),
  // and a gust of the eight simulated stations can fill the default 32 voices. The listener gets
  // the most voices the panel allows, so this test hears the touch whatever the wind does.
  await listener.evaluate(() => {
    const state = window.aeolian!.store.getState();
    state.setSound({ ...state.sound, polyphony: 128 });
  });
  const visitor = await open(`${relay.url}/?stations=chicago`);
  await touchLinkOpen(visitor);

  await visitor.getByTestId('chime-button-2').click();
  await poll(() => feedback(visitor)).toBe('You played chime 3 in Chicago: everyone listening heard it.');
  await poll(() => stat(listener, 'touchCirclesDrawn')).toBe(1);
  expect(await listener.evaluate(() => window.aeolian!.bench!.touchDrawLatencyFrames)).toEqual([1]);
  await poll(() => stat(listener, 'touchNotesPlayed')).toBe(1);
  await poll(() => listener.getByTestId('touch-announcements').textContent()).toBe('A visitor played chime 3 in Chicago.');
  // The relay's copy reached the visitor too, and was known for its own: drawn once.
  await poll(() => stat(visitor, 'touchesReceived')).toBe(1);
  expect(await stat(visitor, 'touchCirclesDrawn')).toBe(1);
  await poll(() => listener.getByTestId('visitors').textContent()).toBe('1 visitor played in the last minute');
});

it("the admin page's switches rest visitors relay-wide and per station; the visitor's page says so at once", async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '42', ADMIN_TOKEN });
  const visitor = await open(`${relay.url}/?stations=chicago`);
  await touchLinkOpen(visitor);
  browser ??= await launchBrowser();
  const admin = await browser.context.newPage();
  await admin.goto(`${relay.url}/admin`);
  await admin.getByLabel('admin token').fill(ADMIN_TOKEN);
  await admin.getByRole('button', { name: 'Sign in' }).click();
  const everywhere = admin.getByTestId('participation');
  await poll(() => everywhere.getAttribute('aria-pressed')).toBe('false');

  await everywhere.click();
  await poll(() => feedback(visitor)).toBe('Visitors are resting: playing is paused for now.');
  await visitor.keyboard.press('1');
  await visitor.waitForTimeout(300);
  expect(await stat(visitor, 'touchesEchoed')).toBe(0);
  await everywhere.click();
  await poll(() => feedback(visitor)).toBe('Tap a chime to play it for everyone listening.');

  await admin.getByRole('button', { name: 'Rest visitors at chicago' }).click();
  await poll(() => feedback(visitor)).toBe('Visitors are resting at Chicago.');
  await poll(() => admin.getByTestId('station-chicago').getByTestId('participation-state').textContent()).toBe('visitors resting here');
  await admin.getByRole('button', { name: 'Rest visitors at chicago' }).click();
  await poll(() => feedback(visitor)).toBe('Tap a chime to play it for everyone listening.');
  await visitor.keyboard.press('4');
  await poll(() => feedback(visitor)).toBe('You played chime 4 in Chicago: everyone listening heard it.');
});
