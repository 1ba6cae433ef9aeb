// The page says what it knows and no more: a relay it cannot reach is named as unreachable, a lost
// link greys the stations and hides the listener count, "Retry now" skips the backoff wait, address
// options it cannot honour get a notice, and no page asks for a file that is not there.
import type { Page } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { freePort } from '../test/support/freePort';
import { LinkProxy } from '../test/support/linkProxy';
import { spawnRelay } from '../test/support/relayProcess';
import { startFakeRelay, type FakeRelay } from './fakeRelay';
import { launchBrowser, type Browser } from './support/browser';

let browser: Browser | undefined;
let proxy: LinkProxy | undefined;
let fake: FakeRelay | undefined;
afterEach(async () => {
  await browser?.close();
  await proxy?.cut();
  await fake?.close();
  browser = proxy = fake = undefined;
});

async function newPage(): Promise<Page> {
  browser = await launchBrowser();
  return browser.context.newPage();
}

/** ms until the page's next reconnect attempt, or null when it is not waiting for one. */
const msToNextAttempt = (page: Page) =>
  page.evaluate(() => {
    const connection = window.aeolian!.store.getState().connection;
    return connection.state === 'reconnecting' ? connection.nextAttemptAt - Date.now() : null;
  });

it('a lost relay greys the stations and hides the count; Retry now reconnects at once when it is back', async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '3' });
  proxy = new LinkProxy(Number(new URL(relay.url).port));
  await proxy.open();
  const page = await newPage();
  await page.goto(`http://127.0.0.1:${proxy.port}/`);
  const status = page.getByTestId('status');
  const list = page.getByTestId('station-list');
  const listeners = page.getByTestId('listeners');
  await status.filter({ hasText: /^live/ }).waitFor({ timeout: 20_000 });
  await list.getByRole('button', { name: /Chicago/ }).waitFor();
  await listeners.filter({ hasText: /1 listening/ }).waitFor();
  expect(await list.getAttribute('data-stale')).toBeNull();
  const opacity = () => list.getByRole('button', { name: /Chicago/ }).evaluate((button) => Number(getComputedStyle(button).opacity));
  expect(await opacity()).toBe(1);

  await proxy.cut();
  await status.filter({ hasText: /reconnecting/ }).waitFor({ timeout: 10_000 });
  expect(await list.getAttribute('data-stale')).toBe('true');
  expect(await opacity()).toBeLessThan(0.6);
  expect(await listeners.isHidden()).toBe(true);
  expect(await list.getByRole('button', { name: /Chicago/ }).count()).toBe(1); // greyed, not gone

  // Let the backoff grow (each failed try doubles its ceiling) until the next try is seconds away;
  // "Retry now" meanwhile fails against the cut link and only makes the next wait longer.
  const retry = page.getByRole('button', { name: 'Retry now' });
  await expect
    .poll(
      async () => {
        const wait = await msToNextAttempt(page);
        if (wait !== null && wait < 4_000 && (await retry.isVisible())) await retry.click();
        return wait;
      },
      { timeout: 30_000, interval: 200 },
    )
    .toBeGreaterThanOrEqual(4_000);

  await proxy.open();
  const waitWithoutButton = (await msToNextAttempt(page))!;
  const clickedAt = Date.now();
  await retry.click();
  await status.filter({ hasText: /^live/ }).waitFor({ timeout: 5_000 });
  const tookMs = Date.now() - clickedAt;
  expect(tookMs).toBeLessThan(Math.min(2_000, waitWithoutButton - 1_000));
  expect(await list.getAttribute('data-stale')).toBeNull();
  await listeners.filter({ hasText: /listening/ }).waitFor();
  expect(await retry.count()).toBe(0);
});

it("a ?relay= the relay's own security policy refuses is named unreachable within seconds", async () => {
  const relay = await spawnRelay({ SIM: '0' });
  const port = await freePort();
  const page = await newPage();
  await page.goto(`${relay.url}/?relay=ws://127.0.0.1:${port}/live`);
  await page.getByTestId('status').filter({ hasText: /unreachable/ }).waitFor({ timeout: 5_000 });
  const notice = page.getByTestId('notice');
  await notice.filter({ hasText: `The relay at ws://127.0.0.1:${port}/live is unreachable` }).waitFor({ timeout: 5_000 });
  await notice.filter({ hasText: /security policy \(CSP\)/ }).waitFor({ timeout: 5_000 });
});

it('a ?relay= on a closed port, from a statically hosted page, is named unreachable within seconds', async () => {
  fake = await startFakeRelay(() => undefined); // serves the built page with no CSP, like static hosting
  const port = await freePort();
  const page = await newPage();
  await page.goto(`${fake.url}/?relay=ws://127.0.0.1:${port}/live`);
  const notice = page.getByTestId('notice');
  await notice.filter({ hasText: `The relay at ws://127.0.0.1:${port}/live is unreachable: the connection was refused` }).waitFor({ timeout: 5_000 });
  expect(await page.getByTestId('status').textContent()).toMatch(/^unreachable · retrying/);
  expect(await page.getByRole('button', { name: 'Retry now' }).isVisible()).toBe(true);
});

it('an unknown ?stations= id, a ?speed= that is no number and a ?speed= on the live relay get a visible notice', async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '4' });
  const page = await newPage();
  await page.goto(`${relay.url}/?stations=nope`);
  const notice = page.getByTestId('notice');
  await notice.filter({ hasText: 'No station "nope" here: showing the whole world' }).waitFor({ timeout: 15_000 });
  expect(await notice.isVisible()).toBe(true);
  expect(new URL(page.url()).searchParams.has('stations')).toBe(false);
  expect(await page.getByRole('button', { name: 'Whole world' }).getAttribute('aria-pressed')).toBe('true');

  await page.goto(`${relay.url}/?speed=3`);
  await notice.filter({ hasText: 'A speed (&speed=) changes only the simulation and replays: live strikes play as they arrive.' }).waitFor({ timeout: 10_000 });
  await page.getByTestId('status').filter({ hasText: /live/ }).waitFor();

  await page.goto(`${relay.url}/?source=sim&speed=abc`);
  await notice.filter({ hasText: 'Speed "abc" is not a number above 0: playing at 1×' }).waitFor({ timeout: 10_000 });
  expect(await notice.isVisible()).toBe(true);
  await page.getByTestId('status').filter({ hasText: /live · simulation/ }).waitFor();
});

it('/, /embed.html and /admin ask for nothing that is missing (no 404, no console error)', async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '5', ADMIN_TOKEN: 'fake-admin-token-honest-0a1b2c3d' });
  const page = await newPage();
  const missing: string[] = [];
  const consoleErrors: string[] = [];
  page.on('response', (response) => response.status() === 404 && missing.push(response.url()));
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(`${page.url()}: ${message.text()}`));
  for (const path of ['/', '/embed.html', '/admin']) {
    await page.goto(`${relay.url}${path}`);
    await page.waitForLoadState('networkidle');
    // Headless Chromium may not fetch icons itself: each page names one, and it is there.
    const icon = await page.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? null);
    expect(icon, path).not.toBeNull();
    const answer = await page.request.get(icon!);
    expect([path, answer.status(), answer.headers()['content-type']]).toEqual([path, 200, 'image/svg+xml']);
  }
  expect(missing).toEqual([]);
  expect(consoleErrors).toEqual([]);
});
