// `npm run bench:page`: the live page in headless Chromium against a local relay fed at 50, 200,
// 500 and 1000 strikes/s for 10 s each: frame intervals, draw work per frame, long animation
// frames, strike -> circle and strike -> sound latency, notes, JS heap, and the initial JS (gzip)
// before Listen; then the same feed through a naive SVG + d3-transition page for comparison.
// Results go to docs/benchmarks.md (section "page").
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import WebSocket from 'ws';
import { launchBrowser } from '../../e2e/support/browser';
import { createLogger } from '../../src/relay/log';
import { startRelay } from '../../src/relay/server';
import { benchStations, benchToken, BENCH_DEVICES } from '../relay/benchStations';
import { writeDocSection } from '../relay/docSection';
import { serveNaiveBaseline } from './naiveBaseline';

const RATES_PER_S = (process.env.RATES ?? '0,50,200,500,1000').split(',').map(Number);
/** PROFILE=1: ours only, with a CPU profile of the page written to tmp/page.cpuprofile. */
const PROFILE = process.env.PROFILE === '1';
const NO_AUDIO = process.env.NO_AUDIO === '1';
/** VISUAL='{"circleStyle":"stroke"}': visual settings patched in before measuring (A/B of picture knobs). */
const VISUAL_PATCH = JSON.parse(process.env.VISUAL ?? '{}') as Record<string, unknown>;
const PHASE_MS = Number(process.env.PHASE_MS ?? 10_000);
/** Between phases, so the last phase's circles and voices have died away. */
const SETTLE_MS = 3_000;
const FEED_TICK_MS = 10;
const INITIAL_JS_TARGET_KB = 120;

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const intervals = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

/** The gzip size of every script index.html loads before Listen (entry + modulepreloads). */
function initialJsGzipBytes(dist: string): { bytes: number; files: string[] } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const bytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(dist, file)), { level: 9 }).length, 0);
  return { bytes, files };
}

async function openDevices(port: number): Promise<WebSocket[]> {
  return Promise.all(
    Array.from({ length: BENCH_DEVICES }, (_, index) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/device`, { headers: { Authorization: `Bearer ${benchToken(index)}` } });
      return new Promise<WebSocket>((resolve, reject) => {
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      });
    }),
  );
}

/** Sends `ratePerS` strikes/s spread over the devices for `durationMs`, as compact frames. */
async function feed(devices: WebSocket[], ratePerS: number, durationMs: number): Promise<number> {
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

async function observeLongFrames(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const entries: { start: number; duration: number; blocking: number }[] = [];
    (window as unknown as { longFrames: typeof entries }).longFrames = entries;
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { blockingDuration?: number })[]) {
          entries.push({ start: entry.startTime, duration: entry.duration, blocking: entry.blockingDuration ?? 0 });
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    } catch {
      // LoAF unsupported: reported as "–"
    }
  });
}

interface PhaseResult {
  rate: number;
  received: number;
  frameP50: number;
  frameP95: number;
  drawP50: number;
  drawP95: number;
  longFrames: number;
  longBlockingMs: number;
  drawnP50: number;
  drawnP99: number;
  drawnFramesP99: number;
  soundP50: number;
  soundP99: number;
  notes: { played: number; merged: number; dropped: number };
  heapMb: number;
}

async function measurePhase(page: Page, devices: WebSocket[], rate: number, naive: boolean): Promise<PhaseResult> {
  const before = await page.evaluate((isNaive) => {
    const w = window as unknown as { naive?: { frameTimes: number[]; strikes: number }; aeolian?: Window['aeolian'] };
    if (isNaive) w.naive!.frameTimes.length = 0;
    else for (const samples of Object.values(w.aeolian!.bench!)) (samples as number[]).length = 0;
    const engine = w.aeolian?.stats;
    return {
      t: performance.now(),
      strikes: isNaive ? w.naive!.strikes : engine!.strikesReceived,
      played: engine?.notesPlayed ?? 0,
      dropped: engine?.notesDropped ?? 0,
      merged: engine?.notesMerged ?? 0,
    };
  }, naive);
  await feed(devices, rate, PHASE_MS);
  await sleep(300);
  const after = await page.evaluate(
    ({ isNaive, since }) => {
      const w = window as unknown as {
        naive?: { frameTimes: number[]; strikes: number };
        aeolian?: Window['aeolian'];
        longFrames: { start: number; duration: number; blocking: number }[];
      };
      const long = w.longFrames.filter((entry) => entry.start >= since);
      return {
        frameTimes: isNaive ? [...w.naive!.frameTimes] : [...w.aeolian!.bench!.frameTimes],
        drawWork: isNaive ? [] : [...w.aeolian!.bench!.drawWorkMs],
        drawn: isNaive ? [] : [...w.aeolian!.bench!.drawLatencyMs],
        drawnFrames: isNaive ? [] : [...w.aeolian!.bench!.drawLatencyFrames],
        sound: isNaive ? [] : [...w.aeolian!.bench!.audioLatencyMs],
        strikes: isNaive ? w.naive!.strikes : w.aeolian!.stats.strikesReceived,
        played: w.aeolian?.stats.notesPlayed ?? 0,
        dropped: w.aeolian?.stats.notesDropped ?? 0,
        merged: w.aeolian?.stats.notesMerged ?? 0,
        longFrames: long.length,
        longBlockingMs: long.reduce((sum, entry) => sum + entry.blocking, 0),
        heap: (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN,
      };
    },
    { isNaive: naive, since: before.t },
  );
  const frames = intervals(after.frameTimes);
  return {
    rate,
    received: after.strikes - before.strikes,
    frameP50: percentile(frames, 50),
    frameP95: percentile(frames, 95),
    drawP50: percentile(after.drawWork, 50),
    drawP95: percentile(after.drawWork, 95),
    longFrames: after.longFrames,
    longBlockingMs: after.longBlockingMs,
    drawnP50: percentile(after.drawn, 50),
    drawnP99: percentile(after.drawn, 99),
    drawnFramesP99: percentile(after.drawnFrames, 99),
    soundP50: percentile(after.sound, 50),
    soundP99: percentile(after.sound, 99),
    notes: { played: after.played - before.played, merged: after.merged - before.merged, dropped: after.dropped - before.dropped },
    heapMb: after.heap / 2 ** 20,
  };
}

async function main(): Promise<void> {
  await build({ logLevel: 'warn' });
  const initial = initialJsGzipBytes('dist');
  const relay = await startRelay({ port: 0, stations: benchStations(), logger: createLogger('warn'), distDir: 'dist' });
  const port = Number(new URL(relay.url).port);
  const devices = await openDevices(port);
  const browser = await launchBrowser({ viewport: { width: 1280, height: 800 } });
  const ours: PhaseResult[] = [];
  const naive: PhaseResult[] = [];
  const loadBefore = loadavg()[0]!;
  try {
    const page = await browser.context.newPage();
    await observeLongFrames(page);
    await page.goto(`${relay.url}/?bench=1`);
    await page.getByTestId('status').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
    await page.evaluate((patch) => window.aeolian!.store.getState().setVisual(patch), VISUAL_PATCH);
    if (!NO_AUDIO) {
      await page.getByTestId('listen').click();
      await page.getByTestId('mute').waitFor({ timeout: 15_000 });
    }
    const cdp = PROFILE ? await page.context().newCDPSession(page) : null;
    const traceEvents: { name: string; dur?: number; tid: number; ph: string }[] = [];
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
      cdp.on('Tracing.dataCollected', (event) => traceEvents.push(...(event.value as unknown as typeof traceEvents)));
      await cdp.send('Tracing.start', { categories: 'devtools.timeline,blink,cc,gpu,v8', transferMode: 'ReportEvents' });
    }
    for (const rate of RATES_PER_S) {
      ours.push(await measurePhase(page, devices, rate, false));
      console.log('page', ours.at(-1));
      await sleep(SETTLE_MS);
    }
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync('tmp/page.cpuprofile', JSON.stringify(profile));
      const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await done;
      // Where the renderer's time goes: complete events by name and thread, top level only by name.
      const byName = new Map<string, number>();
      for (const event of traceEvents) {
        if (event.ph !== 'X' || !event.dur) continue;
        const key = `${event.tid} ${event.name}`;
        byName.set(key, (byName.get(key) ?? 0) + event.dur / 1000);
      }
      console.log([...byName].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, v]) => `${v.toFixed(0).padStart(8)} ms  ${k}`).join('\n'));
      return;
    }
    await page.close();

    const baseline = await serveNaiveBaseline(`ws://127.0.0.1:${port}/live`);
    try {
      const naivePage = await browser.context.newPage();
      await observeLongFrames(naivePage);
      await naivePage.goto(baseline.url);
      await naivePage.waitForFunction(() => (window as unknown as { naive?: unknown }).naive !== undefined);
      await sleep(500);
      for (const rate of RATES_PER_S) {
        naive.push(await measurePhase(naivePage, devices, rate, true));
        console.log('naive', naive.at(-1));
        await sleep(SETTLE_MS);
      }
    } finally {
      await baseline.close();
    }
  } finally {
    await browser.close();
    for (const device of devices) device.terminate();
    await relay.close();
  }
  writeReport(initial, ours, naive, [loadBefore, loadavg()[0]!]);
}

function writeReport(initial: { bytes: number; files: string[] }, ours: PhaseResult[], naive: PhaseResult[], load: number[]): void {
  const kb = initial.bytes / 1024;
  const rows = ours.map((o, i) => {
    const n = naive[i]!;
    return `| ${o.rate} | ${o.received} | ${ms(o.frameP50)} / ${ms(o.frameP95)} | ${ms(o.drawP50)} / ${ms(o.drawP95)} | ${o.longFrames} (${ms(o.longBlockingMs)} ms) | ${ms(o.drawnP50)} / ${ms(o.drawnP99)} (${Number.isFinite(o.drawnFramesP99) ? o.drawnFramesP99 : '–'}) | ${ms(o.soundP50)} / ${ms(o.soundP99)} | ${o.notes.played} / ${o.notes.merged} / ${o.notes.dropped} | ${o.heapMb.toFixed(1)} | ${ms(n.frameP50)} / ${ms(n.frameP95)} | ${n.longFrames} (${ms(n.longBlockingMs)} ms) | ${n.heapMb.toFixed(1)} | ${(n.frameP95 / o.frameP95).toFixed(2)}× |`;
  });
  const top = ours.at(-1)!;
  const body = `
Command: \`npm run bench:page\` (${PHASE_MS / 1000} s per rate; the relay runs in the bench process and is fed by
${BENCH_DEVICES} device sockets; headless Chromium at 1280×800, frames capped at 60 Hz as for a viewer; sound on
after Listen). Run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.

**Initial JS before Listen: ${kb.toFixed(1)} KB gzip** (${initial.files.join(', ')}; target ≤ ${INITIAL_JS_TARGET_KB} KB:
${kb <= INITIAL_JS_TARGET_KB ? 'met' : 'MISSED'}). Tone.js and the audio graph load only after Listen.

| strikes/s | received | frame interval p50 / p95 ms | draw work per frame p50 / p95 ms | long animation frames (blocking) | strike → circle drawn p50 / p99 ms (p99 in frames) | strike → sound scheduled p50 / p99 ms | notes played / merged / dropped | JS heap MB | naive SVG frame p50 / p95 ms | naive long frames (blocking) | naive heap MB | naive / ours frame p95 |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Machine load average (1 min) at start / end of the run: ${load.map((x) => x.toFixed(1)).join(' / ')} on 2 cores: other work on the
machine shows up in every column; the 0 strikes/s row is the idle floor of the same run. "Merged": strikes voiced
by swelling a ringing voice (density beyond the polyphony cap), not dropped.

Targets at 1000 strikes/s: frame p95 < 20 ms: **${top.frameP95 < 20 ? 'met' : 'missed'}** (${ms(top.frameP95)});
strike → drawn within one frame at p99: **${top.drawnFramesP99 <= 1 ? 'met' : 'missed'}** (drawn by frame ${top.drawnFramesP99} after arrival at p99; ${ms(top.drawnP99)} ms, which includes the wait for that frame);
strike → sound scheduled < 30 ms: **${top.soundP50 < 30 ? 'met at p50' : 'missed at p50'}${top.soundP99 < 30 ? ' and p99' : ''}** (${ms(top.soundP50)} / ${ms(top.soundP99)}).
"Strike → circle drawn" runs from the page's message handler to the first frame that draws the circle (in
frames: 1 = the frame right after arrival; a strike merged into a circle already on screen is not counted; the
per-station jitter buffer holds a strike back a few ms when an earlier one of its station arrived late, to keep
their spacing, which is what pushes some circles to a later frame); "sound
scheduled" adds the engine's look-ahead to the time the note is handed to it. Long animation frames are those
over 50 ms (Long Animation Frames API); "draw work" is the canvas drawing inside each frame.
`;
  writeDocSection('docs/benchmarks.md', 'page', 'Live page (bench/page)', body);
  console.log(body);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
