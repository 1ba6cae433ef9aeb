// Page memory under load, read through CDP after a forced GC: JS heap (Runtime.getHeapUsage), DOM
// counters, and canvas backing stores (from the page's canvas register, pageInstruments.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import type WebSocket from 'ws';
import type { CanvasMemory } from './pageInstruments';
import { feed, type PageUnderTest } from './phase';

export interface MemorySample {
  /** Minutes since the phase began. */
  minute: number;
  heapMb: number;
  domNodes: number;
  listeners: number;
  circles: number;
  canvas: CanvasMemory;
  strikes: number;
}

export async function sampleMemory(target: PageUnderTest, minute: number): Promise<MemorySample> {
  // The page's `?bench=1` latency samples grow with every strike until a phase reads them; they are
  // the bench's, not the page's, so they are emptied before the heap is read.
  await target.page.evaluate(() => {
    for (const samples of Object.values(window.aeolian?.bench ?? {})) (samples as number[]).length = 0;
  });
  await target.cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await target.cdp.send('Runtime.getHeapUsage');
  const dom = await target.cdp.send('Memory.getDOMCounters');
  const page = await target.page.evaluate(() => ({
    circles: window.aeolian?.stats.circlesActive ?? document.querySelectorAll('circle').length,
    strikes: window.aeolian?.stats.strikesReceived ?? window.naive?.strikes ?? 0,
    canvas: window.benchCanvasMemory?.() ?? { canvases: 0, inDocument: 0, bytes: 0 },
  }));
  return { minute, heapMb: usedSize / 2 ** 20, domNodes: dom.nodes, listeners: dom.jsEventListeners, ...page };
}

export interface CirclesMemory {
  rate: number;
  idle: MemorySample;
  loaded: MemorySample;
  /** (loaded - idle) heap per 1,000 live circles, KB. */
  heapPer1000CirclesKb: number;
  canvasPer1000CirclesKb: number;
}

/** Heap and canvas with no circles, then with the circles `rate` strikes/s keep alive (read mid-feed). */
export async function memoryPerCircles(target: PageUnderTest, devices: WebSocket[], rate: number, feedMs: number, settleMs: number): Promise<CirclesMemory> {
  await sleep(settleMs);
  const idle = await sampleMemory(target, 0);
  const feeding = feed(devices, rate, feedMs);
  // Read while circles are alive: after most of the feed, when their count has levelled.
  await sleep(feedMs * 0.8);
  const loaded = await sampleMemory(target, feedMs / 60_000);
  await feeding;
  const per1000 = (bytesDelta: number) => (loaded.circles > 0 ? (bytesDelta / loaded.circles) * 1000 / 1024 : NaN);
  return {
    rate,
    idle,
    loaded,
    heapPer1000CirclesKb: per1000((loaded.heapMb - idle.heapMb) * 2 ** 20),
    canvasPer1000CirclesKb: per1000(loaded.canvas.bytes - idle.canvas.bytes),
  };
}

/** `minutes` at `rate` strikes/s, sampled at the start and every `everyMs` (feed paused for the GC and reading only). */
export async function memoryOverTime(target: PageUnderTest, devices: WebSocket[], rate: number, minutes: number, everyMs: number): Promise<MemorySample[]> {
  const samples = [await sampleMemory(target, 0)];
  const totalMs = minutes * 60_000;
  for (let fedMs = 0; fedMs < totalMs; ) {
    const chunkMs = Math.min(everyMs, totalMs - fedMs);
    await feed(devices, rate, chunkMs);
    fedMs += chunkMs;
    samples.push(await sampleMemory(target, fedMs / 60_000));
    console.log('memory', samples.at(-1));
  }
  return samples;
}
