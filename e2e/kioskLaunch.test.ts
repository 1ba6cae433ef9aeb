// The Chromium launch line of docs/kiosk.md, tested: the flags are read from the doc itself. With
// them the kiosk starts its sound alone; without the autoplay flag it shows "touch for sound" and
// the first touch starts it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { spawnRelay } from '../test/support/relayProcess';
import { CHROMIUM_PATH } from './support/browser';

/** The flags of the ```sh block under "Chromium launch line", without the profile and the URL. */
function documentedFlags(): string[] {
  const doc = readFileSync('docs/kiosk.md', 'utf8');
  const block = /### Chromium launch line[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)![1]!;
  return block
    .replace(/\\\n/g, ' ')
    .split(/\s+/)
    .filter((word) => word.startsWith('--') && !word.startsWith('--user-data-dir'));
}

let context: BrowserContext | undefined;
let profile: string | undefined;
afterEach(async () => {
  await context?.close().catch(() => undefined);
  if (profile) rmSync(profile, { recursive: true, force: true });
  context = undefined;
  profile = undefined;
});

async function launch(flags: string[]): Promise<BrowserContext> {
  profile = mkdtempSync(join(tmpdir(), 'aeolian-kiosk-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', ...flags],
    viewport: { width: 1024, height: 600 },
  });
  return context;
}

it('docs/kiosk.md launch line: the kiosk goes live with sound on and nothing to touch', async () => {
  const flags = documentedFlags();
  expect(flags).toEqual(expect.arrayContaining(['--kiosk', '--autoplay-policy=no-user-gesture-required']));
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '31', SIM_SPEED: '4' });
  const page = await (await launch(flags)).newPage();
  await page.goto(`${relay.url}/?kiosk`);
  await page.locator('[data-testid="kiosk"][data-connection="live"]').waitFor({ timeout: 30_000 });
  await expect.poll(() => page.evaluate(() => window.aeolian!.store.getState().audio), { timeout: 10_000 }).toBe('on');
  expect(await page.getByTestId('touch-for-sound').count()).toBe(0);
});

it('without the autoplay flag the kiosk says "touch for sound", and a touch starts it', async () => {
  const flags = documentedFlags().filter((flag) => !flag.startsWith('--autoplay-policy'));
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '32', SIM_SPEED: '4' });
  const page = await (await launch([...flags, '--autoplay-policy=document-user-activation-required'])).newPage();
  await page.goto(`${relay.url}/?kiosk`);
  await page.getByTestId('touch-for-sound').waitFor({ timeout: 10_000 });
  expect(await page.evaluate(() => window.aeolian!.store.getState().audio)).toBe('off');
  await page.mouse.click(500, 300);
  await expect.poll(() => page.evaluate(() => window.aeolian!.store.getState().audio), { timeout: 10_000 }).toBe('on');
  expect(await page.getByTestId('touch-for-sound').count()).toBe(0);
});
