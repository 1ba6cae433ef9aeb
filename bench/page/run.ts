// `npm run bench:page`: the live page in headless Chromium against a local relay fed by device
// sockets. Sections, each with the machine's load at its start and end: rows (every rate, every run
// of a back-to-back set), the naive SVG baseline at the same rates, phone rows (4x CPU throttle,
// 390x844), ceilings with frames uncapped (ours and naive), and memory (per 1,000 live circles and
// over BENCH_MEMORY_MINUTES at 500/s). Results go to docs/benchmarks.md (section "page"); the knobs
// are listed there under "Live page".
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'vite';
import type WebSocket from 'ws';
import { CHROMIUM_PATH, launchBrowser, type Browser } from '../../e2e/support/browser';
import { createLogger } from '../../src/relay/log';
import { startRelay } from '../../src/relay/server';
import { openBenchDevices } from '../relay/benchDevices';
import { benchStations } from '../relay/benchStations';
import { writeDocSection } from '../relay/docSection';
import { searchCeiling, type CeilingOptions } from './ceiling';
import { memoryOverTime, memoryPerCircles, type CirclesMemory } from './memory';
import { serveNaiveBaseline } from './naiveBaseline';
import { closePage, openNaive, openOurs, type OursOptions } from './pages';
import { measurePhase, waitForQuiet, type PageUnderTest, type PhaseResult } from './phase';
import { startPageProfile } from './profile';
import { initialJsGzipBytes, pageReport, type PageResults, type Section } from './report';

const list = (name: string, fallback: number[]) =>
  process.env[name] !== undefined ? process.env[name]!.split(',').filter(Boolean).map(Number) : fallback;
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const RATES = list('BENCH_PAGE_RATES', [50, 200, 500, 1_000, 2_000]);
const RUNS = num('BENCH_PAGE_RUNS', 3);
const PHASE_MS = num('BENCH_PAGE_PHASE_MS', 10_000);
/** Between phases, so the last phase's circles and voices have died away. */
const SETTLE_MS = num('BENCH_PAGE_SETTLE_MS', 3_000);
const NAIVE_RUNS = num('BENCH_PAGE_NAIVE_RUNS', 1);
const PHONE_RATES = list('BENCH_PAGE_PHONE_RATES', RATES);
const PHONE_RUNS = num('BENCH_PAGE_PHONE_RUNS', RUNS);
const PHONE_CPU_THROTTLE = 4;
const PHONE_VIEWPORT = { width: 390, height: 844 };
const DESKTOP_VIEWPORT = { width: 1280, height: 800 };
const CEILING = process.env.BENCH_PAGE_CEILING !== '0';
const CEILING_OPTIONS: CeilingOptions = {
  by: process.env.BENCH_PAGE_CEILING_BY === 'task' ? 'task' : 'cpu',
  startRate: num('BENCH_PAGE_CEILING_START', 250),
  minRate: num('BENCH_PAGE_CEILING_MIN', 25),
  maxRate: num('BENCH_PAGE_CEILING_MAX', 160_000),
  bisectSteps: num('BENCH_PAGE_CEILING_STEPS', 3),
  phaseMs: num('BENCH_PAGE_CEILING_PHASE_MS', 5_000),
  warmupMs: num('BENCH_PAGE_CEILING_WARMUP_MS', 2_500),
  settleMs: SETTLE_MS,
};
const UNCAPPED_FRAME_ARGS = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];
const CIRCLE_MEMORY_RATES = list('BENCH_PAGE_CIRCLE_MEMORY_RATES', [500, 2_000]);
const MEMORY_RATE = num('BENCH_PAGE_MEMORY_RATE', 500);
const MEMORY_MINUTES = num('BENCH_MEMORY_MINUTES', 10);
const MEMORY_SAMPLE_MS = num('BENCH_PAGE_MEMORY_SAMPLE_S', 60) * 1000;
/** BENCH_PAGE_PROFILE=1 profiles the desktop rows, =phone the phone's (throttled, 390x844). */
const PROFILE = process.env.BENCH_PAGE_PROFILE;
const OURS: OursOptions = {
  listen: process.env.BENCH_PAGE_NO_AUDIO !== '1',
  visualPatch: JSON.parse(process.env.BENCH_PAGE_VISUAL ?? '{}') as Record<string, unknown>,
};
const WRITE_DOC = process.env.BENCH_WRITE !== '0';

/** Runs one section of the bench, noting the machine's load average at its start and end. */
async function section<T>(name: string, work: () => Promise<T>): Promise<Section<T>> {
  const loadStart = loadavg();
  console.log(`--- ${name}`);
  const result = await work();
  return { result, loadStart, loadEnd: loadavg() };
}

/** Every rate, `runs` times over, run after run: the set the tables show whole. */
async function rows(target: PageUnderTest, devices: WebSocket[], rates: number[], runs: number): Promise<PhaseResult[]> {
  const results: PhaseResult[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const rate of rates) {
      const phase = await measurePhase(target, devices, rate, PHASE_MS, run);
      results.push(phase);
      const { longFrames, ...summary } = phase;
      console.log(target.kind, { ...summary, longFrames: longFrames.length });
      await waitForQuiet(target);
      await sleep(SETTLE_MS);
    }
  }
  return results;
}

async function withBrowser<T>(options: Parameters<typeof launchBrowser>[0], work: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchBrowser(options);
  try {
    return await work(browser);
  } finally {
    await browser.close();
  }
}

async function withPage<T>(opening: Promise<PageUnderTest>, work: (target: PageUnderTest) => Promise<T>): Promise<T> {
  const target = await opening;
  try {
    return await work(target);
  } finally {
    await closePage(target);
  }
}

async function profileOnly(relayUrl: string, devices: WebSocket[], phone: boolean): Promise<void> {
  const launch = phone ? { viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true } : { viewport: DESKTOP_VIEWPORT };
  const options = phone ? { ...OURS, cpuThrottleRate: PHONE_CPU_THROTTLE } : OURS;
  await withBrowser(launch, (browser) =>
    withPage(openOurs(browser.context, relayUrl, options), async (ours) => {
      const stop = await startPageProfile(ours.cdp);
      await rows(ours, devices, phone ? PHONE_RATES : RATES, 1);
      console.log(await stop());
    }),
  );
}

/** Heap and canvas per 1,000 live circles (ours and naive), then ours over BENCH_MEMORY_MINUTES. */
async function memory(browser: Browser, relayUrl: string, baselineUrl: string, devices: WebSocket[]): Promise<NonNullable<PageResults['memory']>['result']> {
  const perCircles = async (open: () => Promise<PageUnderTest>): Promise<CirclesMemory[]> => {
    if (CIRCLE_MEMORY_RATES.length === 0) return [];
    return withPage(open(), async (target) => {
      const measured: CirclesMemory[] = [];
      for (const rate of CIRCLE_MEMORY_RATES) measured.push(await memoryPerCircles(target, devices, rate, Math.max(PHASE_MS / 2, 2_000), SETTLE_MS));
      return measured;
    });
  };
  const ours = await perCircles(() => openOurs(browser.context, relayUrl, OURS));
  const naive = await perCircles(() => openNaive(browser.context, baselineUrl));
  const overTime =
    MEMORY_MINUTES > 0 ? await withPage(openOurs(browser.context, relayUrl, OURS), (target) => memoryOverTime(target, devices, MEMORY_RATE, MEMORY_MINUTES, MEMORY_SAMPLE_MS)) : [];
  return { ours, naive, overTime, overTimeRate: MEMORY_RATE };
}

async function main(): Promise<void> {
  await build({ logLevel: 'warn' });
  const initial = initialJsGzipBytes('dist');
  const relay = await startRelay({ port: 0, stations: benchStations(), logger: createLogger('warn'), distDir: 'dist' });
  const devices = await openBenchDevices(Number(new URL(relay.url).port));
  const baseline = await serveNaiveBaseline(`${relay.url.replace(/^http/, 'ws')}/live`);
  const startedAt = new Date();
  try {
    if (PROFILE) return await profileOnly(relay.url, devices, PROFILE === 'phone');
    const results: PageResults = { initial, startedAt, chromium: execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' }).trim() };
    await withBrowser({ viewport: DESKTOP_VIEWPORT }, async (browser) => {
      results.ours = await section('rows: ours', () =>
        withPage(openOurs(browser.context, relay.url, OURS), async (ours) => ({
          idle: await measurePhase(ours, devices, 0, PHASE_MS),
          rows: await rows(ours, devices, RATES, RUNS),
        })),
      );
      if (NAIVE_RUNS > 0) results.naive = await section('rows: naive', () => withPage(openNaive(browser.context, baseline.url), (naive) => rows(naive, devices, RATES, NAIVE_RUNS)));
    });
    if (PHONE_RATES.length > 0 && PHONE_RUNS > 0) {
      results.phone = await section('rows: phone', () =>
        withBrowser({ viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true }, (browser) =>
          withPage(openOurs(browser.context, relay.url, { ...OURS, cpuThrottleRate: PHONE_CPU_THROTTLE }), (ours) => rows(ours, devices, PHONE_RATES, PHONE_RUNS)),
        ),
      );
    }
    if (CEILING) {
      results.ceilings = await section('ceilings', () =>
        withBrowser({ viewport: DESKTOP_VIEWPORT, extraArgs: UNCAPPED_FRAME_ARGS }, async (browser) => ({
          ours: await withPage(openOurs(browser.context, relay.url, OURS), (ours) => searchCeiling(ours, devices, CEILING_OPTIONS)),
          naive: await withPage(openNaive(browser.context, baseline.url), (naive) => searchCeiling(naive, devices, CEILING_OPTIONS)),
        })),
      );
    }
    if (CIRCLE_MEMORY_RATES.length > 0 || MEMORY_MINUTES > 0) {
      results.memory = await section('memory', () => withBrowser({ viewport: DESKTOP_VIEWPORT }, (browser) => memory(browser, relay.url, baseline.url, devices)));
    }
    const body = pageReport(results, { phaseMs: PHASE_MS, settleMs: SETTLE_MS, runs: RUNS, phoneThrottle: PHONE_CPU_THROTTLE, phoneViewport: PHONE_VIEWPORT, ceiling: CEILING_OPTIONS });
    console.log(body);
    if (WRITE_DOC) writeDocSection('docs/benchmarks.md', 'page', 'Live page (bench/page)', body);
  } finally {
    for (const device of devices) device.terminate();
    await baseline.close();
    await relay.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
