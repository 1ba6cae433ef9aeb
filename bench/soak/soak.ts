// The soak: the live page in headless Chromium, behind a TCP proxy, against a relay with simulated
// stations running fast, for a long time, with the relay restarted twice and the link cut once.
// Samples heap (after a forced GC), DOM nodes, circles, voices and the relay's RSS on a schedule;
// then checks nothing grew, no voice got stuck, and every strike after each (re)connect arrived.
import { setTimeout as sleep } from 'node:timers/promises';
import { launchBrowser, type Browser } from '../../e2e/support/browser';
import { LinkProxy } from '../../test/support/linkProxy';
import { pageSeqs, recordSeqsPerEpoch, samplePage, type EpochRecord, type PageSample } from './pageProbe';
import { StrikeRecorder } from './recorder';
import { freePort, startRelayChild, type RelayChild } from './relayChild';

/** Heap and DOM nodes at the end may differ from the first sample after warm-up by at most this. */
export const SOAK_GROWTH_LIMIT = 0.1;
/** After the link is cut at the end, every voice must have ended within this. */
export const VOICE_RELEASE_WAIT_MS = 15_000;

export interface SoakSchedule {
  durationMs: number;
  sampleEveryMs: number;
  /** Samples before this are warm-up; the first one at or after it is the baseline. */
  warmUpMs: number;
  restartsAtMs: number[];
  cutAtMs: number;
  cutForMs: number;
}

export const FULL_SCHEDULE: SoakSchedule = {
  durationMs: 11 * 60_000,
  sampleEveryMs: 60_000,
  warmUpMs: 2 * 60_000,
  restartsAtMs: [3.5 * 60_000, 7.5 * 60_000],
  cutAtMs: 5 * 60_000,
  cutForMs: 60_000,
};

export const SHORT_SCHEDULE: SoakSchedule = {
  durationMs: 120_000,
  sampleEveryMs: 10_000,
  warmUpMs: 20_000,
  restartsAtMs: [35_000, 95_000],
  cutAtMs: 55_000,
  cutForMs: 20_000,
};

export interface SoakSample extends PageSample {
  atMs: number;
  relayRssBytes: number | null;
  event: string;
}

export interface EpochAccount {
  epoch: string;
  /** Strikes the relay published after the page's first hello in this epoch. */
  expected: number;
  received: number;
  missing: number;
  /** Seqs the page has that the relay never published. */
  invented: number;
  backwards: number;
}

export interface SoakResult {
  schedule: SoakSchedule;
  simSpeed: number;
  samples: SoakSample[];
  baseline: SoakSample;
  final: SoakSample;
  heapGrowth: number;
  domGrowth: number;
  voicesAfterStop: number;
  epochs: EpochAccount[];
  reconnects: number;
  ok: boolean;
  failures: string[];
}

export interface SoakOptions {
  schedule: SoakSchedule;
  simSpeed?: number;
  seed?: number;
  log?: (line: string) => void;
}

export async function runSoak({ schedule, simSpeed = 10, seed = 4242, log = () => undefined }: SoakOptions): Promise<SoakResult> {
  const relayPort = await freePort();
  let relays = 0;
  const relayEnv = () => ({ SIM_SPEED: String(simSpeed), SIM_SEED: String(seed + relays++) });
  let relay: RelayChild = await startRelayChild(relayPort, relayEnv());
  const recorder = new StrikeRecorder(`ws://127.0.0.1:${relayPort}/live`);
  recorder.start();
  const proxy = new LinkProxy(relayPort);
  // Everything started above is stopped in finally, also when the proxy or the browser fails to start.
  let browser: Browser | undefined;
  try {
    await proxy.open();
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    await recordSeqsPerEpoch(page);
    await page.goto(`http://127.0.0.1:${proxy.port}/`);
    await page.getByTestId('status').filter({ hasText: /^live/ }).waitFor({ timeout: 20_000 });
    // A synthetic click: whatever panel may overlap the button, Listen's handler runs as from a click.
    await page.getByTestId('listen').dispatchEvent('click');
    await page.getByTestId('mute').waitFor({ timeout: 20_000 });
    const cdp = await browser.context.newCDPSession(page);
    const started = Date.now();
    const elapsed = () => Date.now() - started;

    type Step = { atMs: number; name: string; run: () => Promise<void> };
    const steps: Step[] = [];
    for (let at = 0; at <= schedule.durationMs; at += schedule.sampleEveryMs) steps.push({ atMs: at, name: 'sample', run: async () => undefined });
    schedule.restartsAtMs.forEach((at, i) =>
      steps.push({
        atMs: at,
        name: `relay restart ${i + 1}`,
        run: async () => {
          await relay.stop();
          relay = await startRelayChild(relayPort, relayEnv());
        },
      }),
    );
    steps.push({ atMs: schedule.cutAtMs, name: 'link cut', run: () => proxy.cut() });
    steps.push({
      atMs: schedule.cutAtMs + schedule.cutForMs,
      name: 'link restored',
      run: async () => {
        await proxy.open();
        // The page's backoff may wait up to RECONNECT_CAP_MS; a relay restart before it resumed would
        // lose the cut's strikes by design (no history across restarts), so let it resume first.
        await page.waitForFunction(() => window.aeolian!.store.getState().connection.state === 'live', null, { timeout: 60_000 });
      },
    });
    steps.sort((a, b) => a.atMs - b.atMs || (a.name === 'sample' ? 1 : -1));

    const samples: SoakSample[] = [];
    let pendingEvents: string[] = [];
    for (const step of steps) {
      await sleep(Math.max(0, step.atMs - elapsed()));
      if (step.name !== 'sample') {
        await step.run();
        pendingEvents.push(step.name);
        log(`${(elapsed() / 1000).toFixed(0)} s: ${step.name}`);
        continue;
      }
      const sample: SoakSample = { atMs: step.atMs, relayRssBytes: relay.rssBytes(), event: pendingEvents.join(', '), ...(await samplePage(page, cdp)) };
      pendingEvents = [];
      samples.push(sample);
      log(
        `${(elapsed() / 1000).toFixed(0)} s: heap ${(sample.heapUsedBytes / 1e6).toFixed(2)} MB, ${sample.domNodes} nodes, ` +
          `${sample.circlesActive} circles, ${sample.voicesActive} voices, ${sample.strikesReceived} strikes, relay ${((sample.relayRssBytes ?? 0) / 1e6).toFixed(0)} MB ${sample.event}`,
      );
    }

    // Accounting first (the link is still up), then cut it so strikes stop and voices must end.
    await page.waitForFunction(() => window.aeolian!.store.getState().connection.state === 'live', null, { timeout: 60_000 });
    await sleep(2_000);
    const epochs = account(recorder.epochs, await pageSeqs(page));
    const reconnects = await page.evaluate(() => window.aeolian!.stats.reconnects);
    await proxy.cut();
    await sleep(VOICE_RELEASE_WAIT_MS);
    const voicesAfterStop = await page.evaluate(() => window.aeolian!.stats.voicesActive);

    const baseline = samples.find((s) => s.atMs >= schedule.warmUpMs)!;
    const final = samples.at(-1)!;
    const heapGrowth = final.heapUsedBytes / baseline.heapUsedBytes - 1;
    const domGrowth = final.domNodes / baseline.domNodes - 1;
    const failures: string[] = [];
    if (Math.abs(heapGrowth) > SOAK_GROWTH_LIMIT) failures.push(`heap changed ${(heapGrowth * 100).toFixed(1)}% from the baseline`);
    if (Math.abs(domGrowth) > SOAK_GROWTH_LIMIT) failures.push(`DOM nodes changed ${(domGrowth * 100).toFixed(1)}% from the baseline`);
    if (voicesAfterStop !== 0) failures.push(`${voicesAfterStop} voices still sounding ${VOICE_RELEASE_WAIT_MS / 1000} s after strikes stopped`);
    if (epochs.length !== schedule.restartsAtMs.length + 1) failures.push(`page saw ${epochs.length} epochs, expected ${schedule.restartsAtMs.length + 1}`);
    for (const e of epochs) {
      if (e.missing || e.invented || e.backwards) failures.push(`epoch ${e.epoch}: ${e.missing} missing, ${e.invented} invented, ${e.backwards} backwards`);
    }
    return { schedule, simSpeed, samples, baseline, final, heapGrowth, domGrowth, voicesAfterStop, epochs, reconnects, ok: failures.length === 0, failures };
  } finally {
    recorder.close();
    await browser?.close();
    await proxy.cut();
    await relay.stop();
  }
}

/** Per epoch: every seq the relay published after the page's first hello in it, against what the page got. */
export function account(published: Map<string, Set<number>>, page: Record<string, EpochRecord>): EpochAccount[] {
  const epochs = Object.keys(page);
  return epochs.map((epoch, index) => {
    const record = page[epoch]!;
    const relaySeqs = published.get(epoch) ?? new Set<number>();
    const got = new Set<number>();
    for (const [from, to] of record.ranges) for (let seq = from; seq <= to; seq++) got.add(seq);
    const lastEpoch = index === epochs.length - 1;
    // A finished epoch must be complete to its end; the running one up to what both have seen.
    const end = lastEpoch ? Math.min(maxOf(relaySeqs), maxOf(got)) : maxOf(relaySeqs);
    let expected = 0;
    let missing = 0;
    for (const seq of relaySeqs) {
      if (seq <= record.helloSeq || seq > end) continue;
      expected++;
      if (!got.has(seq)) missing++;
    }
    let invented = 0;
    for (const seq of got) if (!relaySeqs.has(seq)) invented++;
    return { epoch, expected, received: got.size, missing, invented, backwards: record.backwards };
  });
}

function maxOf(seqs: Iterable<number>): number {
  let max = 0;
  for (const seq of seqs) if (seq > max) max = seq;
  return max;
}
