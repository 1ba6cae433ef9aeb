// GET /metrics in Prometheus text format (prom-client). Counters read the gateways' own stats at
// scrape time, so the hot paths only bump plain numbers; the histograms are the fan-out time and
// the garbage collector's pauses (a full collection stops the sweep: docs/architecture.md).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PerformanceObserver, constants as perfConstants, monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DeviceGateway } from './devices/deviceGateway';
import { AuthLockout } from './http/authLockout';
import { presentsBearerSecret } from './http/bearerToken';
import { clientAddress, type ProxyTrust } from './http/clientAddress';
import type { HttpAbuseStats } from './http/guards';
import { NO_SNIFF, sendJson, type RouteHandler } from './http/routes';
import type { StrikeHub } from './hub';
import type { Logger } from './log';
import { sweepRing } from './viewers/rawFrameWrite';
import type { ViewerGateway } from './viewers/viewerGateway';

/** The counters /metrics reads at scrape time. */
export interface MetricsSources {
  hub: Pick<StrikeHub, 'viewerCount' | 'seq' | 'stats'>;
  devices: Pick<DeviceGateway, 'connectedCount' | 'stats'>;
  viewers: Pick<ViewerGateway, 'stats' | 'bareWriteCounts'>;
}

/**
 * perf_hooks' GC kinds under the label values prom-client's default `nodejs_gc_duration_seconds`
 * uses, so dashboards made for it read ours. Only that one metric of prom-client's default set:
 * the rest would clash with the process metrics below, which the relay reports its own way.
 */
export const GC_KINDS: Readonly<Record<number, string>> = {
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

export class RelayMetrics {
  readonly registry = new Registry();
  readonly httpAbuse: HttpAbuseStats = { handshakeTimeouts: 0, oversizeHeaders: 0, badRequests: 0 };
  private readonly broadcastSeconds: Histogram;
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly gcObserver: PerformanceObserver;

  constructor(sources: MetricsSources) {
    const { hub, devices, viewers } = sources;
    const registers = [this.registry];
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({ name, help, registers, collect: function (this: Gauge) { this.set(read()); } });
    const counter = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers,
        collect: function (this: Counter) {
          this.reset();
          this.inc(read());
        },
      });

    gauge('aeolian_viewers', 'Viewers connected to /live.', () => hub.viewerCount);
    gauge('aeolian_devices', 'Devices connected to /device.', () => devices.connectedCount);
    gauge('aeolian_seq', 'Latest strike seq of this epoch.', () => hub.seq);
    counter('aeolian_strikes_accepted_total', 'Strikes accepted and broadcast.', () => hub.stats.strikesAccepted);
    counter('aeolian_strikes_rate_limited_total', 'Strikes dropped by a station rate limit.', () => devices.stats.strikesRateLimited);
    counter('aeolian_strikes_muted_total', 'Strikes dropped because the station is muted.', () => devices.stats.strikesMuted);
    counter('aeolian_strikes_resent_total', 'Strikes a device sent again after a cut that the relay had taken already (skipped).', () => devices.stats.strikesResent);
    counter('aeolian_device_frames_refused_total', 'Device frames refused as invalid (answered bad_message).', () => devices.stats.framesRefused);
    counter('aeolian_device_auth_failures_total', 'Device handshakes refused with 401.', () => devices.stats.authFailures);
    counter('aeolian_frames_broadcast_total', 'Messages fanned out to viewers.', () => hub.stats.framesBroadcast);
    counter('aeolian_viewer_connections_total', 'Viewer connections accepted.', () => viewers.stats.connections);
    counter('aeolian_slow_viewer_closes_total', 'Viewers closed with 1013 at the backlog limit.', () => viewers.stats.slowViewerCloses);
    counter('aeolian_resume_requests_total', 'Viewer connections that asked to resume with since.', () => viewers.stats.resumeRequests);
    counter('aeolian_viewer_address_refusals_total', 'Viewer handshakes refused with 429: too many viewers from one address.', () => viewers.stats.perAddressRefusals);
    counter('aeolian_viewer_bare_writes_total', 'Viewer writes the sweep made bare (native write(2) or io_uring send, whole).', () => viewers.bareWriteCounts.whole);
    counter(
      'aeolian_viewer_ring_sends_total',
      "Viewer writes the sweep submitted through io_uring, a chunk per system call (not among the process's write syscalls).",
      () => sweepRing()?.sends ?? 0,
    );
    counter(
      'aeolian_viewer_short_writes_total',
      'Bare viewer writes the kernel took only part of (the viewer reads slower than the relay sends; the rest is queued).',
      () => viewers.bareWriteCounts.short,
    );
    counter('aeolian_viewer_data_closes_total', 'Viewers closed with 1008 for sending data.', () => viewers.stats.viewerDataCloses);
    counter('aeolian_handshake_timeouts_total', 'Connections closed with 408 for a slow request head.', () => this.httpAbuse.handshakeTimeouts);
    counter('aeolian_oversize_headers_total', 'Requests refused with 431.', () => this.httpAbuse.oversizeHeaders);
    counter('aeolian_bad_requests_total', 'Malformed HTTP requests refused with 400.', () => this.httpAbuse.badRequests);
    gauge('process_resident_memory_bytes', 'Resident memory of the relay process.', () => process.memoryUsage.rss());
    gauge('process_cpu_seconds_total', 'User and system CPU time of the relay process.', () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1e6;
    });
    gauge('nodejs_eventloop_delay_p99_seconds', 'p99 event-loop delay since the last scrape.', () => {
      const p99 = this.loopDelay.percentile(99) / 1e9;
      this.loopDelay.reset();
      return p99;
    });
    this.loopDelay.enable();

    this.broadcastSeconds = new Histogram({
      name: 'aeolian_broadcast_duration_seconds',
      help: 'Broadcast latency in the relay: message appended to the fan-out log -> written to every viewer socket (observed once per sweep with viewers: one frame per message, and batch=1).',
      registers,
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5],
    });

    // Main-thread pauses only: a mark-compact's concurrent marking before its pause is not in them.
    const gcSeconds = new Histogram({
      name: 'nodejs_gc_duration_seconds',
      help: 'Garbage-collection pauses of the relay\'s main thread, by kind (major: a mark-compact of the whole heap).',
      labelNames: ['kind'],
      registers,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    });
    for (const kind of Object.values(GC_KINDS)) gcSeconds.zero({ kind }); // each kind listed from the start
    this.gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = GC_KINDS[(entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1];
        if (kind) gcSeconds.observe({ kind }, entry.duration / 1000);
      }
    });
    this.gcObserver.observe({ entryTypes: ['gc'] });
  }

  /** Called once per broadcast, when every viewer socket has been written (viewers/rollingFanOut.ts). */
  observeBroadcast(durationMs: number): void {
    this.broadcastSeconds.observe(durationMs / 1000);
  }

  /**
   * GET /metrics; with `token` (METRICS_TOKEN) only for `Authorization: Bearer <token>`, guessing
   * locked out like every secret (http/authLockout.ts).
   */
  route(token?: string, options: { trust?: ProxyTrust; log?: Logger } = {}): RouteHandler {
    const lockout = new AuthLockout('METRICS_TOKEN', { log: options.log });
    return async (request: IncomingMessage, response: ServerResponse, url: URL) => {
      if (url.pathname !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
      const verdict = token ? lockout.check(clientAddress(request, options.trust), () => presentsBearerSecret(request, token)) : undefined;
      if (verdict && !verdict.ok) {
        sendJson(response, verdict.status, { error: verdict.error }, verdict.headers);
        return true;
      }
      const text = await this.registry.metrics();
      response.writeHead(200, { 'Content-Type': this.registry.contentType, 'Cache-Control': 'no-store', ...NO_SNIFF });
      response.end(text);
      return true;
    };
  }

  dispose(): void {
    this.loopDelay.disable();
    this.gcObserver.disconnect();
  }
}
