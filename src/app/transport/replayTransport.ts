// `?source=replay&url=<file.ndjson>&speed=<x>`: a recorded /live stream (one relay message per
// line: a hello, then strikes, station changes, presence) played back with its original spacing.
import { parseRelayMessage, type Station, type StrikeMessage } from '../../protocol';
import type { Transport, TransportOptions, TransportSink } from './types';

export const MAX_REPLAY_SPEED = 100;

export interface Recording {
  stations: Station[];
  strikes: StrikeMessage[];
  /** Lines the page refused, with their line number. */
  refused: string[];
}

/** Parses an NDJSON recording. Strikes are sorted by `t` (a recording may interleave stations). */
export function parseRecording(text: string): Recording {
  const stations = new Map<string, Station>();
  const strikes: StrikeMessage[] = [];
  const refused: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = parseRelayMessage(line);
    if (!parsed.ok) {
      refused.push(`line ${index + 1}: ${parsed.detail}`);
      return;
    }
    const message = parsed.message;
    if (message.type === 'hello') for (const station of message.stations) stations.set(station.id, station);
    else if (message.type === 'station' && !stations.has(message.station.id)) stations.set(message.station.id, message.station);
    else if (message.type === 'strike') strikes.push(message);
  });
  strikes.sort((a, b) => a.t - b.t || a.seq - b.seq);
  return { stations: [...stations.values()].map((s) => ({ ...s, online: true })), strikes, refused };
}

export class ReplayTransport implements Transport {
  readonly label = 'replay';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly url: string, private readonly speed: number) {}

  static fromOptions(options: TransportOptions): ReplayTransport {
    const speed = Number(options.get('speed') ?? 1);
    return new ReplayTransport(options.get('url') ?? '', speed > 0 && speed <= MAX_REPLAY_SPEED ? speed : 1);
  }

  start(sink: TransportSink): void {
    this.stopped = false;
    sink.status({ state: 'connecting' });
    if (!this.url) {
      sink.status({ state: 'offline', reason: 'Replay needs a recording: add &url=<file.ndjson> to the address.' });
      return;
    }
    fetch(this.url)
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.text();
      })
      .then((text) => {
        if (!this.stopped) this.play(parseRecording(text), sink);
      })
      .catch((error: unknown) => {
        sink.status({ state: 'offline', reason: `Cannot load the recording ${this.url}: ${(error as Error).message}` });
      });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private play(recording: Recording, sink: TransportSink): void {
    for (const detail of recording.refused) sink.refused(detail);
    const { strikes } = recording;
    const first = strikes[0];
    const startedAt = Date.now();
    sink.start({ stations: recording.stations, viewers: 1, sourceNow: startedAt });
    sink.status({ state: 'live' });
    if (!first) {
      sink.status({ state: 'offline', reason: 'The recording has no strikes.' });
      return;
    }
    // Recorded times are moved onto this page's clock, scaled by speed.
    const localTime = (t: number) => startedAt + (t - first.t) / this.speed;
    let next = 0;
    const emitDue = () => {
      const now = Date.now();
      while (next < strikes.length && localTime(strikes[next]!.t) <= now) {
        const strike = strikes[next++]!;
        sink.strike({ ...strike, t: localTime(strike.t) });
      }
      if (next >= strikes.length) {
        sink.status({ state: 'offline', reason: 'The recording has finished.' });
        return;
      }
      this.timer = setTimeout(emitDue, Math.max(0, localTime(strikes[next]!.t) - now));
    };
    emitDue();
  }
}
