// A relay that misbehaves (malformed JSON, unknown types, bad fields, binary, an incompatible
// protocol, a flood) never crashes the page: it counts, tells the viewer, and keeps drawing.
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

async function openPage(url: string) {
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { page, errors };
}

it('garbage between good frames is counted and shown, and the good strikes still draw', async () => {
  fake = await startFakeRelay((socket) => {
    socket.send(helloFrame());
    socket.send('not json at all {');
    socket.send('{"type":"weather","wind":12}');
    socket.send('{"type":"strike","seq":1,"station":"chicago","chime":3,"v":7,"t":0}');
    socket.send(Buffer.from([0xff, 0x00]));
    socket.send('null');
    let seq = 0;
    const timer = setInterval(() => socket.readyState === socket.OPEN && socket.send(strikeFrame(++seq)), 50);
    socket.on('close', () => clearInterval(timer));
  });
  const { page, errors } = await openPage(fake.url);
  await page.getByTestId('status').filter({ hasText: 'live' }).waitFor({ timeout: 10_000 });
  await page.waitForFunction(() => window.aeolian!.stats.circlesDrawn > 5, null, { timeout: 10_000 });
  expect(await page.evaluate(() => window.aeolian!.stats.refusedFrames)).toBe(5);
  await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/Ignored a bad message/);
  expect(errors).toEqual([]);
});

it('an incompatible protocol stops the page with a clear message, without retrying', async () => {
  fake = await startFakeRelay((socket) => socket.send(helloFrame({ protocol: 2 })));
  const { page, errors } = await openPage(fake.url);
  await page.getByTestId('status').filter({ hasText: 'offline' }).waitFor({ timeout: 10_000 });
  expect(await page.getByTestId('notice').textContent()).toMatch(/protocol 2.*this page speaks 1/);
  // No condition to wait on: the behaviour is that nothing comes. A retry would come within the
  // first backoff's ceiling (RECONNECT_BASE_MS, 500 ms); three of those pass without one.
  await page.waitForTimeout(1_500);
  expect(fake.connections).toBe(1);
  expect(errors).toEqual([]);
});

it('a flood of strikes and junk leaves the page responsive and live', async () => {
  const FLOOD_STRIKES = 30_000;
  fake = await startFakeRelay((socket) => {
    socket.send(helloFrame());
    for (let seq = 1; seq <= FLOOD_STRIKES; seq++) {
      socket.send(strikeFrame(seq));
      if (seq % 10 === 0) socket.send('{"type":"mystery"}');
    }
    // then a normal trickle, so the map keeps living
    let seq = FLOOD_STRIKES;
    const timer = setInterval(() => socket.readyState === socket.OPEN && socket.send(strikeFrame(++seq)), 100);
    socket.on('close', () => clearInterval(timer));
  });
  const { page, errors } = await openPage(fake.url);
  await page.waitForFunction((n) => window.aeolian!.stats.strikesReceived >= n, FLOOD_STRIKES, { timeout: 30_000 });
  const drawnAfterFlood = await page.evaluate(() => window.aeolian!.stats.circlesDrawn);
  await page.waitForFunction((before) => window.aeolian!.stats.circlesDrawn > before + 3, drawnAfterFlood, { timeout: 10_000 });
  expect(await page.getByTestId('status').textContent()).toMatch(/live/);
  // The UI still answers a click promptly.
  await page.getByTestId('station-list').getByRole('button', { name: /Chicago/ }).click({ timeout: 2_000 });
  await page.waitForURL(/stations=chicago/);
  expect(errors).toEqual([]);
});
