// The bench:page report for docs/benchmarks.md: every run of every set, the targets judged over all
// runs, the ceilings, memory, and where long animation frames went. Method text: docs/benchmarks.md.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { overReason, RECEIVED_SHARE_LIMIT, WORKER_BUSY_LIMIT, WORK_PER_FRAME_BUDGET_MS, type Ceiling, type CeilingOptions } from './ceiling';
import type { CirclesMemory, MemorySample } from './memory';
import { topOffenders } from './pageInstruments';
import type { PhaseResult } from './phase';
import { sourceLocator } from './sourceLocator';

const INITIAL_JS_TARGET_KB = 120;
const FRAME_P95_TARGET_MS = 20;
const SOUND_P99_TARGET_MS = 30;
const DRAWN_P99_TARGET_FRAMES = 1;
const PHONE_TARGET_RATE = 200;
const CEILING_RATIO_GOAL = 10;
const TOP_OFFENDERS = 8;
/** Uncapped, a page whose main thread is within budget should draw at least this often; if not, the limit is elsewhere. */
const FULL_FRAME_RATE_PER_S = 60;

export interface Section<T> {
  result: T;
  loadStart: number[];
  loadEnd: number[];
}

export interface PageResults {
  initial: { bytes: number; files: string[] };
  startedAt: Date;
  chromium: string;
  ours?: Section<{ idle: PhaseResult; rows: PhaseResult[] }>;
  naive?: Section<PhaseResult[]>;
  phone?: Section<PhaseResult[]>;
  ceilings?: Section<{ ours: Ceiling; naive: Ceiling }>;
  memory?: Section<{ ours: CirclesMemory[]; naive: CirclesMemory[]; overTime: MemorySample[]; overTimeRate: number }>;
}

export interface ReportSettings {
  phaseMs: number;
  settleMs: number;
  runs: number;
  phoneThrottle: number;
  phoneViewport: { width: number; height: number };
  ceiling: CeilingOptions;
}

/** The gzip size of every script index.html loads before Listen (entry + modulepreloads). */
export function initialJsGzipBytes(dist: string): { bytes: number; files: string[] } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const bytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(dist, file)), { level: 9 }).length, 0);
  return { bytes, files };
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const load = (s: Section<unknown>) =>
  `Load average (1 / 5 / 15 min) at the start ${s.loadStart.map((x) => x.toFixed(2)).join(' / ')}, at the end ${s.loadEnd.map((x) => x.toFixed(2)).join(' / ')}.`;
const metWord = (met: boolean, measured = true) => (measured ? `**${met ? 'met' : 'missed'}**` : 'not measured in this run');

const ROW_HEADER = [
  '| strikes/s | run | received (stale) | frame interval p50 / p95 ms | main-thread per frame ms: task time (script) / CPU | draw work per frame p50 / p95 ms | long animation frames (blocking ms) | strike → circle drawn p50 / p99 ms (p99 in frames) | strike → sound scheduled p50 / p99 ms | notes played / merged / dropped | live circles | JS heap MB |',
  '|---:|---:|---:|---|---|---|---|---|---|---|---:|---:|',
];

function row(p: PhaseResult, run: string): string {
  const frames = Number.isFinite(p.drawnFramesP99) ? p.drawnFramesP99 : '–';
  return (
    `| ${p.rate} | ${run} | ${p.received} (${p.stale}) | ${ms(p.frameP50)} / ${ms(p.frameP95)} | ${ms(p.workPerFrameMs)} (${ms(p.scriptPerFrameMs)}) / ${ms(p.cpuPerFrameMs)} | ${ms(p.drawP50)} / ${ms(p.drawP95)} | ` +
    `${p.longFrames.length} (${ms(p.longBlockingMs)}) | ${ms(p.drawnP50)} / ${ms(p.drawnP99)} (${frames}) | ${ms(p.soundP50)} / ${ms(p.soundP99)} | ` +
    `${p.notes.played} / ${p.notes.merged} / ${p.notes.dropped} | ${p.circlesActive} | ${p.heapMb.toFixed(1)} |`
  );
}

type Check = { name: string; ok: (p: PhaseResult) => boolean };
const FRAME_CHECK: Check = { name: `frame p95 < ${FRAME_P95_TARGET_MS} ms`, ok: (p) => p.frameP95 < FRAME_P95_TARGET_MS };
const SOUND_CHECK: Check = { name: `sound scheduled p99 < ${SOUND_P99_TARGET_MS} ms`, ok: (p) => p.soundP99 < SOUND_P99_TARGET_MS };
const DRAWN_CHECK: Check = { name: `drawn within ${DRAWN_P99_TARGET_FRAMES} frame at p99`, ok: (p) => p.drawnFramesP99 <= DRAWN_P99_TARGET_FRAMES };

/** Per rate: how many runs passed each check; a target is met only when every run of every rate passes. */
function verdict(phases: PhaseResult[], checks: Check[], rates?: number[]): { table: string[]; met: boolean; measured: boolean } {
  const byRate = [...new Set(phases.map((p) => p.rate))].filter((rate) => !rates || rates.includes(rate));
  let met = true;
  const table = [`| strikes/s | ${checks.map((c) => c.name).join(' | ')} | all runs |`, `|---:|${checks.map(() => '---|').join('')}---|`];
  for (const rate of byRate) {
    const runs = phases.filter((p) => p.rate === rate);
    const counts = checks.map((c) => runs.filter(c.ok).length);
    const all = counts.every((n) => n === runs.length);
    met &&= all;
    table.push(`| ${rate} | ${counts.map((n) => `${n}/${runs.length}`).join(' | ')} | ${all ? 'yes' : 'no'} |`);
  }
  return { table, met, measured: byRate.length > 0 };
}

const locate = sourceLocator('dist');

function offenders(title: string, phases: PhaseResult[]): string[] {
  const frames = phases.flatMap((p) => p.longFrames);
  const top = topOffenders(frames, TOP_OFFENDERS, locate);
  if (top.length === 0) return [`${title}: no long animation frames.`];
  return [
    `${title} (${frames.length} long animation frames, top ${top.length} by time):`,
    '',
    '| where (invoker -> function @ source file:line, or bundle:char) | ms | times |',
    '|---|---:|---:|',
    ...top.map((o) => `| \`${o.where.replaceAll('|', '\\|')}\` | ${o.ms.toFixed(0)} | ${o.count} |`),
  ];
}

function ceilingLines(c: Ceiling, by: CeilingOptions['by']): string[] {
  return c.steps.map((s) => {
    const over = overReason(s, by);
    const budget = over ? `over (${over})` : s.framesPerS < FULL_FRAME_RATE_PER_S ? 'within, but under 60 frames/s' : 'within';
    return `| ${c.kind} | ${s.rate} | ${s.receivedPerS.toFixed(0)} (${s.stalePerS.toFixed(0)}) | ${s.framesPerS.toFixed(0)} | ${ms(s.workPerFrameMs)} | ${ms(s.cpuPerFrameMs)} | ${(s.workerBusyShare * 100).toFixed(0)} | ${budget} |`;
  });
}

/**
 * Ours / naive, with bounds where a search did not close: a page never over budget has a ceiling of
 * at least the highest rate tried; a page over budget from the lowest has one below that rate.
 */
function ceilingRatio(ours: Ceiling, naive: Ceiling): { text: string; atLeast: number; atMost?: number } {
  const oursLow = ours.ceiling;
  const oursHigh = ours.firstOver ?? Infinity;
  const naiveLow = naive.ceiling;
  const naiveHigh = naive.firstOver ?? Infinity;
  const atLeast = naiveHigh === Infinity ? 0 : oursLow / naiveHigh;
  const atMost = naiveLow > 0 ? oursHigh / naiveLow : Infinity;
  if (ours.firstOver !== null && naive.ceiling > 0 && naive.firstOver !== null) {
    return { text: `${(oursLow / naiveLow).toFixed(1)}x`, atLeast: oursLow / naiveLow, atMost: oursLow / naiveLow };
  }
  return { text: `between ${atLeast.toFixed(1)}x and ${atMost === Infinity ? '∞' : `${atMost.toFixed(1)}x`}`, atLeast, ...(atMost !== Infinity ? { atMost } : {}) };
}

const ceilingText = (c: Ceiling, max: number) =>
  c.firstOver === null ? `≥ ${c.ceiling} (still within at the highest rate tried: the search stops at BENCH_PAGE_CEILING_MAX, ${max}/s)` : `${c.ceiling} (over at ${c.firstOver})`;

function memoryLines(m: NonNullable<PageResults['memory']>['result']): string[] {
  const circles = (page: string, c: CirclesMemory) =>
    `| ${page} | ${c.rate} | ${c.loaded.circles} | ${c.idle.heapMb.toFixed(1)} → ${c.loaded.heapMb.toFixed(1)} | ${c.heapPer1000CirclesKb.toFixed(0)} | ` +
    `${c.loaded.canvas.canvases} (${c.loaded.canvas.inDocument}) | ${mb(c.idle.canvas.bytes)} → ${mb(c.loaded.canvas.bytes)} | ${c.canvasPer1000CirclesKb.toFixed(0)} | ${c.idle.domNodes} → ${c.loaded.domNodes} |`;
  const lines = m.ours.length + m.naive.length === 0 ? [] : [
    '| page | strikes/s | live circles | JS heap idle → loaded MB | heap per 1,000 circles KB | canvases (in the DOM) | canvas backing stores idle → loaded MB | canvas per 1,000 circles KB | DOM nodes idle → loaded |',
    '|---|---:|---:|---|---:|---|---|---:|---|',
    ...m.ours.map((c) => circles('ours', c)),
    ...m.naive.map((c) => circles('naive', c)),
  ];
  if (m.overTime.length > 1) {
    const first = m.overTime[0]!;
    const last = m.overTime.at(-1)!;
    lines.push(
      ...(lines.length ? [''] : []),
      `Over ${last.minute.toFixed(1)} minutes at ${m.overTimeRate} strikes/s (ours, sound on), after a forced GC at each sample: JS heap ${first.heapMb.toFixed(1)} → ${last.heapMb.toFixed(1)} MB ` +
        `(${(((last.heapMb - first.heapMb) / first.heapMb) * 100).toFixed(1)} %), canvas ${mb(first.canvas.bytes)} → ${mb(last.canvas.bytes)} MB, DOM nodes ${first.domNodes} → ${last.domNodes}.`,
      '',
      '| minute | JS heap MB | DOM nodes | listeners | live circles | canvases | canvas MB | strikes received |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...m.overTime.map((s) => `| ${s.minute.toFixed(2)} | ${s.heapMb.toFixed(1)} | ${s.domNodes} | ${s.listeners} | ${s.circles} | ${s.canvas.canvases} | ${mb(s.canvas.bytes)} | ${s.strikes} |`),
    );
  } else lines.push(...(lines.length ? [''] : []), 'Memory over time: not run (BENCH_MEMORY_MINUTES=0).');
  return lines;
}

export function pageReport(results: PageResults, settings: ReportSettings): string {
  const kb = results.initial.bytes / 1024;
  const lines = [
    `Command: \`npm run bench:page\` (bench/page). Run ${results.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${results.chromium}, ` +
      `${settings.phaseMs / 1000} s per phase, ${settings.settleMs / 1000} s between phases. Method and knobs: see above.`,
    '',
    `**Initial JS before Listen: ${kb.toFixed(1)} KB gzip** (${results.initial.files.join(', ')}; target ≤ ${INITIAL_JS_TARGET_KB} KB: ${kb <= INITIAL_JS_TARGET_KB ? 'met' : 'MISSED'}). Tone.js and the audio graph load only after Listen.`,
  ];
  if (results.ours) {
    const { idle, rows } = results.ours.result;
    const v = verdict(rows, [FRAME_CHECK, DRAWN_CHECK, SOUND_CHECK]);
    lines.push(
      '',
      `### Rows: 1280×800, frames capped at 60 Hz, sound on (${settings.runs} runs back to back, every run shown)`,
      '',
      load(results.ours),
      '',
      ...ROW_HEADER,
      row(idle, 'idle'),
      ...rows.map((p) => row(p, String(p.run))),
      '',
      `Targets at every rate, in every run: ${metWord(v.met, v.measured)}.`,
      '',
      ...v.table,
      '',
      ...offenders('Long animation frames, ours', rows),
    );
  }
  if (results.naive) {
    lines.push('', '### Naive SVG baseline, same rates, same settings', '', load(results.naive), '', ...ROW_HEADER, ...results.naive.result.map((p) => row(p, String(p.run))), '', ...offenders('Long animation frames, naive', results.naive.result));
  }
  if (results.phone) {
    const v = verdict(results.phone.result, [FRAME_CHECK, SOUND_CHECK], [PHONE_TARGET_RATE]);
    lines.push(
      '',
      `### Phone: ${settings.phoneViewport.width}×${settings.phoneViewport.height}, CPU throttled ${settings.phoneThrottle}x (CDP Emulation.setCPUThrottlingRate), sound on`,
      '',
      load(results.phone),
      '',
      ...ROW_HEADER,
      ...results.phone.result.map((p) => row(p, String(p.run))),
      '',
      `Target at ${PHONE_TARGET_RATE} strikes/s (frame p95 < ${FRAME_P95_TARGET_MS} ms and sound p99 < ${SOUND_P99_TARGET_MS} ms, every run): ${metWord(v.met, v.measured)}.`,
      '',
      ...v.table,
      '',
      ...offenders('Long animation frames, phone', results.phone.result),
    );
  }
  if (results.ceilings) {
    const { ours, naive } = results.ceilings.result;
    const ratio = ceilingRatio(ours, naive);
    lines.push(
      '',
      `### Ceilings: frames uncapped, rate raised until main-thread work per frame passes ${WORK_PER_FRAME_BUDGET_MS} ms, a worker is busy ${WORKER_BUSY_LIMIT * 100} % of the time, or the page falls behind`,
      '',
      load(results.ceilings),
      '',
      `Ours: ${ceilingText(ours, settings.ceiling.maxRate)} strikes/s; naive: ${ceilingText(naive, settings.ceiling.maxRate)} strikes/s; ratio ${ratio.text} ` +
        `(goal ≥ ${CEILING_RATIO_GOAL}x: ${ratio.atLeast >= CEILING_RATIO_GOAL ? '**met**' : ratio.atMost !== undefined && ratio.atMost < CEILING_RATIO_GOAL ? '**missed**' : 'not decided by this run'}). ` +
        (settings.ceiling.by === 'cpu'
          ? 'Work per frame is the renderer main thread\'s CPU time (CDP Performance ThreadTime) over the frames drawn; its task time (TaskDuration, which also counts waiting for a core) is shown beside it.'
          : 'Work per frame is the renderer main thread\'s task time (CDP Performance TaskDuration) over the frames drawn; its CPU time (ThreadTime) is shown beside it.') +
        ` Worker threads busy: the CPU time of the browser's dedicated-worker threads (ours: Tone's clock; from /proc) over the window. A step is also over when the page fell behind: any stale strike, or under ${RECEIVED_SHARE_LIMIT * 100} % of the strikes sent received (which is also where the bench process could not feed the rate).`,
      '',
      '| page | strikes/s | received/s (stale) | frames/s | main-thread task time per frame ms | main-thread CPU per frame ms | worker threads busy % | budget |',
      '|---|---:|---:|---:|---:|---:|---:|---|',
      ...ceilingLines(ours, settings.ceiling.by),
      ...ceilingLines(naive, settings.ceiling.by),
    );
  }
  if (results.memory) lines.push('', '### Memory', '', load(results.memory), '', ...memoryLines(results.memory.result));
  return lines.join('\n');
}
