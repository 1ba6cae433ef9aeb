// What the soak reads from the page: every strike seq per epoch as run-length ranges (kept small so
// the record itself never looks like a leak), and heap/DOM through the DevTools protocol after a
// forced garbage collection.
import type { CDPSession, Page } from 'playwright-core';

export interface EpochRecord {
  /** The relay's seq in the first hello of this epoch the page got: every later seq must arrive. */
  helloSeq: number;
  /** Received seqs as [from, to] inclusive, in arrival order. */
  ranges: [number, number][];
  /** Seqs at or below one already received (a resend or disorder). */
  backwards: number;
}

declare global {
  interface Window {
    soakSeqs?: Record<string, EpochRecord>;
  }
}

/** Test-only observation of the page's websocket: the page itself is unchanged. */
export async function recordSeqsPerEpoch(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const epochs: Record<string, EpochRecord> = {};
    window.soakSeqs = epochs;
    const Original = window.WebSocket;
    window.WebSocket = class extends Original {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        let epoch: string | null = null;
        this.addEventListener('message', (event: MessageEvent) => {
          const text = String(event.data);
          // A frame may be a batch: a JSON array of messages (the page asks with batch=1).
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            return;
          }
          for (const message of Array.isArray(parsed) ? (parsed as unknown[]) : [parsed]) {
            if (typeof message !== 'object' || message === null) continue;
            const { type, seq, epoch: helloEpoch } = message as { type?: unknown; seq?: unknown; epoch?: unknown };
            if (type === 'strike' && typeof seq === 'number' && epoch) {
              const record = epochs[epoch]!;
              const last = record.ranges[record.ranges.length - 1];
              if (last && seq === last[1] + 1) last[1] = seq;
              else if (last && seq <= last[1]) record.backwards++;
              else record.ranges.push([seq, seq]);
            } else if (type === 'hello' && typeof helloEpoch === 'string' && typeof seq === 'number') {
              epoch = helloEpoch;
              epochs[epoch] ??= { helloSeq: seq, ranges: [], backwards: 0 };
            }
          }
        });
      }
    };
  });
}

export interface PageSample {
  heapUsedBytes: number;
  domNodes: number;
  jsEventListeners: number;
  circlesActive: number;
  voicesActive: number;
  strikesReceived: number;
  connection: string;
}

export async function samplePage(page: Page, cdp: CDPSession): Promise<PageSample> {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  const live = await page.evaluate(() => {
    const { stats, store } = window.aeolian!;
    return {
      circlesActive: (stats as { circlesActive?: number }).circlesActive ?? -1,
      voicesActive: stats.voicesActive,
      strikesReceived: stats.strikesReceived,
      connection: store.getState().connection.state,
    };
  });
  return { heapUsedBytes: heap.usedSize, domNodes: dom.nodes, jsEventListeners: dom.jsEventListeners, ...live };
}

export const pageSeqs = (page: Page) => page.evaluate(() => window.soakSeqs ?? {});
