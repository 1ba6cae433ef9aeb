// `?kiosk` healing itself in real Chromium: the watchdog reloads a page that stopped drawing while its
// relay link is fine, the calm and offline notices come and go with the wind and the relay, and the
// screen wake lock is taken again after the page was hidden and shown.
import { afterEach, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { WebSocket } from 'ws';
import { LinkProxy } from '../test/support/linkProxy';
import { helloFrame, startFakeRelay, strikeFrame, type FakeRelay } from './fakeRelay';
import { launchBrowser, type Browser } from './support/browser';

let browser: Browser | undefined;
let fake: FakeRelay | undefined;
let proxy: LinkProxy | undefined;
let striking: ReturnType<typeof setInterval> | undefined;
afterEach(async () => {
  clearInterval(striking);
  await browser?.close();
  await proxy?.cut();
  await fake?.close();
  browser = undefined;
  proxy = undefined;
  fake = undefined;
});

const kioskLive = (page: Page, timeout = 20_000) => page.locator('[data-testid="kiosk"][data-connection="live"]').waitFor({ timeout });
const notice = (page: Page) => page.getByTestId('kiosk-notice');

it('the watchdog reloads a kiosk that stopped drawing while its relay link is fine, and the reloaded page draws and is live', async () => {
  // Every viewer gets a strike every 100 ms: the transport never stalls, so a reload can only be for drawing.
  fake = await startFakeRelay((socket) => {
    socket.send(helloFrame());
    let seq = 0;
    const timer = setInterval(() => socket.send(strikeFrame(++seq)), 100);
    socket.on('close', () => clearInterval(timer));
  });
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(`${fake.url}/?kiosk&watchdogS=3`);
  await kioskLive(page);
  await page.waitForFunction(() => window.aeolian!.stats.strikesReceived > 0, null, { timeout: 20_000 });

  // The render loop gets stuck: the next frame it asks for never comes. Timers, the socket and the
  // relay carry on, so only the drawing side of the watchdog can notice.
  const reloaded = page.waitForEvent('framenavigated', { timeout: 20_000 });
  await page.evaluate(() => {
    window.requestAnimationFrame = () => 0;
  });
  await reloaded;
  await kioskLive(page);
  const lastReload = await page.evaluate(() => JSON.parse(sessionStorage.getItem('aeolian.kiosk.lastReload') ?? 'null') as { stall: string } | null);
  expect(lastReload?.stall).toBe('drawing');
  // Drawing again: strikes arrive and become circles on the canvas.
  await page.waitForFunction(() => window.aeolian!.stats.circlesDrawn > 0, null, { timeout: 20_000 });
});

it('a calm kiosk says so, and the notice goes away when strikes come back', async () => {
  let viewer: WebSocket | undefined;
  fake = await startFakeRelay((socket) => {
    viewer = socket;
    socket.send(helloFrame());
  });
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(`${fake.url}/?kiosk&calmS=2`);
  await kioskLive(page);

  // No strike from Chicago, the only station: after ?calmS= the screen says it is calm, not broken.
  await page.getByText('calm in Chicago for under a minute').waitFor({ state: 'visible', timeout: 15_000 });

  let seq = 0;
  striking = setInterval(() => viewer?.send(strikeFrame(++seq)), 200);
  // Cleared by the strikes themselves, not by the next 5 s refresh (KIOSK_NOTICE_REFRESH_MS).
  await expect.poll(() => notice(page).textContent(), { timeout: 2_500 }).toBe('');
  expect(await page.evaluate(() => window.aeolian!.stats.strikesReceived)).toBeGreaterThan(0);
});

it('a kiosk without its relay says it is offline, and the notice goes away when the relay is back', async () => {
  fake = await startFakeRelay((socket) => socket.send(helloFrame()));
  proxy = new LinkProxy(Number(new URL(fake.url).port));
  await proxy.open();
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(`http://127.0.0.1:${proxy.port}/?kiosk&offlineS=1`);
  await kioskLive(page);
  expect(await notice(page).textContent()).toBe('');

  await proxy.cut();
  await page.getByText('offline for under a minute · reconnecting by itself').waitFor({ state: 'visible', timeout: 15_000 });

  await proxy.open();
  await kioskLive(page, 20_000);
  await expect.poll(() => notice(page).textContent(), { timeout: 5_000 }).toBe('');
});

/** What the page's fake Screen Wake Lock saw (see `fakeWakeLockAndVisibility`). */
interface WakeLockLog {
  requests: number;
  releases: number;
  held: number;
}

/**
 * Headless Chromium has navigator.wakeLock but always reports the page visible: minimising the window
 * (CDP Browser.setWindowBounds), putting another tab in front, turning off focus emulation and
 * Page.setWebLifecycleState all leave document.visibilityState 'visible' (checked on Chromium 156), so
 * the browser never drops the lock. The page is therefore hidden by overriding document.visibilityState
 * and document.hidden and dispatching visibilitychange, and navigator.wakeLock.request is replaced by a
 * fake that does what the Screen Wake Lock spec says the browser does: refuse while hidden, and on
 * becoming hidden release every screen lock (`released` true at once, the 'release' event in a later
 * task) before visibilitychange fires.
 */
function fakeWakeLockAndVisibility(page: Page) {
  return page.addInitScript(() => {
    let visibility: DocumentVisibilityState = 'visible';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => visibility === 'hidden' });
    const log = { requests: 0, releases: 0, held: 0 };
    const active = new Set<FakeSentinel>();

    class FakeSentinel extends EventTarget {
      readonly type = 'screen';
      released = false;
      onrelease: ((event: Event) => void) | null = null;
      release(): Promise<void> {
        if (!this.released) {
          this.released = true;
          active.delete(this);
          log.releases++;
          log.held--;
          setTimeout(() => {
            const event = new Event('release');
            this.onrelease?.(event);
            this.dispatchEvent(event);
          });
        }
        return Promise.resolve();
      }
    }

    const wakeLock = {
      request(type: string): Promise<FakeSentinel> {
        log.requests++;
        if (type !== 'screen') return Promise.reject(new TypeError(`unknown wake lock type ${type}`));
        if (visibility !== 'visible') return Promise.reject(new DOMException('The document is hidden', 'NotAllowedError'));
        const sentinel = new FakeSentinel();
        active.add(sentinel);
        log.held++;
        return Promise.resolve(sentinel);
      },
    };
    Object.defineProperty(navigator, 'wakeLock', { configurable: true, get: () => wakeLock });

    const test = window as unknown as { wakeLockLog: typeof log; setVisibility(next: DocumentVisibilityState): void };
    test.wakeLockLog = log;
    test.setVisibility = (next) => {
      if (next === visibility) return;
      visibility = next;
      if (next === 'hidden') for (const sentinel of [...active]) void sentinel.release();
      document.dispatchEvent(new Event('visibilitychange'));
    };
  });
}

const wakeLockLog = (page: Page) => page.evaluate(() => ({ ...(window as unknown as { wakeLockLog: WakeLockLog }).wakeLockLog }));
const setVisibility = (page: Page, visibility: DocumentVisibilityState) =>
  page.evaluate((next) => (window as unknown as { setVisibility(next: DocumentVisibilityState): void }).setVisibility(next), visibility);

it('the kiosk takes the screen wake lock again when the page is shown after being hidden', async () => {
  fake = await startFakeRelay((socket) => socket.send(helloFrame()));
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await fakeWakeLockAndVisibility(page);
  await page.goto(`${fake.url}/?kiosk`);
  await kioskLive(page);
  await expect.poll(() => wakeLockLog(page), { timeout: 5_000 }).toEqual({ requests: 1, releases: 0, held: 1 });

  await setVisibility(page, 'hidden');
  await expect.poll(() => page.evaluate(() => window.aeolianKiosk!.wakeLock.state), { timeout: 5_000 }).toBe('released');
  expect(await wakeLockLog(page)).toEqual({ requests: 1, releases: 1, held: 0 }); // nothing asked for while hidden

  await setVisibility(page, 'visible');
  await expect.poll(() => wakeLockLog(page), { timeout: 5_000 }).toEqual({ requests: 2, releases: 1, held: 1 });
  expect(await page.evaluate(() => window.aeolianKiosk!.wakeLock.state)).toBe('held');

  // And again: every return to the screen takes it back, not just the first.
  await setVisibility(page, 'hidden');
  await setVisibility(page, 'visible');
  await expect.poll(() => wakeLockLog(page), { timeout: 5_000 }).toEqual({ requests: 3, releases: 2, held: 1 });
});
