// The other sources (?source=sim, ?source=replay) and the hidden tab, against a fake relay that
// serves the built page.
import { afterEach, expect, it } from 'vitest';
import { launchBrowser, type Browser } from './support/browser';
import { helloFrame, startFakeRelay, strikeFrame, type FakeRelay } from './fakeRelay';

let browser: Browser | undefined;
let fake: FakeRelay | undefined;
afterEach(async () => {
  await browser?.close();
  await fake?.close();
  browser = undefined;
  fake = undefined;
});

async function newPage() {
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

it('?source=sim runs the wind model in the page, labelled as a simulation, with no relay link', async () => {
  fake = await startFakeRelay(() => undefined);
  const { page, errors } = await newPage();
  await page.goto(`${fake.url}/?source=sim&seed=4&speed=4`);
  await page.getByTestId('status').filter({ hasText: 'live · simulation' }).waitFor({ timeout: 10_000 });
  await page.waitForFunction(() => window.aeolian!.stats.circlesDrawn > 5, null, { timeout: 20_000 });
  await page.getByTestId('station-list').getByRole('button', { name: /Reykjavík/ }).waitFor();
  expect(fake.connections).toBe(0);
  expect(errors).toEqual([]);
});

it('?source=replay plays a recording at its original spacing, scaled by speed, then says it finished', async () => {
  fake = await startFakeRelay(() => undefined);
  const { page, errors } = await newPage();
  const STRIKES = 11;
  const SPACING_MS = 300;
  const recording = [helloFrame(), ...Array.from({ length: STRIKES }, (_, i) =>
    JSON.stringify({ type: 'strike', seq: i + 1, station: 'chicago', chime: i % 6, v: 1, t: 1_000_000 + i * SPACING_MS }),
  )].join('\n');
  await page.route('**/recording.ndjson', (route) => route.fulfill({ body: recording, contentType: 'application/x-ndjson' }));
  await page.addInitScript(() => {
    // Observe when each strike reaches the page (polling the debug counter).
    const times: number[] = [];
    (window as unknown as { strikeTimes: number[] }).strikeTimes = times;
    let seen = 0;
    const poll = () => {
      const received = window.aeolian?.stats.strikesReceived ?? 0;
      for (; seen < received; seen++) times.push(performance.now());
      setTimeout(poll, 5);
    };
    poll();
  });
  await page.goto(`${fake.url}/?source=replay&url=/recording.ndjson&speed=2`);
  await page.getByTestId('status').filter({ hasText: 'offline' }).waitFor({ timeout: 10_000 });
  expect(await page.getByTestId('notice').textContent()).toMatch(/finished/);
  const times = await page.evaluate(() => (window as unknown as { strikeTimes: number[] }).strikeTimes);
  expect(times).toHaveLength(STRIKES);
  const span = times.at(-1)! - times[0]!;
  const expected = ((STRIKES - 1) * SPACING_MS) / 2;
  expect(span).toBeGreaterThan(expected * 0.9);
  expect(span).toBeLessThan(expected * 1.5);
  expect(errors).toEqual([]);
});

it('a batch of strikes that arrives at once is drawn at its original spacing, not as one chord', async () => {
  const SPACING_MS = 250;
  /**
   * The page knows the relay's clock from the hello's `now`, late by the hello's transit (over 100 ms
   * on a busy machine while the page starts). A strike younger than that looks as if from the future
   * and is drawn at once, so the batch's last strike is older than any such error.
   */
  const LAST_AGE_MS = 400;
  fake = await startFakeRelay((socket) => {
    socket.send(helloFrame());
    // After a second, one burst: five strikes struck 250 ms apart (a throttled device's batch).
    setTimeout(() => {
      const now = Date.now();
      for (let i = 0; i < 5; i++) {
        socket.send(JSON.stringify({ type: 'strike', seq: i + 1, station: 'chicago', chime: i, v: 1, t: now - LAST_AGE_MS - (4 - i) * SPACING_MS }));
      }
    }, 1_000);
  });
  const { page, errors } = await newPage();
  await page.addInitScript(() => {
    // Watch every frame for when each circle is first drawn.
    const times: number[] = [];
    (window as unknown as { drawTimes: number[] }).drawTimes = times;
    let seen = 0;
    const watch = () => {
      const drawn = window.aeolian?.stats.circlesDrawn ?? 0;
      for (; seen < drawn; seen++) times.push(performance.now());
      requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  });
  await page.goto(fake.url);
  await page.waitForFunction(() => (window as unknown as { drawTimes: number[] }).drawTimes.length >= 5, null, { timeout: 10_000 });
  const times = await page.evaluate(() => (window as unknown as { drawTimes: number[] }).drawTimes);
  expect(times).toHaveLength(5);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  // Not bunched into one chord: each about 250 ms after the one before (within a couple of frames).
  expect(gaps.map((gap) => Math.abs(gap - SPACING_MS) < 50), `gaps ${gaps.map(Math.round).join(', ')} ms`).toEqual([true, true, true, true]);
  expect(errors).toEqual([]);
});

it('the canvas stays sharp and fitted: it follows resizes, uses the device pixel ratio, follows reduced motion', async () => {
  fake = await startFakeRelay((socket) => socket.send(helloFrame()));
  const { page, errors } = await newPage();
  await page.goto(fake.url);
  await page.getByTestId('status').filter({ hasText: 'live' }).waitFor({ timeout: 10_000 });
  const backing = () =>
    page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="map"]')!;
      const rect = canvas.getBoundingClientRect();
      return { ratio: canvas.width / rect.width, cssWidth: Math.round(rect.width), width: canvas.width };
    });
  expect((await backing()).ratio).toBeCloseTo(1, 2);
  await page.setViewportSize({ width: 900, height: 600 });
  await expect.poll(async () => (await backing()).cssWidth).toBeLessThan(700);
  await expect.poll(async () => (await backing()).ratio).toBeCloseTo(1, 2);
  // A HiDPI screen (2 device pixels per CSS pixel): the backing store doubles, so lines stay sharp.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 900, height: 600, deviceScaleFactor: 2, mobile: false });
  await page.reload();
  await page.getByTestId('status').filter({ hasText: 'live' }).waitFor({ timeout: 10_000 });
  await expect.poll(async () => (await backing()).ratio).toBeCloseTo(2, 2);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await expect.poll(() => page.evaluate(() => window.aeolian!.store.getState().visual.reducedMotion)).toBe(true);
  expect(errors).toEqual([]);
});

it('works from the keyboard alone, with a visible focus ring', async () => {
  fake = await startFakeRelay((socket) => socket.send(helloFrame()));
  const { page, errors } = await newPage();
  await page.goto(fake.url);
  await page.getByTestId('station-list').getByRole('button', { name: /Chicago/ }).waitFor({ timeout: 10_000 });
  let focused = '';
  for (let presses = 0; presses < 20 && !focused.includes('Chicago'); presses++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
  }
  expect(focused).toContain('Chicago');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await page.waitForURL(/stations=chicago/);
  expect(await page.getByTestId('station-list').getByRole('button', { name: /Chicago/ }).getAttribute('aria-pressed')).toBe('true');
  expect(errors).toEqual([]);
});

it('a hidden tab draws nothing and, back in view, shows only the present (no backlog burst)', async () => {
  fake = await startFakeRelay((socket) => {
    socket.send(helloFrame());
    let seq = 0;
    const timer = setInterval(() => socket.readyState === socket.OPEN && socket.send(strikeFrame(++seq)), 25);
    socket.on('close', () => clearInterval(timer));
  });
  const { page, errors } = await newPage();
  await page.goto(fake.url);
  await page.waitForFunction(() => window.aeolian!.stats.circlesDrawn > 10, null, { timeout: 10_000 });
  const setHidden = (hidden: boolean) =>
    page.evaluate((value) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (value ? 'hidden' : 'visible') });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  await setHidden(true);
  const atHide = await page.evaluate(() => ({ ...window.aeolian!.stats }));
  // Strikes keep arriving while hidden (one every 25 ms): they are counted...
  await page.waitForFunction((n) => window.aeolian!.stats.strikesReceived > n + 40, atHide.strikesReceived, { timeout: 10_000 });
  const whileHidden = await page.evaluate(() => ({ ...window.aeolian!.stats }));
  expect(whileHidden.circlesDrawn - atHide.circlesDrawn).toBeLessThanOrEqual(1); // ...not drawn
  await setHidden(false);
  // Back in view: drawing resumes with the strikes arriving now, a few of them, not the 40+ backlog.
  await page.waitForFunction(
    ([received, drawn]) => window.aeolian!.stats.strikesReceived >= received! + 6 && window.aeolian!.stats.circlesDrawn > drawn!,
    [whileHidden.strikesReceived, whileHidden.circlesDrawn],
    { timeout: 10_000 },
  );
  const back = await page.evaluate(() => window.aeolian!.stats.circlesDrawn);
  expect(back - whileHidden.circlesDrawn).toBeLessThan(15); // only the strikes since returning
  expect(errors).toEqual([]);
});
