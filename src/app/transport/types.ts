// The one boundary between the page and where strikes come from. A transport validates what it
// receives and hands typed events to a sink; nothing else on the page touches a socket or a file.
import type { Station, StrikeMessage } from '../../protocol';
import type { WindControls } from '../../sim';
import type { ConnectionStatus, ReplayInfo } from '../store/source';
import type { TouchMessage } from '../visitors/touchWire';

export type { ConnectionStatus } from '../store/source';

export interface StreamStart {
  stations: Station[];
  viewers: number;
  /** The source's clock (ms since the epoch) when it greeted us: strike `t` is on this clock. */
  sourceNow: number;
  /** Set when strikes may be missing: a new relay epoch, a resume gap. Says so in words. */
  notice?: string;
  /** After a resume: strikes up to this seq are the missed backlog, replayed for counts, not shown. */
  historyUntilSeq?: number;
}

export interface TransportSink {
  start(start: StreamStart): void;
  strike(strike: StrikeMessage): void;
  /** A visitor's touch (relay only), numbered in the strikes' seq sequence. */
  touch?(touch: TouchMessage): void;
  station(station: Station): void;
  /** The relay's operator removed this station. */
  stationRemoved(id: string): void;
  /** `visitors`: who played in the last minute, when the relay counts them. */
  presence(viewers: number, visitors?: number): void;
  status(status: ConnectionStatus): void;
  /** A frame the page refused (malformed, unknown type): counted and shown, never fatal. */
  refused(detail: string): void;
}

/** How the link has fared, for the page's stats. */
export interface TransportHealth {
  /** Times the link was re-established after the first greeting. */
  reconnects: number;
  /** Seqs the relay numbered that never reached this page. */
  seqMissing: number;
}

/** The wind of a simulated source, which the artist panel steers (storm, calm, stations on/off). */
export interface WindSteering {
  /** null before the source has started. */
  readonly controls: WindControls | null;
  setControls(patch: Partial<WindControls>): void;
}

export interface Transport {
  /** What the UI calls the source: "relay", "simulation", "replay". */
  readonly label: string;
  /** What a replay plays (range or file, speed); null for every other source. */
  readonly replay: ReplayInfo | null;
  /** The simulated wind, for a source that has one; null otherwise. */
  readonly wind: WindSteering | null;
  /** A source without a link (simulation, replay) reports zeros. */
  health(): TransportHealth;
  start(sink: TransportSink): void;
  stop(): void;
  /** A source that waits between reconnects: try now instead of waiting ("retry now"). */
  retryNow?(): void;
}

/** Page URL options a transport may read (`?relay=`, `?url=`, `?speed=`, `?seed=`). */
export type TransportOptions = URLSearchParams;
