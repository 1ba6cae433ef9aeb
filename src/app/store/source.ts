// What the page knows about the source feeding it: how the link is, and what a replay plays. The
// transports report in these terms; the store holds them; the status pill and the notices read them.

export type ConnectionStatus =
  | { state: 'connecting' }
  | { state: 'live' }
  /**
   * `nextAttemptAt` is Date.now() ms of the next attempt. `unreachable` is true while the relay has
   * never answered this page (a wrong `?relay=`, a policy refusing it, a relay that is down):
   * then `reason` says so in words, since "connecting…" alone would wait forever.
   */
  | { state: 'reconnecting'; nextAttemptAt: number; attempt: number; reason: string; unreachable?: boolean }
  /** Will not retry by itself: `reason` says why (incompatible relay, replay finished, ...). */
  | { state: 'offline'; reason: string };

export interface ReplayRange {
  /** ms since the epoch; strikes with `from <= t < to`. */
  from: number;
  to: number;
  /** Station ids, or null for all. */
  stations: string[] | null;
}

export interface ReplayInfo {
  /** The history range, or null when a recording file is played. */
  range: ReplayRange | null;
  /** The recording file (`&url=`), or null for a history range. */
  url: string | null;
  speed: number;
}
