// Messages between the relay and its fan-out processes (Node IPC, 'advanced' serialization, so
// Buffers cross as Buffers). One pipe per process carries them in order: a viewer handed over
// after broadcast N gets exactly the broadcasts after N, as in one process.
import type { IncomingHttpHeaders } from 'node:http';
import type { ViewerStats } from '../viewerService';

export interface ShardSettings {
  logLevel: string;
  backlogBytes?: number;
  pingIntervalMs?: number;
  trustedProxies?: number;
}

export type ToShard =
  /** Sent with the viewer's TCP socket, after the relay read the HTTP request head. */
  | {
      kind: 'viewer';
      method: string;
      url: string;
      headers: IncomingHttpHeaders;
      head: Buffer;
      /** The hub's greeting for this viewer, taken when it was handed over. */
      hello: Buffer;
      replay: Buffer[];
    }
  | { kind: 'broadcast'; frame: Buffer; stationId: string | undefined }
  | { kind: 'close'; code: number; reason: string }
  | { kind: 'terminate' };

export type FromShard =
  | { kind: 'ready' }
  /** Cumulative counts, sent whenever the viewer count changes (at most every SHARD_STATUS_MS) and every second. */
  | { kind: 'status'; viewers: number; stats: ViewerStats; sweepsMs: number[] };
