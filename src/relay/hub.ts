// The heart of the relay: numbers accepted strikes (seq within an epoch), keeps the recent history
// for resume, and fans every message out to viewers, serialized once per broadcast. It listens to
// the station registry and tells viewers of every station change.
import { randomBytes } from 'node:crypto';
import {
  HEARTBEAT_INTERVAL_MS,
  PRESENCE_MIN_INTERVAL_MS,
  PROTOCOL_VERSION,
  STRIKE_HISTORY_SIZE,
  type HelloMessage,
  type StrikeMessage,
  type TouchMessage,
} from '../protocol';
import { toPublicStation, type StationChange, type StationRegistry } from './stations/stationRegistry';

/** The public viewers, as the hub sees them: a count, and one way to send a frame to all of them. */
export interface ViewerFanOut {
  readonly count: number;
  /** Sends one prepared frame to every viewer whose filter admits `stationId` (undefined: to all). */
  broadcast(frame: Buffer, stationId?: string): void;
}

export interface AcceptedStrike {
  chime: number;
  v: number;
  t: number;
  /** Set for a visitor's touch (src/relay/visitors): the accepting relay's reference for its ack. */
  touchRef?: string;
}

/** Hears every touch the hub delivers, numbered: the /touch gateway acks its own, the striker rings. */
export type TouchListener = (touch: TouchMessage, touchRef: string) => void;

interface HistoryEntry {
  seq: number;
  station: string;
  frame: Buffer;
}

/**
 * Numbering shared with other relays (the Redis backplane, src/relay/backplane): it numbers strikes
 * for every relay and hands each one back through `deliver`, in the same order everywhere.
 */
export interface SharedNumbering {
  publish(stationId: string, strikes: readonly AcceptedStrike[]): void;
  /** Viewers across all relays, given this relay's own count. */
  viewerCount(localViewers: number): number;
  /** Whether numbering works now (Redis reachable); touches are refused while it does not. */
  available?(): boolean;
  /** A visitor's touch was accepted on this relay (so that visitors are counted across relays). */
  visitorTouched?(address: string, at: number): void;
  /** Distinct visitors across all relays, given this relay's own count. */
  visitorCount?(localVisitors: number): number;
}

/** Keeps every delivered strike beyond the in-memory history (the archive, src/relay/archive). */
export interface StrikeRecorder {
  record(message: StrikeMessage | TouchMessage, frame: Buffer): void;
}

export interface HubOptions {
  epoch?: string;
  historySize?: number;
  now?: () => number;
  shared?: SharedNumbering;
  recorder?: StrikeRecorder;
}

export class StrikeHub {
  readonly epoch: string;
  private latestSeq = 0;
  private readonly history: (HistoryEntry | undefined)[];
  private viewers: ViewerFanOut | undefined;
  private presenceTimer: NodeJS.Timeout | undefined;
  private readonly heartbeatTimer: NodeJS.Timeout;
  private lastPresenceAt = 0;
  private readonly now: () => number;
  private readonly shared: SharedNumbering | undefined;
  private readonly recorder: StrikeRecorder | undefined;
  private readonly stopListening: () => void;
  private readonly touchListeners = new Set<TouchListener>();
  private localVisitorCount: (() => number) | undefined;
  readonly stats = { strikesAccepted: 0, touchesDelivered: 0, framesBroadcast: 0 };

  constructor(
    private readonly registry: StationRegistry,
    options: HubOptions = {},
  ) {
    this.epoch = options.epoch ?? randomBytes(6).toString('base64url');
    this.history = new Array(options.historySize ?? STRIKE_HISTORY_SIZE);
    this.now = options.now ?? Date.now;
    this.shared = options.shared;
    this.recorder = options.recorder;
    this.heartbeatTimer = setInterval(() => this.broadcastPresence(), HEARTBEAT_INTERVAL_MS);
    this.heartbeatTimer.unref();
    this.stopListening = registry.onChange((change) => this.announceStation(change));
  }

  get seq(): number {
    return this.latestSeq;
  }

  get viewerCount(): number {
    return this.viewers?.count ?? 0;
  }

  /** Where broadcasts go (the viewer gateway); each frame is handed over once, not once per viewer. */
  attachViewers(viewers: ViewerFanOut): void {
    this.viewers = viewers;
  }

  /** Whether touches can be numbered now: always alone, only while Redis is reachable with a backplane. */
  get numberingAvailable(): boolean {
    return this.shared?.available?.() ?? true;
  }

  /** Calls `listener` with every touch delivered (this relay's and, with a backplane, others'). */
  onTouch(listener: TouchListener): () => void {
    this.touchListeners.add(listener);
    return () => this.touchListeners.delete(listener);
  }

  /** Where `presence.visitors` comes from (src/relay/visitors); without it presence has no visitors. */
  attachVisitorCount(count: () => number): void {
    this.localVisitorCount = count;
  }

  /** A visitor's touch was accepted here: with a backplane, `presence.visitors` counts it on every relay. */
  visitorTouched(address: string, at: number): void {
    this.shared?.visitorTouched?.(address, at);
  }

  /** Numbers and broadcasts strikes of one station, in the order given. */
  publish(stationId: string, strikes: readonly AcceptedStrike[]): void {
    if (this.shared) return this.shared.publish(stationId, strikes);
    for (const strike of strikes) this.deliver(this.latestSeq + 1, stationId, strike);
  }

  /** Keeps and broadcasts one numbered strike (numbered here, or by the backplane for all relays). */
  deliver(seq: number, stationId: string, strike: AcceptedStrike): void {
    this.latestSeq = seq;
    const type = strike.touchRef === undefined ? 'strike' : 'touch';
    const message: StrikeMessage | TouchMessage = { type, seq, station: stationId, chime: strike.chime, v: strike.v, t: strike.t };
    const frame = Buffer.from(JSON.stringify(message));
    this.history[seq % this.history.length] = { seq, station: stationId, frame };
    this.recorder?.record(message, frame);
    if (strike.touchRef === undefined) this.stats.strikesAccepted++;
    else this.stats.touchesDelivered++;
    this.fanOut(frame, stationId);
    if (strike.touchRef !== undefined) for (const listener of this.touchListeners) listener(message as TouchMessage, strike.touchRef);
  }


  /**
   * The hello for a new viewer and the strikes to replay after it. `since`/`epoch` ask for resume;
   * anything the hub can no longer vouch for is a gap, and nothing stale is replayed.
   */
  greet(stations: ReadonlySet<string> | null, resume: { since?: number; epoch?: string }): { hello: Buffer; replay: Buffer[] } {
    const replay: Buffer[] = [];
    let gap = false;
    if (resume.since !== undefined) {
      const oldestKept = Math.max(1, this.latestSeq - this.history.length + 1);
      const canResume =
        resume.epoch === this.epoch && resume.since >= oldestKept - 1 && resume.since <= this.latestSeq;
      if (canResume) {
        for (let seq = resume.since + 1; seq <= this.latestSeq; seq++) {
          const entry = this.history[seq % this.history.length];
          if (entry && entry.seq === seq && (!stations || stations.has(entry.station))) replay.push(entry.frame);
        }
      } else {
        gap = true;
      }
    }
    const hello: HelloMessage = {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      epoch: this.epoch,
      seq: this.latestSeq,
      now: this.now(),
      stations: this.registry.publicList(stations),
      viewers: this.totalViewers(this.viewerCount + 1),
      ...(gap ? { gap: true } : {}),
    };
    return { hello: Buffer.from(JSON.stringify(hello)), replay };
  }

  close(): void {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.presenceTimer);
    this.stopListening();
  }

  /**
   * A station was added, changed, came online or went offline: viewers get its public state. A
   * removed one is sent offline first (pages that predate station_removed show that), then
   * station_removed.
   */
  private announceStation(change: StationChange): void {
    const stationId = change.station.config.id;
    this.fanOut(Buffer.from(JSON.stringify({ type: 'station', station: toPublicStation(change.station) })), stationId);
    if (change.kind === 'removed') this.fanOut(Buffer.from(JSON.stringify({ type: 'station_removed', station: stationId })), stationId);
  }

  private fanOut(frame: Buffer, stationId: string): void {
    this.stats.framesBroadcast++;
    this.viewers?.broadcast(frame, stationId);
  }

  /** Count changes (here, or on other relays) are sent at most every PRESENCE_MIN_INTERVAL_MS. */
  presenceChanged(): void {
    if (this.presenceTimer) return;
    const wait = Math.max(0, this.lastPresenceAt + PRESENCE_MIN_INTERVAL_MS - this.now());
    this.presenceTimer = setTimeout(() => {
      this.presenceTimer = undefined;
      this.broadcastPresence();
    }, wait);
    this.presenceTimer.unref();
  }

  private totalViewers(local: number): number {
    return this.shared ? this.shared.viewerCount(local) : local;
  }

  private broadcastPresence(): void {
    this.lastPresenceAt = this.now();
    const local = this.localVisitorCount?.();
    const visitors = local === undefined ? undefined : (this.shared?.visitorCount?.(local) ?? local);
    const frame = Buffer.from(
      JSON.stringify({ type: 'presence', viewers: this.totalViewers(this.viewerCount), ...(visitors === undefined ? {} : { visitors }) }),
    );
    this.viewers?.broadcast(frame);
  }
}
