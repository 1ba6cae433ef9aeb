// One measured phase of bench:page: feed the relay at a rate for a while and read what the page
// did meanwhile: frames, main-thread work per frame (CDP Performance metrics), long animation frames
// with their scripts, strike -> circle and strike -> sound latency, notes and heap.
import type { CDPSession, Page } from 'playwright-core';
import { setTimeout as sleep } from 'node:timers/promises';
import type WebSocket from 'ws';
import type { LongFrame } from './pageInstruments';
import { dedicatedWorkerCpuMs } from './workerThreads';

declare global {
  interface Window {
    /** The naive baseline's own samples (bench/page/naiveBaseline.ts). */
    naive?: { frameTimes: number[]; strikes: number };
  }
}

const FEED_TICK_MS = 10;
/** After the feed stops, before reading: the last strikes reach the page. */
const DRAIN_MS = 300;

/** A page in the bench: ours (`?bench=1`, window.aeolian) or the naive SVG baseline (window.naive). */
export interface PageUnderTest {
  kind: 'ours' | 'naive';
  page: Page;
  cdp: CDPSession;
}

export interface PhaseResult {
  rate: number;
  /** 1-based run of the set this phase belongs to. */
  run: number;
  received: number;
  /** Of them, arrived older than a circle's lifetime (ours: counted, neither drawn nor played). */
  stale: number;
  frames: number;
  frameP50: number;
  frameP95: number;
  /** Renderer main-thread task time (CDP Performance TaskDuration) per frame drawn, ms. */
  workPerFrameMs: number;
  /** Of which script (ScriptDuration), ms. */
  scriptPerFrameMs: number;
  /** Main-thread CPU time (ThreadTime) per frame, ms: the tasks' work without waiting for a core. */
  cpuPerFrameMs: number;
  /** Share of the window the browser's dedicated-worker threads were on a core (work a page moves off its main thread), 0..n. */
  workerBusyShare: number;
  drawP50: number;
  drawP95: number;
  longFrames: LongFrame[];
  longBlockingMs: number;
  drawnP50: number;
  drawnP99: number;
  drawnFramesP99: number;
  soundP50: number;
  soundP99: number;
  notes: { played: number; merged: number; dropped: number };
  heapMb: number;
  circlesActive: number;
}

export const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const intervals = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

/** Sends `ratePerS` strikes/s spread over the devices for `durationMs`, as compact multi-strike frames. */
export async function feed(devices: WebSocket[], ratePerS: number, durationMs: number): Promise<number> {
  const start = performance.now();
  let sent = 0;
  let next = 0;
  while (performance.now() - start < durationMs) {
    const due = Math.floor(((performance.now() - start) / 1000) * ratePerS) - sent;
    const perDevice = new Map<number, number[]>();
    for (let i = 0; i < due; i++) {
      const device = next++ % devices.length;
      if (!perDevice.has(device)) perDevice.set(device, []);
      perDevice.get(device)!.push(Math.floor(Math.random() * 6));
    }
    for (const [device, chimes] of perDevice) devices[device]!.send(chimes.join(','));
    sent += due;
    await sleep(FEED_TICK_MS);
  }
  return sent;
}

/** The renderer main thread's cumulative task wall time, script time and CPU time, seconds. */
const QUIET_POLL_MS = 250;
const QUIET_MAX_MS = 30_000;

/** Waits until the page has taken in every strike sent (its count holds still), so a backlog from an overloaded phase does not run into the next. */
export async function waitForQuiet(target: PageUnderTest): Promise<void> {
  const received = () => target.page.evaluate(() => window.aeolian?.stats.strikesReceived ?? window.naive?.strikes ?? 0);
  let last = await received();
  for (let waited = 0; waited < QUIET_MAX_MS; waited += QUIET_POLL_MS) {
    await sleep(QUIET_POLL_MS);
    const now = await received();
    if (now === last) return;
    last = now;
  }
}

async function mainThreadSeconds(cdp: CDPSession): Promise<{ task: number; script: number; cpu: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  return { task: value('TaskDuration'), script: value('ScriptDuration'), cpu: value('ThreadTime') };
}

/**
 * Feeds `rate` strikes/s for `phaseMs` and measures that window. With `warmupMs`, the feed starts
 * that long before the window, so the page is in its steady state (circles alive) when it opens.
 */
export async function measurePhase(target: PageUnderTest, devices: WebSocket[], rate: number, phaseMs: number, run = 1, warmupMs = 0): Promise<PhaseResult> {
  const naive = target.kind === 'naive';
  const feeding = feed(devices, rate, warmupMs + phaseMs);
  await sleep(warmupMs);
  const before = await target.page.evaluate((isNaive) => {
    if (isNaive) window.naive!.frameTimes.length = 0;
    else for (const samples of Object.values(window.aeolian!.bench!)) (samples as number[]).length = 0;
    const engine = window.aeolian?.stats;
    return {
      t: performance.now(),
      strikes: isNaive ? window.naive!.strikes : engine!.strikesReceived,
      stale: engine?.strikesStale ?? 0,
      played: engine?.notesPlayed ?? 0,
      dropped: engine?.notesDropped ?? 0,
      merged: engine?.notesMerged ?? 0,
    };
  }, naive);
  const threadBefore = await mainThreadSeconds(target.cdp);
  const workerBefore = { cpuMs: dedicatedWorkerCpuMs(), at: performance.now() };
  await feeding;
  await sleep(DRAIN_MS);
  const threadAfter = await mainThreadSeconds(target.cdp);
  const workerBusyShare = Math.max(0, dedicatedWorkerCpuMs() - workerBefore.cpuMs) / (performance.now() - workerBefore.at);
  const after = await target.page.evaluate(
    ({ isNaive, since }) => {
      const bench = window.aeolian?.bench;
      return {
        frameTimes: isNaive ? [...window.naive!.frameTimes] : [...bench!.frameTimes],
        drawWork: isNaive ? [] : [...bench!.drawWorkMs],
        drawn: isNaive ? [] : [...bench!.drawLatencyMs],
        drawnFrames: isNaive ? [] : [...bench!.drawLatencyFrames],
        sound: isNaive ? [] : [...bench!.audioLatencyMs],
        strikes: isNaive ? window.naive!.strikes : window.aeolian!.stats.strikesReceived,
        stale: window.aeolian?.stats.strikesStale ?? 0,
        played: window.aeolian?.stats.notesPlayed ?? 0,
        dropped: window.aeolian?.stats.notesDropped ?? 0,
        merged: window.aeolian?.stats.notesMerged ?? 0,
        circles: isNaive ? document.querySelectorAll('circle').length : window.aeolian!.stats.circlesActive,
        longFrames: (window.benchLongFrames ?? []).filter((entry) => entry.start >= since),
      };
    },
    { isNaive: naive, since: before.t },
  );
  const { usedSize } = await target.cdp.send('Runtime.getHeapUsage');
  const frameCount = Math.max(1, after.frameTimes.length - 1);
  const frames = intervals(after.frameTimes);
  return {
    rate,
    run,
    received: after.strikes - before.strikes,
    stale: after.stale - before.stale,
    frames: after.frameTimes.length,
    frameP50: percentile(frames, 50),
    frameP95: percentile(frames, 95),
    workPerFrameMs: ((threadAfter.task - threadBefore.task) * 1000) / frameCount,
    scriptPerFrameMs: ((threadAfter.script - threadBefore.script) * 1000) / frameCount,
    cpuPerFrameMs: ((threadAfter.cpu - threadBefore.cpu) * 1000) / frameCount,
    workerBusyShare,
    drawP50: percentile(after.drawWork, 50),
    drawP95: percentile(after.drawWork, 95),
    longFrames: after.longFrames,
    longBlockingMs: after.longFrames.reduce((sum, entry) => sum + entry.blocking, 0),
    drawnP50: percentile(after.drawn, 50),
    drawnP99: percentile(after.drawn, 99),
    drawnFramesP99: percentile(after.drawnFrames, 99),
    soundP50: percentile(after.sound, 50),
    soundP99: percentile(after.sound, 99),
    notes: { played: after.played - before.played, merged: after.merged - before.merged, dropped: after.dropped - before.dropped },
    heapMb: usedSize / 2 ** 20,
    circlesActive: after.circles,
  };
}
