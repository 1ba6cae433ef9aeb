// The hot path: every strike from the transport is counted, given its play time by the jitter
// buffer, and handed to the outputs (canvas, sound). No React, no allocation beyond the message.
import type { Station, StrikeMessage } from '../../protocol';
import type { LiveStore } from '../store/liveStore';
import type { ConnectionStatus, StreamStart, TransportSink } from '../transport/types';
import type { TouchMessage } from '../visitors/touchWire';
import { JitterBuffer } from './jitterBuffer';

/** A flood of bad frames updates the visible notice at most this often (every one is counted). */
export const REFUSED_NOTICE_INTERVAL_MS = 1_000;

/** The page counters the router writes (see page/stats.ts). */
export interface RouterCounters {
  strikesReceived: number;
  /** Strikes too old to show or replayed after a resume: counted only. */
  strikesStale: number;
  /** Visitors' touches received (own ones included). */
  touchesReceived: number;
  lastSeq: number | null;
  refusedFrames: number;
}

export interface StrikeOutput {
  /** `at`: when to show/sound it, performance.now() ms (may be in the future); `touch`: a visitor's, not the wind's. */
  strike(station: string, chime: number, v: number, at: number, arrivedAt: number, touch?: boolean): void;
}

export class StrikeRouter implements TransportSink {
  readonly outputs = new Set<StrikeOutput>();
  private readonly jitter: JitterBuffer;
  /** Local Date.now() minus the source's clock, so a strike's age is known on arrival. */
  private clockSkewMs = 0;
  private lastRefusedNoticeAt = -Infinity;
  /** Strikes up to this seq are a resume backlog: counted, not drawn or played (the present only). */
  private historyUntilSeq = -1;
  /** Says whether a touch from the relay is this page's own (shown already as its local echo). */
  ownTouch: ((touch: TouchMessage) => 'own' | 'other') | null = null;

  constructor(
    private readonly store: LiveStore,
    private readonly stats: RouterCounters,
  ) {
    this.jitter = new JitterBuffer();
  }

  start(start: StreamStart): void {
    this.clockSkewMs = Date.now() - start.sourceNow;
    this.historyUntilSeq = start.historyUntilSeq ?? -1;
    this.jitter.reset();
    this.store.getState().streamStarted(start);
  }

  strike(strike: StrikeMessage): void {
    const stats = this.stats;
    stats.strikesReceived++;
    stats.lastSeq = strike.seq;
    const wallNow = Date.now();
    this.store.getState().recordStrike(strike.station, strike.chime, wallNow);
    if (strike.seq <= this.historyUntilSeq) {
      stats.strikesStale++;
      return;
    }
    let age = wallNow - this.clockSkewMs - strike.t;
    if (age < 0) {
      // The source's clock runs ahead of our estimate: learn it, never schedule into the future for it.
      this.clockSkewMs += age;
      age = 0;
    }
    const now = performance.now();
    // Older than a circle lives: history, counted only (a resume backlog, a long-throttled device).
    const placement = this.jitter.place(strike.station, age, now, this.store.getState().visual.circleLifetimeMs);
    if ('stale' in placement) {
      stats.strikesStale++;
      return;
    }
    // The artist's fixed jitter-buffer delay (0 by default) on top of the adaptive spacing.
    const at = placement.at + this.store.getState().sound.jitterBufferMs;
    for (const output of this.outputs) output.strike(strike.station, strike.chime, strike.v, at, now);
  }

  /**
   * A visitor's touch: shown and sounded at once (no jitter spacing: one touch is no rhythm to keep),
   * as a touch; not again if it is this page's own.
   */
  touch(touch: TouchMessage): void {
    const stats = this.stats;
    stats.touchesReceived++;
    stats.lastSeq = touch.seq;
    const age = Date.now() - this.clockSkewMs - touch.t;
    if (touch.seq <= this.historyUntilSeq || age > this.store.getState().visual.circleLifetimeMs) {
      stats.strikesStale++;
      return;
    }
    if (this.ownTouch?.(touch) === 'own') return;
    const now = performance.now();
    for (const output of this.outputs) output.strike(touch.station, touch.chime, touch.v, now, now, true);
  }

  station(station: Station): void {
    this.store.getState().upsertStation(station);
  }

  stationRemoved(id: string): void {
    this.store.getState().removeStation(id);
  }

  presence(viewers: number, visitors?: number): void {
    this.store.getState().setViewers(viewers);
    if (visitors !== undefined) this.store.getState().setVisitors(visitors);
  }

  status(status: ConnectionStatus): void {
    this.store.getState().setConnection(status);
  }

  refused(detail: string): void {
    this.stats.refusedFrames++;
    const now = performance.now();
    if (now - this.lastRefusedNoticeAt < REFUSED_NOTICE_INTERVAL_MS) return;
    this.lastRefusedNoticeAt = now;
    this.store.getState().frameRefused(detail);
  }
}
