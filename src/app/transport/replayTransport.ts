// `?source=replay`: strikes played back with their original rhythm, `speed` times faster, from
// either a history range of the relay's archive (`&from=<iso>&to=<iso>[&stations=a,b]`, streamed
// from /api/history and played while it arrives) or a recorded /live stream (`&url=<file.ndjson>`:
// a hello, then strikes, station changes, presence; read whole, then played in time order).
import { describeIssues, parseRelayMessage, stationSchema, type Station } from '../../protocol';
import { readNdjsonLines } from './ndjsonReader';
import type { ReplayInfo } from '../store/source';
import { describeRange, historyUrlFrom, rangeFromParams, STATIONS_URL_PATH } from './replayRange';
import { HISTORY_SPEED_LIMITS, PLAY_SPEED_LIMITS, readSpeed } from './speedOption';
import { ReplaySchedule, type ReplayedMessage } from './replaySchedule';
import type { Transport, TransportHealth, TransportOptions, TransportSink } from './types';

export interface Recording {
  stations: Station[];
  /** Strikes and visitors' touches, in the order read (parseRecording sorts them by time). */
  strikes: ReplayedMessage[];
  /** Lines the page refused, with their line number. */
  refused: string[];
}

/** Collects a recording's stations and strikes from lines as they arrive. */
export class RecordingReader {
  private readonly stationsById = new Map<string, Station>();
  readonly refused: string[] = [];

  /** Reads `lines` (the first is line `firstLine`); returns their strikes in the order read. */
  read(lines: readonly string[], firstLine: number): ReplayedMessage[] {
    const strikes: ReplayedMessage[] = [];
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      const parsed = parseRelayMessage(line);
      if (!parsed.ok) {
        this.refused.push(`line ${firstLine + index}: ${parsed.detail}`);
        return;
      }
      const message = parsed.message;
      if (message.type === 'hello') for (const station of message.stations) this.stationsById.set(station.id, station);
      else if (message.type === 'station' && !this.stationsById.has(message.station.id)) this.stationsById.set(message.station.id, message.station);
      else if (message.type === 'strike' || message.type === 'touch') strikes.push(message);
    });
    return strikes;
  }

  /** Stations named by the recording, shown online (a replay shows every station that struck). */
  get stations(): Station[] {
    return [...this.stationsById.values()].map((s) => ({ ...s, online: true }));
  }
}

/** Parses a whole NDJSON recording. Strikes are sorted by `t` (a recording may interleave stations). */
export function parseRecording(text: string): Recording {
  const reader = new RecordingReader();
  const strikes = reader.read(text.split('\n'), 1);
  strikes.sort((a, b) => a.t - b.t || a.seq - b.seq);
  return { stations: reader.stations, strikes, refused: reader.refused };
}

/** An error whose message is already worded for the viewer. */
class ReplayRefused extends Error {}

export class ReplayTransport implements Transport {
  readonly label = 'replay';
  readonly wind = null;
  private abort: AbortController | null = null;
  private schedule: ReplaySchedule | null = null;
  /** Set when the source broke off: said instead of the usual "finished". */
  private finishWith: string | null = null;

  constructor(
    readonly replay: ReplayInfo,
    /** Where the strikes come from: `/api/history?...` or the recording file. */
    private readonly fetchUrl: string,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  static fromOptions(options: TransportOptions, fetchImpl?: typeof fetch): ReplayTransport {
    const range = rangeFromParams(options);
    const rawSpeed = options.get('speed');
    if (range) return new ReplayTransport({ range, url: null, speed: readSpeed(rawSpeed, HISTORY_SPEED_LIMITS).speed }, historyUrlFrom(options), fetchImpl);
    const url = options.get('url') ?? '';
    return new ReplayTransport({ range: null, url, speed: readSpeed(rawSpeed, PLAY_SPEED_LIMITS).speed }, url, fetchImpl);
  }

  health(): TransportHealth {
    return { reconnects: 0, seqMissing: 0 };
  }

  start(sink: TransportSink): void {
    this.stop();
    const abort = new AbortController();
    this.abort = abort;
    sink.status({ state: 'connecting' });
    if (!this.fetchUrl) {
      sink.status({ state: 'offline', reason: 'Replay needs a range (&from=<iso>&to=<iso>) or a recording (&url=<file.ndjson>) in the address.' });
      return;
    }
    const play = this.replay.range ? this.playHistory(sink, abort.signal) : this.playRecording(sink, abort.signal);
    play.catch((error: unknown) => {
      if (abort.signal.aborted) return;
      this.schedule?.stop();
      sink.status({ state: 'offline', reason: this.explain(error) });
    });
  }

  /** Stops playing at once: no event reaches the sink after this, and the download is abandoned. */
  stop(): void {
    this.abort?.abort();
    this.abort = null;
    this.schedule?.stop();
    this.schedule = null;
  }

  /** A history range: stations from the relay, strikes played while the response streams in. */
  private async playHistory(sink: TransportSink, signal: AbortSignal): Promise<void> {
    const [response, stations] = await Promise.all([this.fetchOk(signal), this.fetchStations(signal)]);
    const reader = new RecordingReader();
    const schedule = this.startSchedule(sink, stations.list, stations.notice, (played) =>
      played === 0 ? `No strikes were archived for ${describeRange(this.replay.range!, Date.now())}.` : `The replay has finished (${played} strikes).`,
    );
    let refusedReported = 0;
    let linesRead = 0;
    try {
      await readNdjsonLines(
        response.body!,
        (lines, firstLine) => {
          linesRead += lines.length;
          schedule.push(reader.read(lines, firstLine));
          for (; refusedReported < reader.refused.length; refusedReported++) sink.refused(reader.refused[refusedReported]!);
        },
        signal,
      );
    } catch (error) {
      if (signal.aborted) return;
      // What arrived still plays; the viewer is told the rest is missing.
      this.finishWith = `The history stream broke off after ${linesRead} lines: ${(error as Error).message}.`;
    }
    if (!signal.aborted) schedule.end();
  }

  /** A recording file: read whole, then played in time order. */
  private async playRecording(sink: TransportSink, signal: AbortSignal): Promise<void> {
    const response = await this.fetchOk(signal);
    const reader = new RecordingReader();
    const strikes: ReplayedMessage[] = [];
    await readNdjsonLines(response.body!, (lines, firstLine) => strikes.push(...reader.read(lines, firstLine)), signal);
    if (signal.aborted) return;
    const named = reader.stations;
    const stations = named.length > 0 ? { list: named, notice: undefined } : await this.fetchStations(signal);
    if (signal.aborted) return;
    for (const detail of reader.refused) sink.refused(detail);
    strikes.sort((a, b) => a.t - b.t || a.seq - b.seq);
    const schedule = this.startSchedule(sink, stations.list, stations.notice, (played) =>
      played === 0 ? 'The recording has no strikes.' : 'The recording has finished.',
    );
    schedule.push(strikes);
    schedule.end();
  }

  private startSchedule(sink: TransportSink, stations: Station[], notice: string | undefined, finished: (played: number) => string): ReplaySchedule {
    sink.start({ stations, viewers: 1, sourceNow: Date.now(), ...(notice ? { notice } : {}) });
    sink.status({ state: 'live' });
    this.finishWith = null;
    const schedule = new ReplaySchedule(this.replay.speed, {
      // A visitor's touch replays as a touch: drawn and voiced as one, never as the wind.
      strike: (played, localT) => (played.type === 'touch' ? sink.touch?.({ ...played, t: localT }) : sink.strike({ ...played, t: localT })),
      finished: (played) => sink.status({ state: 'offline', reason: this.finishWith ?? finished(played) }),
    });
    this.schedule = schedule;
    return schedule;
  }

  private async fetchOk(signal: AbortSignal): Promise<Response> {
    const response = await this.fetchImpl(this.fetchUrl, { signal, cache: 'no-store' });
    if (response.ok && response.body) return response;
    throw new ReplayRefused(await this.refusal(response));
  }

  /** The relay's station list (archive output names none). Missing, the replay still plays. */
  private async fetchStations(signal: AbortSignal): Promise<{ list: Station[]; notice?: string }> {
    try {
      const response = await this.fetchImpl(STATIONS_URL_PATH, { signal, cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body: unknown = await response.json();
      if (!Array.isArray(body)) throw new Error('not a list');
      const list = body.flatMap((entry: unknown) => {
        const parsed = stationSchema.safeParse(entry);
        return parsed.success ? [{ ...parsed.data, online: true }] : [];
      });
      if (list.length < body.length) {
        const bad = body.map((entry: unknown) => stationSchema.safeParse(entry)).find((r) => !r.success);
        return { list, notice: `Some stations of the relay's list were skipped: ${bad && !bad.success ? describeIssues(bad.error) : ''}` };
      }
      return { list };
    } catch (error) {
      if (signal.aborted) throw error;
      return { list: [], notice: `The station list could not be loaded (${(error as Error).message}), so the map shows no stations.` };
    }
  }

  private async refusal(response: Response): Promise<string> {
    let detail = '';
    try {
      const body = (await response.json()) as { error?: unknown };
      if (typeof body.error === 'string') detail = body.error.slice(0, 200);
    } catch {
      // not JSON: the status says enough
    }
    if (!this.replay.range) return `Cannot load the recording ${this.fetchUrl}: HTTP ${response.status}${detail ? ` (${detail})` : ''}`;
    if (response.status === 400) return `The relay refused this replay range: ${detail || 'bad request'}.`;
    if (response.status === 404) return 'This relay keeps no archive, so there is no history to replay (the relay needs ARCHIVE_PATH).';
    if (response.status === 503) return 'The relay is busy with other history requests: reload in a moment to try again.';
    return `The relay could not send the history (HTTP ${response.status}${detail ? `: ${detail}` : ''}).`;
  }

  private explain(error: unknown): string {
    if (error instanceof ReplayRefused) return error.message;
    const message = error instanceof Error ? error.message : String(error);
    return this.replay.range ? `Cannot reach the relay for the replay: ${message}` : `Cannot load the recording ${this.fetchUrl}: ${message}`;
  }
}
