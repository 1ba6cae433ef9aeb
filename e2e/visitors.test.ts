// Visitors playing the chimes (issue 16), the page's side, in real Chromium against a fake relay
// built from the /touch contract (e2e/support/fakeTouchRelay.ts): a touch in one page is heard,
// seen (as a touch, within a frame of arriving) and announced in another; the visitor sees it at
// once and then confirmed, or told why not; keyboard alone plays; the embed can turn buttons off.
import { afterEach, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './support/browser';
import { startFakeTouchRelay, type FakeTouchRelay } from './support/fakeTouchRelay';

let browser: Browser | undefined;
let relay: FakeTouchRelay | undefined;
afterEach(async () => {
  await browser?.close();
  await relay?.close();
  browser = undefined;
  relay = undefined;
});

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const stat = (page: Page, name: string) => page.evaluate((key) => (window.aeolian!.stats as unknown as Record<string, number>)[key]!, name);
const feedback = (page: Page) => page.getByTestId('touch-feedback').textContent();

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  relay ??= await startFakeTouchRelay();
  browser ??= await launchBrowser();
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${relay.url}/${path}`);
  await page.waitForFunction(() => window.aeolian?.store.getState().connection.state === 'live', null, { timeout: 15_000 });
  return { page, errors };
}

it("a visitor's touch is heard, seen as a touch within a frame of arriving, and announced in another page", async () => {
  const { page: listener, errors } = await open('?bench=1');
  await listener.getByTestId('listen').click();
  await listener.waitForFunction(() => window.aeolian!.store.getState().audio === 'on', null, { timeout: 15_000 });
  const { page: visitor } = await open('?stations=chicago');

  await visitor.getByTestId('chime-button-2').click();
  await poll(() => stat(listener, 'touchCirclesDrawn')).toBe(1);
  // Drawn in the very next frame after it arrived, from the touch sprites (counted apart from the wind's).
  expect(await listener.evaluate(() => window.aeolian!.bench!.touchDrawLatencyFrames)).toEqual([1]);
  // Heard: the engine voiced it as a touch.
  await poll(() => stat(listener, 'touchNotesPlayed')).toBe(1);
  expect(await listener.evaluate(() => window.aeolian!.page.engine!.stats.lastNote)).toMatchObject({ station: 'chicago', chime: 2, touch: true });
  // Announced to screen readers.
  await poll(() => listener.getByTestId('touch-announcements').textContent()).toBe('A visitor played chime 3 in Chicago.');
  expect(await listener.getByTestId('touch-announcements').getAttribute('aria-live')).toBe('polite');

  // The visitor: sent once, confirmed, and its own touch not drawn a second time when /live brings it.
  expect(relay!.received).toMatchObject([{ station: 'chicago', chime: 2, v: 0.8 }]);
  await poll(() => feedback(visitor)).toBe('You played chime 3 in Chicago: everyone listening heard it.');
  await poll(() => stat(visitor, 'touchesReceived')).toBe(1);
  expect(await stat(visitor, 'touchesEchoed')).toBe(1);
  await visitor.waitForTimeout(100); // a frame or more for a second circle that must not come
  expect(await stat(visitor, 'touchCirclesDrawn')).toBe(1);
  expect(await visitor.getByTestId('touch-announcements').textContent()).toBe(''); // its own touch is not announced to itself
  expect(errors).toEqual([]);
});

it('the local echo shows before the relay acks; the ack then confirms it', async () => {
  const { page } = await open('?stations=chicago');
  relay!.answer = { ack: true, delayMs: 1_500 };
  await page.getByTestId('chime-button-0').click();
  await poll(() => stat(page, 'touchCirclesDrawn')).toBe(1);
  expect(await feedback(page)).toBe('You played chime 1 in Chicago…');
  expect(await page.getByTestId('touch-feedback').getAttribute('data-state')).toBe('sent');
  await poll(() => page.getByTestId('touch-feedback').getAttribute('data-state')).toBe('heard');
  expect(await stat(page, 'touchCirclesDrawn')).toBe(1);
});

it('a refused touch says why: slow down, or visitors resting (and then nothing is sent)', async () => {
  const { page } = await open('?stations=chicago');
  relay!.answer = { refuse: 'slow_down', retryMs: 2_000 };
  await page.getByTestId('chime-button-1').click();
  await poll(() => feedback(page)).toBe('Slow down: try again in 2 s.');
  expect(await page.getByTestId('touch-feedback').getAttribute('data-state')).toBe('refused');

  relay!.participation(false);
  await poll(() => feedback(page)).toBe('Visitors are resting: playing is paused for now.');
  expect(await page.getByTestId('chime-button-1').getAttribute('aria-disabled')).toBe('true');
  const sent = relay!.received.length;
  const echoed = await stat(page, 'touchesEchoed'); // the slow-down touch was sent, so it showed at once
  await page.getByTestId('chime-button-1').click({ force: true }); // aria-disabled: still pressable, it says why
  await page.keyboard.press('2');
  await page.waitForTimeout(200);
  expect(relay!.received.length).toBe(sent);
  expect(await feedback(page)).toBe('Visitors are resting: playing is paused for now.');
  expect(await stat(page, 'touchesEchoed')).toBe(echoed); // nothing showed or sounded for a touch never sent

  relay!.participation(true, { chicago: false });
  await poll(() => feedback(page)).toBe('Visitors are resting at Chicago.');
});

it('keyboard alone plays: Tab to a chime and press Enter, or press its number', async () => {
  const { page } = await open('?stations=chicago');
  await page.getByTestId('chime-button-0').waitFor();
  let focused = '';
  for (let tabs = 0; tabs < 40 && !focused.startsWith('chime-button'); tabs++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? '');
  }
  expect(focused).toBe('chime-button-0');
  expect(await page.evaluate(() => document.activeElement!.getAttribute('aria-label'))).toBe('Play chime 1');
  // The group names the station, for a screen reader entering it.
  expect(await page.getByTestId('chime-buttons').getAttribute('aria-label')).toBe('Play the chimes of Chicago for everyone listening');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await page.keyboard.press('5');
  await poll(() => relay!.received.map((t) => t.chime)).toEqual([0, 1, 4]);
  await poll(() => feedback(page)).toBe('You played chime 5 in Chicago: everyone listening heard it.');
});

it('the world view offers the chimes from a station popover', async () => {
  const { page } = await open('');
  const tokyo = page.locator('[data-testid="station-spot"][data-station="tokyo"]');
  await tokyo.hover();
  await page.getByTestId('station-popover').waitFor();
  expect(await page.getByTestId('station-popover').getAttribute('aria-label')).toBe('Play Tokyo');
  await page.getByTestId('popover-chime-1').click();
  await poll(() => relay!.received).toMatchObject([{ station: 'tokyo', chime: 1 }]);
  await poll(() => page.getByTestId('station-popover').getByTestId('touch-feedback').textContent()).toBe(
    'You played chime 2 in Tokyo: everyone listening heard it.',
  );
  await page.keyboard.press('Escape');
  await poll(() => page.getByTestId('station-popover').count()).toBe(0);
  // A click on the station itself still opens its close-up, where the chimes are buttons.
  await tokyo.click();
  await page.getByTestId('chime-button-4').waitFor();
});

it('presence shows visitors who played in the last minute', async () => {
  const { page } = await open('');
  expect((await page.getByTestId('visitors').textContent())!.trim()).toBe('');
  relay!.broadcast({ type: 'presence', viewers: 3, visitors: 2 });
  await poll(() => page.getByTestId('visitors').textContent()).toBe('2 visitors played in the last minute');
  await poll(() => page.getByTestId('listeners').textContent()).toBe('3 listening');
});

it('the embed shows the buttons unless turned off by ?buttons=0 or the postMessage API, and still shows touches', async () => {
  const { page } = await open('?embed&stations=chicago');
  await page.getByTestId('chime-button-0').waitFor();
  await page.evaluate(() => window.postMessage({ type: 'aeolian:buttons', enabled: false }, '*'));
  await poll(() => page.getByTestId('chime-buttons').count()).toBe(0);
  await page.evaluate(() => window.postMessage({ type: 'aeolian:buttons', enabled: true }, '*'));
  await page.getByTestId('chime-button-0').waitFor();

  const { page: off } = await open('?embed&stations=chicago&buttons=0');
  await off.getByTestId('map').waitFor();
  expect(await off.getByTestId('chime-buttons').count()).toBe(0);
  await page.getByTestId('chime-button-3').click();
  await poll(() => stat(off, 'touchCirclesDrawn')).toBe(1);
});

it('the kiosk shows and sounds visitors\' touches, and offers no buttons of its own', async () => {
  const { page: kiosk } = await open('?kiosk&stations=chicago');
  await kiosk.waitForFunction(() => window.aeolian!.store.getState().audio === 'on', null, { timeout: 15_000 });
  expect(await kiosk.getByTestId('chime-buttons').count()).toBe(0);
  const { page: visitor } = await open('?stations=chicago');
  await visitor.getByTestId('chime-button-5').click();
  await poll(() => stat(kiosk, 'touchCirclesDrawn')).toBe(1);
  await poll(() => stat(kiosk, 'touchNotesPlayed')).toBe(1);
});

it("every touch mark the artist can choose draws (double, halo, dashed), without a page error", async () => {
  const { page, errors } = await open('?stations=chicago');
  for (const [n, style] of (['double', 'halo', 'dashed'] as const).entries()) {
    await page.evaluate((s) => window.aeolian!.store.getState().setTouch({ style: s, color: '#ff00aa' }), style);
    await page.getByTestId(`chime-button-${n}`).click();
    await poll(() => stat(page, 'touchCirclesDrawn')).toBe(n + 1);
  }
  expect(errors).toEqual([]);
});
