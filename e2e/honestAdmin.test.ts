// /admin says plainly what happened and what each control is: a wrong token is "wrong token",
// every field has a visible label, mute is a toggle whose state shows, in the live page's style.
import { afterEach, expect, it } from 'vitest';
import { sha256Hex } from '../src/relay/stations/tokens';
import { spawnRelayWithStations } from '../test/support/relayProcess';
import { launchBrowser, type Browser } from './support/browser';

const ADMIN_TOKEN = 'fake-admin-token-honest-9c8d7e6f';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

it('a wrong token says "wrong token"; every field has a visible label; mute is a toggle that shows its state', async () => {
  const relay = await spawnRelayWithStations([{ id: 'lima', name: 'Lima', lat: -12.05, lon: -77.04, chimes: 5, tokenSha256: sha256Hex('device-token-lima-1') }], {
    ADMIN_TOKEN,
    SIM: '0',
  });
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(`${relay.url}/admin`);

  await page.getByLabel('Admin token', { exact: true }).waitFor();
  // Styled like the page: its dark background and accent, and the admin sheet's own layout (scrolls).
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(11, 16, 32)');
  expect(await page.evaluate(() => getComputedStyle(document.body).overflowY)).toBe('auto');
  expect(await page.getByRole('button', { name: 'Sign in' }).evaluate((button) => getComputedStyle(button).borderTopColor)).toBe('rgb(86, 180, 233)');

  await page.getByLabel('Admin token', { exact: true }).fill('wrong-token-wrong-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const message = page.getByTestId('admin-message');
  await message.filter({ hasText: /^Wrong token/ }).waitFor({ timeout: 10_000 });
  expect(await message.textContent()).not.toMatch(/Bearer|Authorization|</);
  expect(await page.evaluate(() => sessionStorage.getItem('aeolian.adminToken'))).toBeNull();

  await page.getByLabel('Admin token', { exact: true }).fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const row = page.getByTestId('station-lima');
  await row.waitFor();

  // Every field: found by its label, and that label is on screen.
  for (const label of ['name of lima', 'latitude of lima', 'longitude of lima', 'chimes of lima', 'Particle device id of lima']) {
    const field = page.getByLabel(label, { exact: true });
    expect(await field.count(), label).toBe(1);
    const visibleLabel = await field.evaluate((input) => (input.closest('label')?.querySelector('span')?.textContent ?? '').trim());
    expect(label.startsWith(visibleLabel) && visibleLabel.length > 0, `${label}: visible "${visibleLabel}"`).toBe(true);
  }
  expect(await page.getByLabel('latitude of lima', { exact: true }).inputValue()).toBe('-12.05');
  for (const label of ['id', 'name', 'latitude', 'longitude', 'chimes', 'Particle device id']) {
    const field = page.getByLabel(`new station ${label}`, { exact: true });
    expect(await field.count(), label).toBe(1);
    expect(await field.evaluate((input) => input.closest('label')?.querySelector('span')?.textContent)).toBe(label);
    expect(await field.evaluate((input) => input.closest('label')!.getBoundingClientRect().height > 0)).toBe(true);
  }

  // Mute: one toggle with a fixed name; pressed means muted, and the row says so in words.
  const mute = row.getByRole('button', { name: 'Mute lima', exact: true });
  const state = row.getByTestId('sound-state');
  expect(await mute.getAttribute('aria-pressed')).toBe('false');
  expect(await state.textContent()).toBe('on the pages');
  await mute.click();
  await row.getByRole('button', { name: 'Mute lima', pressed: true }).waitFor();
  expect(await state.textContent()).toBe('muted: its strikes reach no page');
  const listed = (await (await fetch(`${relay.url}/api/admin/stations`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { id: string; muted: boolean }[];
  expect(listed.find((station) => station.id === 'lima')?.muted).toBe(true);
  await mute.click();
  await row.getByRole('button', { name: 'Mute lima', pressed: false }).waitFor();
  expect(await state.textContent()).toBe('on the pages');
});
