// What bench:page installs in a page before its own scripts run: a Long Animation Frames observer
// that keeps each long frame's script attribution, and a register of every canvas the page creates
// (in the DOM or not: sprite caches, offscreen backgrounds) and every sprite bitmap, so their
// backing stores can be summed.
import type { Page } from 'playwright-core';

export interface LongFrameScript {
  /** e.g. 'user-callback', 'event-listener', 'resolve-promise'. */
  invokerType: string;
  /** e.g. 'FrameRequestCallback', 'WebSocket.onmessage'. */
  invoker: string;
  sourceURL: string;
  sourceFunctionName: string;
  sourceCharPosition: number;
  duration: number;
  forcedStyleAndLayoutDuration: number;
}

export interface LongFrame {
  start: number;
  duration: number;
  blocking: number;
  /** From style-and-layout start to the frame's end (style, layout, paint; after rAF callbacks): ms. */
  renderMs: number;
  scripts: LongFrameScript[];
}

export interface CanvasMemory {
  canvases: number;
  inDocument: number;
  /** width x height x 4 of every live canvas's backing store (canvas.width/height are device pixels). */
  bytes: number;
}

declare global {
  interface Window {
    benchLongFrames?: LongFrame[];
    benchCanvasMemory?: () => CanvasMemory;
  }
}

export async function installPageInstruments(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const frames: LongFrame[] = [];
    window.benchLongFrames = frames;
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { blockingDuration?: number; styleAndLayoutStart?: number; scripts?: LongFrameScript[] })[]) {
          const end = entry.startTime + entry.duration;
          frames.push({
            start: entry.startTime,
            duration: entry.duration,
            blocking: entry.blockingDuration ?? 0,
            renderMs: entry.styleAndLayoutStart ? end - entry.styleAndLayoutStart : 0,
            scripts: (entry.scripts ?? []).map((s) => ({
              invokerType: s.invokerType,
              invoker: s.invoker,
              sourceURL: s.sourceURL,
              sourceFunctionName: s.sourceFunctionName,
              sourceCharPosition: s.sourceCharPosition,
              duration: s.duration,
              forcedStyleAndLayoutDuration: s.forcedStyleAndLayoutDuration,
            })),
          });
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    } catch {
      // LoAF unsupported: no long frames are reported
    }
    // Bench-only: a register of canvases, held weakly so it keeps none alive.
    const canvases: WeakRef<HTMLCanvasElement>[] = [];
    const createElement = Document.prototype.createElement;
    Document.prototype.createElement = function (this: Document, tag: string, options?: ElementCreationOptions) {
      const element = createElement.call(this, tag, options);
      if (element instanceof HTMLCanvasElement) canvases.push(new WeakRef(element));
      return element;
    } as typeof Document.prototype.createElement;
    // Sprites kept as bitmaps (ringSprites.ts) hold pixels too: registered the same way; a closed
    // bitmap reads 0 x 0.
    const bitmaps: WeakRef<ImageBitmap>[] = [];
    if (typeof OffscreenCanvas === 'function') {
      const transfer = OffscreenCanvas.prototype.transferToImageBitmap;
      OffscreenCanvas.prototype.transferToImageBitmap = function (this: OffscreenCanvas) {
        const bitmap = transfer.call(this);
        bitmaps.push(new WeakRef(bitmap));
        return bitmap;
      };
    }
    window.benchCanvasMemory = () => {
      // Forget the canvases the page has let go of (the register would otherwise grow with them).
      const held = canvases.filter((ref) => ref.deref() !== undefined);
      canvases.splice(0, canvases.length, ...held);
      const live = [...held.map((ref) => ref.deref()), ...document.querySelectorAll('canvas')].filter((c): c is HTMLCanvasElement => c !== undefined);
      const unique = [...new Set(live)];
      const heldBitmaps = bitmaps.filter((ref) => (ref.deref()?.width ?? 0) > 0);
      bitmaps.splice(0, bitmaps.length, ...heldBitmaps);
      const bitmapBytes = heldBitmaps.reduce((sum, ref) => sum + (ref.deref()?.width ?? 0) * (ref.deref()?.height ?? 0) * 4, 0);
      return {
        canvases: unique.length + heldBitmaps.length,
        inDocument: unique.filter((c) => c.isConnected).length,
        bytes: unique.reduce((sum, c) => sum + c.width * c.height * 4, 0) + bitmapBytes,
      };
    };
  });
}

export interface Offender {
  where: string;
  ms: number;
  count: number;
}

/**
 * The long frames' time by where it went: each script by invoker and source, and rendering; largest
 * first. `locate` maps a bundle position to its source file and line when it can.
 */
export function topOffenders(frames: readonly LongFrame[], count: number, locate: (url: string, charPosition: number) => string | null = () => null): Offender[] {
  const byWhere = new Map<string, Offender>();
  const add = (where: string, ms: number) => {
    const offender = byWhere.get(where) ?? { where, ms: 0, count: 0 };
    offender.ms += ms;
    offender.count++;
    byWhere.set(where, offender);
  };
  for (const frame of frames) {
    for (const s of frame.scripts) {
      const file = s.sourceURL ? s.sourceURL.replace(/^https?:\/\/[^/]+\//, '') || 'the page' : 'no source';
      const where = locate(s.sourceURL, s.sourceCharPosition) ?? `${file}:${s.sourceCharPosition}`;
      add(`${s.invokerType} ${s.invoker} -> ${s.sourceFunctionName || '(anonymous)'} @ ${where}`, s.duration);
    }
    if (frame.renderMs > 0) add('style, layout and paint', frame.renderMs);
  }
  return [...byWhere.values()].sort((a, b) => b.ms - a.ms).slice(0, count);
}
