// What the relay needs from whatever serves WS /live: the viewer gateway in this process, or a pool
// of fan-out processes that each run one (src/relay/viewerShards) when one core cannot write to
// every viewer fast enough.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ViewerFanOut } from './hub';

export interface ViewerStats {
  connections: number;
  slowViewerCloses: number;
  resumeRequests: number;
  viewerDataCloses: number;
}

export interface ViewerService extends ViewerFanOut {
  readonly stats: ViewerStats;
  /** Observes, per fan-out sweep, ms from the oldest frame it carried to every socket written (metrics). */
  onBroadcastWritten: ((durationMs: number) => void) | undefined;
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void;
  /** Writes everything accepted so far, then closes every viewer with `code`. */
  closeAll(code: number, reason: string): void;
  terminateAll(): void;
  dispose(): Promise<void>;
}

/** What a viewer asks for in its /live URL. */
export interface ViewerRequest {
  /** Station ids it wants, or null for all. */
  stations: ReadonlySet<string> | null;
  /** Resume after this seq (-1: asked with an unreadable value), or undefined: a fresh start. */
  since: number | undefined;
  epoch: string | undefined;
}

export function readViewerRequest(url: URL): ViewerRequest {
  const stationsParam = url.searchParams.get('stations');
  const stations = stationsParam ? new Set(stationsParam.split(',').map((s) => s.trim()).filter(Boolean)) : null;
  const sinceParam = url.searchParams.get('since');
  const since = sinceParam === null ? undefined : /^\d{1,15}$/.test(sinceParam) ? Number(sinceParam) : -1;
  return { stations, since, epoch: url.searchParams.get('epoch') ?? undefined };
}
