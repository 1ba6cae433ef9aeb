// `npm run screenshots`: the README's pictures of each view of the live page (docs/screenshot-*.png:
// the world on a desktop and on a phone, a station close up, the ensemble, the 1080p kiosk), taken
// from the built page served by a real relay with simulated stations, in real Chromium. The test
// suite writes nothing into the checkout; this does.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { launchBrowser, type Browser } from '../e2e/support/browser';
import { RELAY_FROM_SOURCE_ARGS } from '../src/relay/nodeFlags';

const ROOT = resolve(import.meta.dirname, '..');
const RELAY_START_TIMEOUT_MS = 15_000;
const LIVE_TIMEOUT_MS = 20_000;
/** After a view opens: past its crossfade, long enough for strikes of the stations shown to be on screen. */
const SETTLE_MS = 2_500;
/** The world pictures are taken once the page has had this many strikes (circles spread over a few stations). */
const WORLD_STRIKES = 150;

interface Shot {
  file: string;
  /** The page's address after the relay's origin. */
  query: string;
  /** Seeded wind, so refreshed pictures look alike. */
  simSeed: string;
  simSpeed: string;
  browser: Parameters<typeof launchBrowser>[0];
  pose(page: Page): Promise<void>;
}

const afterStrikes = (count: number) => async (page: Page) => {
  await page.waitForFunction((n) => window.aeolian!.stats.strikesReceived >= n, count, { timeout: 4 * LIVE_TIMEOUT_MS });
};
const settle = async (page: Page) => page.waitForTimeout(SETTLE_MS);

const SHOTS: Shot[] = [
  {
    file: 'docs/screenshot-world.png',
    query: '/',
    simSeed: '3',
    simSpeed: '3',
    browser: { viewport: { width: 1280, height: 800 } },
    pose: afterStrikes(WORLD_STRIKES),
  },
  {
    file: 'docs/screenshot-phone.png',
    query: '/',
    simSeed: '5',
    simSpeed: '3',
    browser: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
    pose: afterStrikes(WORLD_STRIKES / 2),
  },
  {
    file: 'docs/screenshot-closeup.png',
    query: '/',
    simSeed: '7',
    simSpeed: '2',
    browser: { viewport: { width: 1280, height: 800 } },
    async pose(page) {
      // As a visitor finds it: a click on the station on the map.
      await page.locator('[data-testid="station-spot"][data-station="wellington"]').click();
      await page.waitForURL(/stations=wellington/);
      await settle(page);
    },
  },
  {
    file: 'docs/screenshot-ensemble.png',
    query: '/?view=ensemble',
    simSeed: '3',
    simSpeed: '3',
    browser: { viewport: { width: 1280, height: 800 } },
    async pose(page) {
      await afterStrikes(60)(page);
      await settle(page);
    },
  },
  {
    file: 'docs/screenshot-kiosk.png',
    query: '/?kiosk',
    simSeed: '3',
    simSpeed: '3',
    browser: { viewport: { width: 1920, height: 1080 } },
    pose: afterStrikes(WORLD_STRIKES),
  },
];

/** The relay (src/relay/main.ts) on a free loopback port, serving `distDir`, with simulated stations. */
function startRelay(distDir: string, shot: Shot): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, RELAY_FROM_SOURCE_ARGS, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DIST_DIR: distDir, SIM: '1', SIM_SEED: shot.simSeed, SIM_SPEED: shot.simSpeed, STATIONS: 'config/stations.json', ARCHIVE_PATH: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`relay did not start: ${output}`));
    }, RELAY_START_TIMEOUT_MS);
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = /live at (http:\/\/[^/\s]+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      done({ url: match[1]!.replace('localhost', '127.0.0.1'), child });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`relay exited with ${code}: ${output}`));
    });
  });
}

async function stopRelay(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

async function take(shot: Shot, distDir: string): Promise<void> {
  const relay = await startRelay(distDir, shot);
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser(shot.browser);
    const page = await browser.context.newPage();
    await page.goto(`${relay.url}${shot.query}`);
    await page.waitForFunction(() => window.aeolian?.store.getState().connection.state === 'live', null, { timeout: LIVE_TIMEOUT_MS });
    await page.waitForFunction(() => window.aeolian!.store.getState().stations.length > 0, null, { timeout: LIVE_TIMEOUT_MS });
    await shot.pose(page);
    await page.screenshot({ path: join(ROOT, shot.file) });
    console.log(`wrote ${shot.file}`);
  } finally {
    await browser?.close();
    await stopRelay(relay.child);
  }
}

async function main(): Promise<void> {
  // `npm run screenshots -- kiosk closeup` retakes only those.
  const only = process.argv.slice(2);
  const shots = only.length > 0 ? SHOTS.filter((shot) => only.some((name) => shot.file.includes(name))) : SHOTS;
  const distDir = mkdtempSync(join(tmpdir(), 'aeolian-screenshots-dist-'));
  try {
    await build({ root: ROOT, logLevel: 'warn', mode: 'production', build: { outDir: distDir, emptyOutDir: true } });
    for (const shot of shots) await take(shot, distDir);
  } finally {
    rmSync(distDir, { recursive: true, force: true });
  }
}

await main();
