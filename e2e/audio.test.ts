// The real chime engine in real headless Chromium: rendered with Tone.Offline and measured sample
// by sample, plus the live "Listen" path (lazy Tone import, running context, notes counted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './support/browser';
import { serveHarness, type HarnessServer } from './harness/serveHarness';
import type { RenderRequest, RenderResult, VoiceRequest } from './harness/audio/main';

let server: HarnessServer | undefined;
let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  server = await serveHarness('audio');
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => 'audioHarness' in window);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const render = (request: RenderRequest): Promise<RenderResult> => page.evaluate((r) => window.audioHarness.render(r), request);
const renderVoice = (request: VoiceRequest): Promise<number[]> => page.evaluate((r) => window.audioHarness.renderVoice(r), request);
const rmsOf = (samples: number[]) => Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length);
const peakOf = (samples: number[]) => samples.reduce((peak, x) => Math.max(peak, Math.abs(x)), 0);
const oneStation = (lon: number) => [{ id: 'a', lon, chimes: 6 }];

describe('chime sound (offline render of the real engine)', () => {
  it('a struck chime sounds: the rendered buffer is far from silent', async () => {
    const result = await render({ notes: [{ station: 'a', chime: 0, v: 0.9, atS: 0.05 }], stations: oneStation(0), durationS: 2 });
    expect(result.stats.notesPlayed).toBe(1);
    expect(result.rms).toBeGreaterThan(0.005);
    expect(result.peak).toBeLessThanOrEqual(1);
  });

  it('a harder strike is louder', async () => {
    const at = (v: number) => render({ notes: [{ station: 'a', chime: 2, v, atS: 0.05 }], stations: oneStation(0), durationS: 1.5 });
    const [soft, hard] = [await at(0.3), await at(1)];
    expect(hard.rms).toBeGreaterThan(soft.rms * 2);
  });

  it('a burst of 200 full-velocity notes never clips after the limiter', async () => {
    const stations = Array.from({ length: 20 }, (_, i) => ({ id: `s${i}`, lon: -180 + i * 18, chimes: 10 }));
    const notes = Array.from({ length: 200 }, (_, i) => ({ station: `s${i % 20}`, chime: Math.floor(i / 20), v: 1, atS: 0.05 + i * 0.0005 }));
    const result = await render({ notes, stations, durationS: 1.5, settings: { polyphony: 128, masterVolume: 1 } });
    expect(result.stats.notesPlayed + result.stats.notesMerged).toBe(200);
    expect(result.stats.notesDropped).toBe(0);
    expect(result.rms).toBeGreaterThan(0.05);
    expect(result.peak).toBeLessThanOrEqual(1);
  });

  it('stereo position follows longitude: west sounds left, east sounds right', async () => {
    const dry = { reverb: { sizeS: 1, mix: 0 } };
    const note = [{ station: 'a', chime: 1, v: 0.8, atS: 0.05 }];
    const west = await render({ notes: note, stations: oneStation(-150), durationS: 1, settings: dry });
    const east = await render({ notes: note, stations: oneStation(150), durationS: 1, settings: dry });
    expect(west.leftRms).toBeGreaterThan(west.rightRms * 2);
    expect(east.rightRms).toBeGreaterThan(east.leftRms * 2);
  });

  it('a flood beyond the polyphony cap is merged into swells, not dropped, and stays under 1.0', async () => {
    const stations = Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, lon: -180 + i * 36, chimes: 6 }));
    // 500 strikes/s for 2 s.
    const notes = Array.from({ length: 1000 }, (_, i) => ({ station: `s${i % 10}`, chime: (i * 7) % 6, v: 0.7, atS: i / 500 }));
    const result = await render({ notes, stations, durationS: 2.5 });
    expect(result.stats.notesMerged).toBeGreaterThan(300);
    expect(result.stats.notesDropped).toBe(0);
    expect(result.peak).toBeLessThanOrEqual(1);
  });
});

describe('Listen', () => {
  it('stopping partials and FM when their own decay is 60 / 80 dB down leaves the voice sounding the same, swells included', async () => {
    // A low, a middle and a high chime; the last swells hard after its partials have stopped.
    const cases: Omit<VoiceRequest, 'stopDecayed'>[] = [
      { hz: 220, level: 1, durationS: 3.5 },
      { hz: 660, level: 0.4, durationS: 3.5 },
      { hz: 1320, level: 1, durationS: 5, swell: { atS: 2.5, toLevel: 2 } },
    ];
    for (const request of cases) {
      const [trimmed, full] = [await renderVoice({ ...request, stopDecayed: true }), await renderVoice({ ...request, stopDecayed: false })];
      const difference = trimmed.map((x, i) => x - full[i]!);
      expect(rmsOf(full)).toBeGreaterThan(0.005);
      // At least 60 dB below the voice, in energy and at every sample.
      expect(rmsOf(difference)).toBeLessThan(rmsOf(full) * 1e-3);
      expect(peakOf(difference)).toBeLessThan(peakOf(full) * 1e-3);
    }
  });

  it('unlockAudio loads the engine lazily, the context runs and notes are played', async () => {
    const result = await page.evaluate(() => window.audioHarness.unlockAndPlay(5));
    expect(result.state).toBe('running');
    expect(result.stats.notesPlayed).toBe(5);
    expect(result.stats.lookAheadS).toBeLessThan(0.1);
  });
});
