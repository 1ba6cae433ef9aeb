// Artist mode across a source switch, in real Chromium on the built page served by a real relay:
// the "Simulated wind" controls steer the simulation feeding the page now, never a stopped one.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { knob, openArtistPage, poll, STATION } from './support/artistPage';

const replayFolder = (page: Page) =>
  page.getByTestId('artist-panel').locator('.tp-fldv').filter({ has: page.locator('.tp-fldv_t', { hasText: /^Replay an hour$/ }) });
/** The title of the "Simulated wind" folder (inside the "Play" folder). */
const windFolderTitle = (page: Page) => page.getByTestId('artist-panel').locator('.tp-fldv_t', { hasText: /^Simulated wind$/ });
const source = (page: Page) => page.evaluate(() => window.aeolian!.store.getState().source);
/** Resolves once the page has published its per-station activity `count` more times. */
const activityRefreshes = (page: Page, count: number) =>
  page.evaluate(
    (wanted) =>
      new Promise<void>((resolve) => {
        let refreshes = 0;
        const unsubscribe = window.aeolian!.store.subscribe((state, previous) => {
          if (state.activity !== previous.activity && ++refreshes >= wanted) {
            unsubscribe();
            resolve();
          }
        });
      }),
    count,
  );
/** The Chicago checkbox of the current "Stations on/off" folder. */
const chicagoWind = (page: Page) => knob(page, 'Chicago').filter({ has: page.locator('input[type=checkbox]') });

it('switched from the simulation to a replay and back to live, the panel no longer offers a wind that does not blow', async () => {
  const { page, errors } = await openArtistPage();
  await windFolderTitle(page).waitFor();

  await replayFolder(page).locator('.tp-btnv_b', { hasText: /^Play$/ }).click();
  await poll(() => source(page)).toBe('replay');
  await windFolderTitle(page).waitFor({ state: 'detached', timeout: 5_000 });

  await replayFolder(page).locator('.tp-btnv_b', { hasText: /^Back to live$/ }).click();
  await poll(() => source(page)).toBe('relay');
  expect(await windFolderTitle(page).count()).toBe(0);
  expect(errors).toEqual([]);
});

it('switched to another simulation, the wind controls steer the one feeding the page now', async () => {
  // The first simulation's wind at Chicago is off (openArtistPage switches it off in the panel).
  const { page, errors } = await openArtistPage();
  await page.evaluate(() => {
    const address = new URL(location.href);
    address.searchParams.set('seed', '12');
    window.aeolian!.page.switchSource(address);
  });
  await poll(() => page.evaluate(() => new URL(location.href).searchParams.get('seed'))).toBe('12');

  // The rebuilt folder shows the new simulation, where the wind still blows at Chicago, and strikes come.
  await windFolderTitle(page).waitFor();
  await page.getByTestId('artist-panel').getByText('Stations on/off').click();
  expect(await chicagoWind(page).locator('input').isChecked()).toBe(true);
  const chicagoStrikes = () => page.evaluate((id) => window.aeolian!.store.getState().activity[id]?.strikes ?? 0, STATION);
  const before = await chicagoStrikes();
  await poll(chicagoStrikes).toBeGreaterThan(before);

  // Switched off in the panel, it is off in the source that feeds the page: no more strikes from Chicago.
  await chicagoWind(page).locator('label').click();
  await poll(() => page.evaluate((id) => window.aeolian!.page.source.wind?.controls?.enabled[id], STATION)).toBe(false);
  // The count is published every 250 ms, so the first refreshes after the switch-off may still add
  // strikes made just before it: wait for two refreshes, then Chicago's count must not move at all.
  await activityRefreshes(page, 2);
  const settled = await chicagoStrikes();
  const othersAfter = await page.evaluate(() => window.aeolian!.stats.strikesReceived);
  // Other stations keep striking meanwhile: the page is live, Chicago alone is calm.
  await poll(() => page.evaluate(() => window.aeolian!.stats.strikesReceived)).toBeGreaterThan(othersAfter + 20);
  await activityRefreshes(page, 2);
  expect(await chicagoStrikes()).toBe(settled);
  expect(errors).toEqual([]);
});
