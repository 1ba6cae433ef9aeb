// What a visitor is told about their touch, and what screen readers hear of others' touches: the
// words only, so they can be tested and shown anywhere. Pure.
import type { TouchOutcome, TouchRefusal } from './touchClient';

/** Others' touches are announced at most this often; touches in between are summed up after it. */
export const TOUCH_ANNOUNCE_INTERVAL_MS = 2_000;

export function refusalText(reason: TouchRefusal, stationName: string, retryMs?: number): string {
  switch (reason) {
    case 'slow_down':
      return `Slow down: try again in ${Math.max(1, Math.ceil((retryMs ?? 1000) / 1000))} s.`;
    case 'resting':
      return 'Visitors are resting: playing is paused for now.';
    case 'station_resting':
      return `Visitors are resting at ${stationName}.`;
    case 'unknown_station':
      return `${stationName} is not on the relay any more.`;
    case 'duplicate':
      return 'That touch was already sent.';
    case 'bad_message':
    case 'too_large':
      return 'The relay could not read that touch.';
    case 'offline':
      return 'Not connected to the relay yet: try again in a moment.';
    case 'no_answer':
      return 'No answer from the relay: your touch may not have been heard.';
  }
}

export function outcomeText(outcome: TouchOutcome, stationName: string, chime: number): string {
  const what = `chime ${chime + 1} in ${stationName}`;
  switch (outcome.kind) {
    case 'sent':
      return `You played ${what}…`;
    case 'heard':
      return `You played ${what}: everyone listening heard it.`;
    case 'refused':
      return refusalText(outcome.reason, stationName, outcome.retryMs);
  }
}

/** Announces others' touches to screen readers without a torrent: one line per interval at most. */
export class TouchAnnouncer {
  private lastAt = -Infinity;
  private held = 0;

  /** A touch heard at `now`: the line to announce now, or null (it is counted for flush()). */
  heard(stationName: string, chime: number, now: number): string | null {
    if (now - this.lastAt >= TOUCH_ANNOUNCE_INTERVAL_MS) {
      this.lastAt = now;
      return `A visitor played chime ${chime + 1} in ${stationName}.`;
    }
    this.held++;
    return null;
  }

  /** After the interval: a summary of the touches held back, or null when there were none. */
  flush(now: number): string | null {
    if (this.held === 0) return null;
    const held = this.held;
    this.held = 0;
    this.lastAt = now;
    return held === 1 ? 'A visitor played another chime.' : `Visitors played ${held} more chimes.`;
  }
}
