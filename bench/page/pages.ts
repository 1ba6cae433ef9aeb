// Opening the pages bench:page measures, each with its instruments and a CDP session: ours
// (`?bench=1`, sound on after Listen) and the naive SVG baseline.
import type { BrowserContext } from 'playwright-core';
import { setTimeout as sleep } from 'node:timers/promises';
import { installPageInstruments } from './pageInstruments';
import type { PageUnderTest } from './phase';

const PAGE_READY_TIMEOUT_MS = 15_000;
const NAIVE_SETTLE_MS = 500;

export interface OursOptions {
  listen: boolean;
  /** Visual settings patched in before measuring (A/B of picture knobs). */
  visualPatch: Record<string, unknown>;
  /** CDP Emulation.setCPUThrottlingRate, applied once the page is live (1: none). */
  cpuThrottleRate?: number;
}

async function open(context: BrowserContext, kind: PageUnderTest['kind']): Promise<PageUnderTest> {
  const page = await context.newPage();
  await installPageInstruments(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  return { kind, page, cdp };
}

export async function openOurs(context: BrowserContext, relayUrl: string, options: OursOptions): Promise<PageUnderTest> {
  const target = await open(context, 'ours');
  const { page, cdp } = target;
  await page.goto(`${relayUrl}/?bench=1`);
  await page.getByTestId('status').filter({ hasText: 'live' }).waitFor({ timeout: PAGE_READY_TIMEOUT_MS });
  await page.evaluate((patch) => window.aeolian!.store.getState().setVisual(patch), options.visualPatch);
  if (options.listen) {
    await page.getByTestId('listen').click();
    await page.getByTestId('mute').waitFor({ timeout: PAGE_READY_TIMEOUT_MS });
  }
  if (options.cpuThrottleRate && options.cpuThrottleRate !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.cpuThrottleRate });
  return target;
}

export async function openNaive(context: BrowserContext, baselineUrl: string): Promise<PageUnderTest> {
  const target = await open(context, 'naive');
  await target.page.goto(baselineUrl);
  await target.page.waitForFunction(() => window.naive !== undefined);
  await sleep(NAIVE_SETTLE_MS);
  return target;
}

export async function closePage(target: PageUnderTest): Promise<void> {
  await target.cdp.detach().catch(() => undefined);
  await target.page.close().catch(() => undefined);
}
