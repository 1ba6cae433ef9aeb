// Audio benchmark: the lowest scheduling look-ahead that plays clean. For each look-ahead and load
// (chime notes/s through the real engine, main thread busy 8 ms per frame like a drawing page), probe
// pulses scheduled exactly like notes are timestamped to the sample in an AudioWorklet; a probe that
// starts later than scheduled is a late note. Writes the table into docs/benchmarks.md ("Audio").
// Run: npm run bench:audio
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchBrowser } from '../../e2e/support/browser';
import { serveHarness } from '../../e2e/harness/serveHarness';
import type { LatenessResult } from '../../e2e/harness/audio/lateness';
// Type-only: brings in the harness's `window.audioHarness` declaration.
import type {} from '../../e2e/harness/audio/main';

const LOOK_AHEADS_S = [0, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1];
const LOADS_NOTES_PER_S = [0, 500, 1000];
const RUN_S = Number(process.env.AUDIO_BENCH_RUN_S ?? 2);
/** Rounds over the whole grid, interleaved, so a burst of load from elsewhere on the machine hits every cell alike. */
const ROUNDS = Number(process.env.AUDIO_BENCH_ROUNDS ?? 3);
const BUSY_MS_PER_FRAME = 8;
const PROBES_PER_S = 40;
const BENCH_FILE = resolve(import.meta.dirname, '../../docs/benchmarks.md');
const START = '<!-- audio-bench:start -->';
const END = '<!-- audio-bench:end -->';

async function main(): Promise<void> {
  const server = await serveHarness('audio');
  const browser = await launchBrowser();
  const results: LatenessResult[] = [];
  let userAgent = '';
  try {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => 'audioHarness' in window);
    userAgent = await page.evaluate(() => navigator.userAgent);
    for (let round = 0; round < ROUNDS; round++) {
      for (const lookAheadS of LOOK_AHEADS_S) {
        for (const notesPerS of LOADS_NOTES_PER_S) {
        const r = await page.evaluate(
          (req) => window.audioHarness.measureLateness(req),
          { lookAheadS, notesPerS, durationS: RUN_S, busyMsPerFrame: BUSY_MS_PER_FRAME, probesPerS: PROBES_PER_S },
        );
        results.push(r);
        console.log(
          `lookAhead ${(lookAheadS * 1000).toFixed(0).padStart(3)} ms, ${String(notesPerS).padStart(4)} notes/s: ` +
            `${r.late}/${r.probes} late (${r.missed} missed, max ${r.maxLateMs.toFixed(1)} ms), voices<=${r.maxVoices}, played ${r.notesPlayed}, merged ${r.notesMerged}`,
          );
        }
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  writeSection(results, userAgent);
}

function writeSection(results: LatenessResult[], userAgent: string): void {
  const chromium = /Chrome\/([\d.]+)/.exec(userAgent)?.[1] ?? 'unknown';
  const rows: string[] = [];
  for (const lookAheadS of LOOK_AHEADS_S) {
    for (const notesPerS of LOADS_NOTES_PER_S) {
      const cell = results.filter((r) => r.lookAheadS === lookAheadS && r.notesPerS === notesPerS);
      const sum = (f: (r: LatenessResult) => number) => cell.reduce((a, r) => a + f(r), 0);
      const late = sum((r) => r.late);
      const probes = sum((r) => r.probes);
      const missed = sum((r) => r.missed);
      const roundsClean = cell.filter((r) => r.late === 0).length;
      rows.push(
        `| ${(lookAheadS * 1000).toFixed(0)} | ${notesPerS} | ${late}/${probes} (${((100 * late) / Math.max(1, probes)).toFixed(1)} %, ${missed} never sounded) | ${roundsClean}/${cell.length} | ${Math.max(...cell.map((r) => r.maxLateMs)).toFixed(1)} | ${Math.max(...cell.map((r) => r.maxVoices))} | ${sum((r) => r.notesPlayed)} | ${sum((r) => r.notesMerged)} |`,
      );
    }
  }
  const body = [
    START,
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:audio\` (bench/audio/lookAhead.ts), headless Chromium ${chromium},`,
    `${ROUNDS} interleaved rounds of ${RUN_S} s per cell, main thread busy ${BUSY_MS_PER_FRAME} ms per frame, ${PROBES_PER_S} probes/s, AudioContext latencyHint 'interactive'`,
    `(baseLatency ${((results[0]?.baseLatencyS ?? 0) * 1000).toFixed(1)} ms).`,
    '',
    '| look-ahead ms | chime notes/s | late probes | clean rounds | max late ms | max voices | notes played | notes merged |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    END,
  ].join('\n');
  const existing = existsSync(BENCH_FILE) ? readFileSync(BENCH_FILE, 'utf8') : '# Benchmarks\n';
  const next = existing.includes(START)
    ? existing.slice(0, existing.indexOf(START)) + body + existing.slice(existing.indexOf(END) + END.length)
    : `${existing.trimEnd()}\n\n## Audio\n\n${body}\n`;
  writeFileSync(BENCH_FILE, next);
  console.log(`wrote ${BENCH_FILE}`);
}

await main();
