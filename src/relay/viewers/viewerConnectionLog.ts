// Viewer connects and disconnects, logged for people: each one at debug, and at info one summary
// line per interval with the counts (a busy page brings thousands; one line each drowns the log).
import type { Logger } from '../log';

/** How often the info-level summary of viewer connections is written (only when something happened). */
export const VIEWER_LOG_SUMMARY_INTERVAL_MS = 60_000;

export interface ViewerConnectionCounts {
  connected: number;
  disconnected: number;
  /** Of the connected: how many resumed with `since` (a page coming back after a dropped link). */
  resumed: number;
  /** Cut for a backlog over VIEWER_BACKLOG_BYTES. */
  slowClosed: number;
}

type Timers = { setInterval(run: () => void, ms: number): unknown; clearInterval(timer: unknown): void };

export class ViewerConnectionLog {
  private counts = emptyCounts();
  private readonly timer: unknown;

  constructor(
    private readonly log: Logger,
    /** Viewers connected now, for the summary. */
    private readonly watching: () => number,
    intervalMs = VIEWER_LOG_SUMMARY_INTERVAL_MS,
    private readonly timers: Timers = globalThis,
  ) {
    this.timer = timers.setInterval(() => this.flush(), intervalMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  connected(fields: { ip: string; resumed: number }): void {
    this.counts.connected++;
    if (fields.resumed > 0) this.counts.resumed++;
    this.log.debug({ event: 'viewer_connected', ...fields }, 'viewer connected');
  }

  disconnected(fields: { code: number; connectedMs: number }): void {
    this.counts.disconnected++;
    this.log.debug({ event: 'viewer_disconnected', ...fields }, 'viewer disconnected');
  }

  slowClosed(fields: { backlog: number }): void {
    this.counts.slowClosed++;
    this.log.debug({ event: 'viewer_slow_closed', ...fields }, 'viewer backlog over limit');
  }

  /** Writes the summary of what happened since the last one; nothing when nothing did. */
  flush(): void {
    const counts = this.counts;
    if (counts.connected + counts.disconnected + counts.slowClosed === 0) return;
    this.counts = emptyCounts();
    const watching = this.watching();
    this.log.info({ event: 'viewers_summary', ...counts, watching }, describeCounts(counts, watching));
  }

  dispose(): void {
    this.timers.clearInterval(this.timer);
    this.flush();
  }
}

/** "viewers: 12 connected (3 resumed), 4 left; 40 watching" */
export function describeCounts(counts: ViewerConnectionCounts, watching: number): string {
  const parts = [`${counts.connected} connected${counts.resumed ? ` (${counts.resumed} resumed)` : ''}`, `${counts.disconnected} left`];
  if (counts.slowClosed) parts.push(`${counts.slowClosed} cut for falling behind`);
  return `viewers: ${parts.join(', ')}; ${watching} watching`;
}

function emptyCounts(): ViewerConnectionCounts {
  return { connected: 0, disconnected: 0, resumed: 0, slowClosed: 0 };
}
