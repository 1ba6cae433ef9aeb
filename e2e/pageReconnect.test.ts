// The link to a real relay drops and comes back: the page says "reconnecting", resumes with
// since+epoch and has every seq; a relay restarted without persistence is reported as a new epoch.
import { afterEach, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LinkProxy } from '../test/support/linkProxy';
import { record } from '../test/support/wsClient';
import { spawnRelay } from '../test/support/relayProcess';
import { launchBrowser, type Browser } from './support/browser';

let browser: Browser | undefined;
let proxy: LinkProxy | undefined;
afterEach(async () => {
  await browser?.close();
  await proxy?.cut();
  browser = undefined;
  proxy = undefined;
});

/** Records the seq of every strike frame the page receives (test-only observation of the socket). */
async function recordSeqs(page: Page) {
  await page.addInitScript(() => {
    const seqs: number[] = [];
    (window as unknown as { seenSeqs: number[] }).seenSeqs = seqs;
    const Original = window.WebSocket;
    window.WebSocket = class extends Original {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('message', (event: MessageEvent) => {
          // A frame may be a batch of several messages (the page asks with batch=1).
          for (const match of String(event.data).matchAll(/"type":"strike","seq":(\d+)/g)) seqs.push(Number(match[1]));
        });
      }
    };
  });
}

const seenSeqs = (page: Page) => page.evaluate(() => (window as unknown as { seenSeqs: number[] }).seenSeqs);
const status = (page: Page, text: RegExp, timeout = 40_000) => page.getByTestId('status').filter({ hasText: text }).waitFor({ timeout });

it('a dropped link resumes with nothing missing: every seq arrives once, in order', async () => {
  const relay = await spawnRelay({ SIM: '1', SIM_SEED: '7', SIM_SPEED: '4' });
  proxy = new LinkProxy(Number(new URL(relay.url).port));
  await proxy.open();
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await recordSeqs(page);
  await page.goto(`http://127.0.0.1:${proxy.port}/`);
  await status(page, /^live/);
  await page.waitForFunction(() => window.aeolian!.stats.strikesReceived > 5, null, { timeout: 20_000 });

  await proxy.cut();
  await status(page, /reconnecting/, 10_000);
  const lastBefore = await page.evaluate(() => window.aeolian!.stats.lastSeq!);
  // Strikes keep happening at the relay meanwhile: a viewer on a direct link sees ten go by.
  const direct = await record(relay.ws('/live'));
  try {
    await direct.waitFor(() => (direct.strikes().at(-1)?.seq ?? 0) > lastBefore + 10, 20_000);
  } finally {
    direct.close();
  }
  await proxy.open();
  await status(page, /^live/);
  await page.waitForFunction((last) => window.aeolian!.stats.lastSeq! > last + 10, lastBefore, { timeout: 20_000 });

  const seqs = await seenSeqs(page);
  expect(seqs.length).toBeGreaterThan(20); // before, during and after the cut
  const first = seqs[0]!;
  const unique = new Set(seqs);
  expect(unique.size).toBe(seqs.length); // the relay resent nothing the page already had
  const expected = Array.from({ length: seqs.at(-1)! - first + 1 }, (_, i) => first + i);
  expect(seqs).toEqual(expected);
  const stats = await page.evaluate(() => ({ ...window.aeolian!.stats }));
  expect(stats.reconnects).toBeGreaterThanOrEqual(1);
  expect(stats.seqMissing).toBe(0);
  expect(await page.getByTestId('notice').isHidden()).toBe(true);
});

it('a relay restarted without persistence is reported as a new epoch', async () => {
  const first = await spawnRelay({ SIM: '1', SIM_SEED: '8', SIM_SPEED: '4' });
  const port = new URL(first.url).port;
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(first.url);
  await status(page, /^live/);
  await page.waitForFunction(() => window.aeolian!.stats.strikesReceived > 3, null, { timeout: 20_000 });

  first.child.kill('SIGKILL');
  await first.exited;
  await status(page, /reconnecting/, 10_000);
  await spawnRelay({ SIM: '1', SIM_SEED: '9', PORT: port });
  await status(page, /^live/);
  await expect.poll(() => page.getByTestId('notice').textContent(), { timeout: 5_000 }).toMatch(/relay restarted/);
  const received = await page.evaluate(() => window.aeolian!.stats.strikesReceived);
  await page.waitForFunction((n) => window.aeolian!.stats.strikesReceived > n, received, { timeout: 20_000 });
});
