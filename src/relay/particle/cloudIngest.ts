// Cloud events (from the event stream or a webhook) into strikes: map the device to its station,
// drop repeats, hold briefly to restore publish order, then the one ingest path. Shared by both
// routes in, so a strike that arrives by both is delivered once.
import { parseDeviceFrame, type DeviceStrike } from '../../protocol';
import { ingestStrikes, type StrikePublisher } from '../devices/ingest';
import type { Logger } from '../log';
import type { StationRegistry, StationState } from '../stations/stationRegistry';
import type { CloudEvent } from './cloudEvent';
import { EventDedupe } from './eventDedupe';
import {
  PARTICLE_DEDUPE_WINDOW_MS,
  PARTICLE_EVENT_MAX_AGE_MS,
  PARTICLE_REORDER_HOLD_MS,
  PARTICLE_UNKNOWN_DEVICES_TRACKED,
} from './limits';

export const STATUS_EVENT = 'spark/status';

export type CloudIngestOutcome =
  | { status: 'accepted' | 'duplicate' | 'unknown_device' | 'ignored' | 'stale' }
  | { status: 'bad_payload'; detail: string };

interface PendingBatch {
  station: StationState;
  strikes: DeviceStrike[];
  publishedAt: number;
  receivedAt: number;
}

export interface CloudIngestOptions {
  /** The strike event name (PARTICLE_EVENT). */
  eventName: string;
  reorderHoldMs?: number;
  now?: () => number;
}

export class CloudIngest {
  private readonly dedupe = new EventDedupe(PARTICLE_DEDUPE_WINDOW_MS);
  private readonly unknownDevices = new Set<string>();
  private readonly lastStatusAt = new Map<string, number>();
  private pending: PendingBatch[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly holdMs: number;
  private readonly now: () => number;
  readonly stats = {
    events: 0,
    duplicates: 0,
    unknownDeviceEvents: 0,
    badEvents: 0,
    staleEvents: 0,
    ignoredEvents: 0,
    strikesMuted: 0,
    strikesRateLimited: 0,
  };

  constructor(
    private readonly registry: StationRegistry,
    private readonly strikes: StrikePublisher,
    private readonly log: Logger,
    private readonly options: CloudIngestOptions,
  ) {
    this.holdMs = options.reorderHoldMs ?? PARTICLE_REORDER_HOLD_MS;
    this.now = options.now ?? Date.now;
  }

  receive(event: CloudEvent): CloudIngestOutcome {
    this.stats.events++;
    const isStatus = event.name === STATUS_EVENT;
    if (!isStatus && event.name !== this.options.eventName) {
      this.stats.ignoredEvents++;
      return { status: 'ignored' };
    }
    const station = this.stationOf(event.coreid);
    if (!station) {
      this.noteUnknown(event.coreid);
      return { status: 'unknown_device' };
    }
    const now = this.now();
    if (isStatus) return this.receiveStatus(station, event, now);

    const parsed = parseDeviceFrame(event.payload, station.config.chimes);
    if (!parsed.ok) {
      this.stats.badEvents++;
      this.log.debug({ event: 'particle_bad_payload', station: station.config.id, detail: parsed.detail }, 'cloud event refused');
      return { status: 'bad_payload', detail: `data: ${parsed.detail}` };
    }
    if (!this.dedupe.firstSighting(event.coreid, event.publishedAt, event.payload, now)) {
      this.stats.duplicates++;
      return { status: 'duplicate' };
    }
    if (event.publishedAt < now - PARTICLE_EVENT_MAX_AGE_MS) {
      this.stats.staleEvents++;
      return { status: 'stale' };
    }
    this.registry.setOnline(station, true);
    this.pending.push({ station, strikes: parsed.strikes, publishedAt: event.publishedAt, receivedAt: now });
    this.scheduleFlush();
    return { status: 'accepted' };
  }

  /** Delivers everything held, in publish order (shutdown, tests). */
  flushAll(): void {
    this.deliver(this.pending);
    this.pending = [];
  }

  close(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.pending = [];
  }

  private receiveStatus(station: StationState, event: CloudEvent, now: number): CloudIngestOutcome {
    const online = event.payload.trim();
    if (online !== 'online' && online !== 'offline') {
      this.stats.badEvents++;
      return { status: 'bad_payload', detail: 'data: spark/status must be "online" or "offline"' };
    }
    if (!this.dedupe.firstSighting(event.coreid, event.publishedAt, online, now)) {
      this.stats.duplicates++;
      return { status: 'duplicate' };
    }
    // The same time checks as strikes: too old is stale, and the cloud's clock may run ahead of
    // ours, so a time in the future counts as now (a status dated 9999 must not outrank every later one).
    if (event.publishedAt < now - PARTICLE_EVENT_MAX_AGE_MS) {
      this.stats.staleEvents++;
      return { status: 'stale' };
    }
    const publishedAt = Math.min(event.publishedAt, now);
    // A status older than one already applied arrived out of order: it no longer says anything.
    const id = station.config.id;
    if (publishedAt < (this.lastStatusAt.get(id) ?? -Infinity)) return { status: 'stale' };
    this.lastStatusAt.set(id, publishedAt);
    this.registry.setOnline(station, online === 'online', online === 'online' ? now : undefined);
    this.log.info({ event: 'particle_status', station: id, online }, 'cloud device status');
    return { status: 'accepted' };
  }

  private stationOf(coreid: string): StationState | undefined {
    // Linear on purpose: a relay has tens of stations, and the registry stays the one source.
    return this.registry.all().find((state) => state.config.particleId === coreid);
  }

  private noteUnknown(coreid: string): void {
    this.stats.unknownDeviceEvents++;
    if (this.unknownDevices.has(coreid)) return;
    if (this.unknownDevices.size >= PARTICLE_UNKNOWN_DEVICES_TRACKED) this.unknownDevices.clear();
    this.unknownDevices.add(coreid);
    // An unknown id is not one of ours, so not a secret; the operator needs it to add the station.
    this.log.info({ event: 'particle_unknown_device', coreid }, 'cloud event from a device in no station: ignored');
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.pending.length === 0) return;
    const due = Math.min(...this.pending.map((batch) => batch.receivedAt)) + this.holdMs;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushDue();
      this.scheduleFlush();
    }, Math.max(0, due - this.now()));
    this.flushTimer.unref();
  }

  /** Delivers batches held long enough, plus any held batch published before them. */
  private flushDue(): void {
    const now = this.now();
    const due = this.pending.filter((batch) => batch.receivedAt + this.holdMs <= now);
    if (due.length === 0) return;
    const cutoff = Math.max(...due.map((batch) => batch.publishedAt));
    const out = this.pending.filter((batch) => batch.receivedAt + this.holdMs <= now || batch.publishedAt <= cutoff);
    this.pending = this.pending.filter((batch) => !out.includes(batch));
    this.deliver(out);
  }

  private deliver(batches: PendingBatch[]): void {
    const now = this.now();
    for (const batch of [...batches].sort((a, b) => a.publishedAt - b.publishedAt)) {
      // The cloud's clock may run ahead of ours: a strike is never stamped in the future.
      const result = ingestStrikes(this.strikes, batch.station, batch.strikes, Math.min(batch.publishedAt, now), now);
      this.stats.strikesMuted += result.muted;
      this.stats.strikesRateLimited += result.rateLimited;
    }
  }
}
