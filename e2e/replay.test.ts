// Replay of any hour, end to end: a real relay whose archive folder holds two known hours (written
// in the archive's on-disk format), the built page in real Chromium replaying them at 1x and 10x
// with the recorded spacing, clear words when the relay refuses, and the artist's time picker.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { HOUR_MS, hourFileOf } from '../src/relay/archive/archiveFiles';
import { spawnRelay } from '../test/support/relayProcess';
import { launchBrowser, type Browser } from './support/browser';

/** Gaps between the recorded strikes at 1x, ms; the 10x hour has each gap ten times longer. */
const GAPS_MS = [300, 700, 300, 1_100, 500];
/** The two archived hours, a day ago (well inside the relay's retention). */
const HOUR_1X = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 26 * HOUR_MS;
const HOUR_10X = HOUR_1X + HOUR_MS;
/** Strikes start a minute into each hour. */
const FIRST_STRIKE_OFFSET_MS = 60_000;

let browser: Browser | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await browser?.close();
  browser = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function strikesOf(hour: number, gapScale: number) {
  let t = hour + FIRST_STRIKE_OFFSET_MS;
  const times = [t, ...GAPS_MS.map((gap) => (t += gap * gapScale))];
  return times.map((time, i) => ({ type: 'strike', seq: i + 1, station: i % 2 ? 'tokyo' : 'chicago', chime: i % 5, v: 0.8, t: time }));
}

/** A relay with two stations and an archive holding the 1x hour and the 10x hour. */
async function archiveRelay(options: { archive: boolean } = { archive: true }) {
  const dir = mkdtempSync(join(tmpdir(), 'aeolian-replay-'));
  dirs.push(dir);
  const tokenSha256 = (id: string) => createHash('sha256').update(`replay-test-token-${id}-0123456789`).digest('hex');
  const stations = [
    { id: 'chicago', name: 'Chicago', lat: 41.9, lon: -87.6, chimes: 6, tokenSha256: tokenSha256('chicago') },
    { id: 'tokyo', name: 'Tokyo', lat: 35.7, lon: 139.7, chimes: 5, tokenSha256: tokenSha256('tokyo') },
  ];
  writeFileSync(join(dir, 'stations.json'), JSON.stringify(stations));
  const archivePath = join(dir, 'archive');
  for (const strikes of [strikesOf(HOUR_1X, 1), strikesOf(HOUR_10X, 10)]) {
    const file = hourFileOf(archivePath, strikes[0]!.t);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, strikes.map((s) => JSON.stringify(s) + '\n').join(''));
  }
  return spawnRelay({ STATIONS: join(dir, 'stations.json'), ...(options.archive ? { ARCHIVE_PATH: archivePath } : {}) });
}

/** Opens the page with a recorder of the exact moment each strike reaches window.aeolian.stats. */
async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => {
    const arrivals: { times: number[]; seqs: number[] } = { times: [], seqs: [] };
    let surface: unknown;
    Object.defineProperty(window, 'arrivals', { value: arrivals });
    Object.defineProperty(window, 'aeolian', {
      configurable: true,
      get: () => surface,
      set(value: { stats: Record<string, unknown> }) {
        surface = value;
        let received = value.stats.strikesReceived;
        let lastSeq = value.stats.lastSeq;
        Object.defineProperties(value.stats, {
          strikesReceived: { enumerable: true, get: () => received, set: (n) => ((received = n), arrivals.times.push(performance.now())) },
          lastSeq: { enumerable: true, get: () => lastSeq, set: (n: number) => ((lastSeq = n), arrivals.seqs.push(n)) },
        });
      },
    });
  });
  await page.goto(url);
  return { page, errors };
}

const arrivals = (page: Page) => page.evaluate(() => (window as unknown as { arrivals: { times: number[]; seqs: number[] } }).arrivals);
const iso = (t: number) => new Date(t).toISOString();
const pill = (page: Page) => page.getByTestId('status');

/** Each played gap is the recorded gap divided by the speed (within a timer's jitter), in order. */
async function expectRecordedRhythm(page: Page) {
  await page.waitForFunction(() => window.aeolian?.stats.strikesReceived === 6, null, { timeout: 15_000 });
  const { times, seqs } = await arrivals(page);
  expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
  expect(times).toHaveLength(6);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  gaps.forEach((gap, i) => expect(Math.abs(gap - GAPS_MS[i]!), `gap ${i}: ${gap} ms, recorded ${GAPS_MS[i]} ms`).toBeLessThan(Math.max(100, GAPS_MS[i]! * 0.25)));
}

it.each([
  [1, HOUR_1X],
  [10, HOUR_10X],
])('at %sx, the page replays the archived hour with the recorded spacing, and the pill says replay', async (speed, hour) => {
  const relay = await archiveRelay();
  const { page, errors } = await openPage(`${relay.url}/?source=replay&from=${iso(hour)}&to=${iso(hour + HOUR_MS)}&speed=${speed}`);
  await pill(page).filter({ hasText: /^Replay · \d\d:00–\d\d:00 .+ · \d+×$/ }).waitFor({ timeout: 10_000 });
  expect(await pill(page).textContent()).toContain(`· ${speed}×`);
  expect(await pill(page).getAttribute('data-source')).toBe('replay');
  await expectRecordedRhythm(page);
  // The stations come from the relay's list (the archive has no hello): both are on the map's list.
  await page.getByTestId('station-list').getByRole('button', { name: /Tokyo/ }).waitFor({ timeout: 5_000 });
  await page.getByTestId('notice').filter({ hasText: 'The replay has finished (6 strikes).' }).waitFor({ timeout: 5_000 });
  expect(await pill(page).textContent()).toMatch(/^Replay · .* · offline$/);
  expect(errors).toEqual([]);
});

it('a range the relay refuses, or a relay without an archive, is said in words on the page', async () => {
  const relay = await archiveRelay();
  const { page, errors } = await openPage(`${relay.url}/?source=replay&from=${iso(HOUR_1X)}&to=${iso(HOUR_1X - HOUR_MS)}`);
  await page.getByTestId('notice').filter({ hasText: 'The relay refused this replay range: to: must be after from.' }).waitFor({ timeout: 10_000 });
  expect(await pill(page).textContent()).toMatch(/^Replay · .* · offline$/);

  const bare = await archiveRelay({ archive: false });
  await page.goto(`${bare.url}/?source=replay&from=${iso(HOUR_1X)}&to=${iso(HOUR_1X + HOUR_MS)}`);
  await page.getByTestId('notice').filter({ hasText: 'This relay keeps no archive' }).waitFor({ timeout: 10_000 });
  expect(errors).toEqual([]);
});

it("the artist's time picker switches the page to a replay of that range, and back to live", async () => {
  const relay = await archiveRelay();
  const { page, errors } = await openPage(`${relay.url}/?dev`);
  await pill(page).filter({ hasText: /^live$/ }).waitFor({ timeout: 10_000 });
  const folder = page.getByTestId('artist-panel').locator('.tp-fldv').filter({ has: page.locator('.tp-fldv_t', { hasText: /^Replay an hour$/ }) });
  await folder.waitFor({ timeout: 15_000 });
  const control = (label: string) => folder.locator('.tp-lblv').filter({ has: page.locator('.tp-lblv_l', { hasText: new RegExp(`^${label.replace(/[()]/g, '\\$&')}$`) }) });
  // The 10x hour, in the browser's own time zone, as the artist would pick it (the day list says
  // today, yesterday, then "Sun 23 Nov").
  const local = await page.evaluate((t) => {
    const d = new Date(t);
    const pad = (n: number) => String(n).padStart(2, '0');
    const midnight = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
    const back = Math.round((midnight(new Date()) - midnight(d)) / 86_400_000);
    const day = back === 0 ? 'today' : back === 1 ? 'yesterday' : d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
    return { day, start: `${pad(d.getHours())}:${pad(d.getMinutes())}` };
  }, HOUR_10X);
  await control('day').locator('select').selectOption({ label: local.day });
  const start = control('start (hh:mm)').locator('input');
  await start.fill(local.start);
  await start.press('Enter');
  await control('duration').locator('select').selectOption({ label: '15 min' });
  const speed = control('speed (x)').locator('input').last();
  await speed.fill('10');
  await speed.press('Enter');
  await folder.locator('.tp-btnv_b', { hasText: /^Play$/ }).click();

  await pill(page).filter({ hasText: /^Replay · .* · 10×$/ }).waitFor({ timeout: 10_000 });
  const address = new URL(page.url());
  expect(Object.fromEntries(address.searchParams)).toMatchObject({ dev: '', source: 'replay', from: iso(HOUR_10X), to: iso(HOUR_10X + 15 * 60_000), speed: '10' });
  await expectRecordedRhythm(page);

  await folder.locator('.tp-btnv_b', { hasText: /^Back to live$/ }).click();
  await pill(page).filter({ hasText: /^live$/ }).waitFor({ timeout: 10_000 });
  expect(await pill(page).getAttribute('data-source')).toBeNull();
  expect(new URL(page.url()).searchParams.has('source')).toBe(false);
  expect(errors).toEqual([]);
});
