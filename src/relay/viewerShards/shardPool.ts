// Viewers served by several fan-out processes (VIEWER_PROCESSES). Writing to a viewer socket is a
// syscall of ~9 us on this class of machine, nearly all of it kernel time, so one process writes to
// about 100,000 viewers a second at most: 10,000 viewers cost a 90-100 ms sweep. Spread over
// processes, the sweeps run side by side on the other cores.
//
// The relay keeps everything else (devices, hub, history, HTTP). For each /live upgrade it reads
// the request head, greets the viewer from the hub, and hands the raw TCP socket and greeting to
// the process with the fewest viewers (Node IPC passes the descriptor); that process does the
// websocket handshake. Each broadcast crosses each pipe once. A process that dies is started again;
// its viewers reconnect and resume like after any dropped link.
import { fork, type ChildProcess } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { ViewerGreeter } from '../viewerGateway';
import type { Logger } from '../log';
import { rejectUpgrade } from '../upgrade';
import { readViewerRequest, type ViewerService, type ViewerStats } from '../viewerService';
import type { FromShard, ShardSettings, ToShard } from './shardMessages';

/** Upper bound on VIEWER_PROCESSES (more processes than cores only adds copies of each broadcast). */
export const MAX_VIEWER_PROCESSES = 16;
/** A fan-out process that exits unexpectedly is started again after this long. */
export const SHARD_RESTART_DELAY_MS = 1_000;
/** On shutdown, a fan-out process gets this long to exit before it is killed. */
const SHARD_EXIT_GRACE_MS = 2_000;

const SHARD_ENTRY = fileURLToPath(new URL('./shardProcess.ts', import.meta.url));

interface Shard {
  child: ChildProcess;
  ready: boolean;
  viewers: number;
  stats: ViewerStats;
}

const zeroStats = (): ViewerStats => ({ connections: 0, slowViewerCloses: 0, resumeRequests: 0, viewerDataCloses: 0 });

export class ViewerShardPool implements ViewerService {
  private readonly shards: (Shard | undefined)[];
  /** Counts of processes that have exited, so the totals never go backwards. */
  private readonly retired = zeroStats();
  private disposing = false;
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  onBroadcastWritten: ((durationMs: number) => void) | undefined;

  constructor(
    processes: number,
    private readonly greeter: ViewerGreeter,
    private readonly log: Logger,
    private readonly settings: ShardSettings,
  ) {
    this.shards = Array.from({ length: Math.min(processes, MAX_VIEWER_PROCESSES) }, () => undefined);
    this.shards.forEach((_, index) => this.spawn(index));
  }

  /** Resolves once every fan-out process can take viewers. */
  async ready(): Promise<void> {
    while (!this.shards.every((shard) => shard?.ready)) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  get count(): number {
    let total = 0;
    for (const shard of this.shards) total += shard?.viewers ?? 0;
    return total;
  }

  get stats(): ViewerStats {
    const total = { ...this.retired };
    for (const shard of this.shards) if (shard) addStats(total, shard.stats);
    return total;
  }

  /** Process ids of the fan-out processes (for /proc readings in the benchmark, and tests). */
  get pids(): number[] {
    return this.shards.flatMap((shard) => (shard?.child.pid ? [shard.child.pid] : []));
  }

  /** Viewers per fan-out process, as last reported. */
  get shardViewers(): number[] {
    return this.shards.map((shard) => shard?.viewers ?? 0);
  }

  broadcast(frame: Buffer, stationId?: string): void {
    for (const shard of this.shards) if (shard?.ready) this.post(shard, { kind: 'broadcast', frame, stationId });
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const shard = this.leastLoaded();
    if (!shard) return rejectUpgrade(socket, 503, 'viewer processes are restarting: try again shortly');
    const { stations, since, epoch } = readViewerRequest(url);
    const { hello, replay } = this.greeter.greet(stations, { since, epoch });
    const message: ToShard = { kind: 'viewer', method: request.method ?? 'GET', url: request.url ?? '/live', headers: request.headers, head, hello, replay };
    // Counted here until its process reports it, so the next handover sees the load.
    shard.viewers++;
    shard.child.send(message, socket as Socket, { keepOpen: false }, (error) => {
      if (error) socket.destroy();
    });
  }

  closeAll(code: number, reason: string): void {
    for (const shard of this.shards) if (shard?.ready) this.post(shard, { kind: 'close', code, reason });
  }

  terminateAll(): void {
    for (const shard of this.shards) if (shard?.ready) this.post(shard, { kind: 'terminate' });
  }

  async dispose(): Promise<void> {
    this.disposing = true;
    for (const timer of this.restartTimers) clearTimeout(timer);
    await Promise.all(
      this.shards.map(async (shard) => {
        if (!shard || shard.child.exitCode !== null || shard.child.signalCode !== null) return;
        const exited = new Promise((resolve) => shard.child.once('exit', resolve));
        if (shard.child.connected) shard.child.disconnect();
        const timer = setTimeout(() => shard.child.kill('SIGKILL'), SHARD_EXIT_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private leastLoaded(): Shard | undefined {
    let best: Shard | undefined;
    for (const shard of this.shards) if (shard?.ready && shard.child.connected && (!best || shard.viewers < best.viewers)) best = shard;
    return best;
  }

  private post(shard: Shard, message: ToShard): void {
    if (shard.child.connected) shard.child.send(message);
  }

  private spawn(index: number): void {
    const child = fork(SHARD_ENTRY, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, AEOLIAN_SHARD: JSON.stringify(this.settings) },
    });
    const shard: Shard = { child, ready: false, viewers: 0, stats: zeroStats() };
    this.shards[index] = shard;
    child.on('message', (message: FromShard) => {
      if (message.kind === 'ready') {
        shard.ready = true;
        this.log.info({ event: 'viewer_process_ready', pid: child.pid }, 'viewer fan-out process ready');
      } else if (message.kind === 'status') {
        const changed = message.viewers !== shard.viewers;
        shard.viewers = message.viewers;
        shard.stats = message.stats;
        for (const ms of message.sweepsMs) this.onBroadcastWritten?.(ms);
        if (changed) this.greeter.presenceChanged();
      }
    });
    child.on('error', (error) => this.log.error({ event: 'viewer_process_error', err: error.message }, 'viewer fan-out process error'));
    child.on('exit', (code, signal) => {
      if (this.shards[index] !== shard) return;
      addStats(this.retired, shard.stats);
      this.shards[index] = undefined;
      if (shard.viewers > 0) this.greeter.presenceChanged();
      if (this.disposing) return;
      this.log.error({ event: 'viewer_process_exit', pid: child.pid, code, signal, viewers: shard.viewers }, 'viewer fan-out process died; restarting');
      const timer = setTimeout(() => {
        this.restartTimers.delete(timer);
        if (!this.disposing) this.spawn(index);
      }, SHARD_RESTART_DELAY_MS);
      this.restartTimers.add(timer);
    });
  }
}

function addStats(into: ViewerStats, from: ViewerStats): void {
  into.connections += from.connections;
  into.slowViewerCloses += from.slowViewerCloses;
  into.resumeRequests += from.resumeRequests;
  into.viewerDataCloses += from.viewerDataCloses;
}
