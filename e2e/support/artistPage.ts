// Opening the built page in artist mode and reaching the panel's controls, for e2e/artist*.test.ts.
// The browser is closed and the relay killed in afterEach, also on failure.
import type { Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import type { defaultSoundSettings } from '../../src/app/store/soundSettings';
import { spawnRelay } from '../../test/support/relayProcess';
import { launchBrowser, type Browser } from './browser';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

export async function openPage(query: string): Promise<{ page: Page; errors: string[] }> {
  const relay = await spawnRelay();
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${relay.url}/${query}`);
  return { page, errors };
}

/** The simulated station shown close up: its chimes sit on a ring around the canvas centre. */
export const STATION = 'chicago';

/** An artist page on the simulation, close up on one station, with its wind switched off in the panel. */
export async function openArtistPage(): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(`?source=sim&seed=11&dev&stations=${STATION}`);
  const { page } = opened;
  await page.getByTestId('artist-panel').locator('.tp-rotv').waitFor({ timeout: 15_000 });
  await page.getByText('Stations on/off').click();
  const wind = knob(page, 'Chicago').filter({ has: page.locator('input[type=checkbox]') });
  await wind.locator('label').click({ timeout: 5_000 });
  expect(await wind.locator('input').isChecked()).toBe(false);
  await poll(() => page.evaluate(() => window.aeolian!.store.getState().stations.length)).toBeGreaterThan(0);
  return opened;
}

/** A panel control by its label, matched whole and as written (`wind speed (x)`). */
export function knob(page: Page, label: string) {
  const exactly = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page.getByTestId('artist-panel').locator('.tp-lblv').filter({ has: page.locator('.tp-lblv_l', { hasText: exactly }) });
}

export async function typeInto(page: Page, label: string, value: string): Promise<void> {
  const input = knob(page, label).locator('input').first();
  await input.fill(value);
  await input.press('Enter');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

export const settingsOf = (page: Page) =>
  page.evaluate(() => {
    const { visual, sound } = window.aeolian!.store.getState();
    return JSON.parse(JSON.stringify({ visual, sound })) as { visual: Record<string, unknown>; sound: typeof defaultSoundSettings };
  });

export const message = (page: Page) => page.getByTestId('artist-message');
/** expect.poll with room for a busy 2-core machine (its default gives up after 1 s). */
export const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

