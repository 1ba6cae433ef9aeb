// What a replay plays: a history range of the relay's archive (`from`, `to`, `stations`) or a
// recording file (`url`), and how fast. Read from and written to the page address; pure, no I/O.
import type { ReplayInfo, ReplayRange } from '../store/source';

/** Slowest and fastest a history range may be played (`&speed=`, clamped into this range: speedOption.ts). */
export const HISTORY_REPLAY_MIN_SPEED = 1;
export const HISTORY_REPLAY_MAX_SPEED = 60;
/** The relay's archive route (same origin as the page). */
export const HISTORY_URL_PATH = '/api/history';
/** The relay's station list, for a replay whose recording names no stations. */
export const STATIONS_URL_PATH = '/api/stations';

/**
 * The range in `?from=&to=&stations=`, or null when there is no `from`/`to`. Times are passed to the
 * relay as given (it answers a bad one with a 400 naming the parameter, shown to the viewer); here
 * they only need to parse, for the status pill.
 */
export function rangeFromParams(params: URLSearchParams): ReplayRange | null {
  const from = params.get('from');
  const to = params.get('to');
  if (from === null && to === null) return null;
  const stations = params.get('stations')?.split(',').map((id) => id.trim()).filter(Boolean) ?? [];
  return { from: Date.parse(from ?? ''), to: Date.parse(to ?? ''), stations: stations.length > 0 ? stations : null };
}

/** `/api/history?from=..&to=..[&stations=..]&touches=1`, with the times exactly as the page address gave them; visitors' touches included. */
export function historyUrlFrom(params: URLSearchParams): string {
  const query = new URLSearchParams();
  for (const name of ['from', 'to', 'stations']) {
    const value = params.get(name);
    if (value !== null) query.set(name, value);
  }
  query.set('touches', '1');
  return `${HISTORY_URL_PATH}?${query.toString()}`;
}

/**
 * The page address that replays `range` at `speed`, keeping every other option of `current` (`?dev`,
 * `?preset=`, ...) and dropping those of the source it replaces.
 */
export function replayAddress(current: URL, range: ReplayRange, speed: number): URL {
  const url = withoutSourceOptions(current);
  url.searchParams.set('source', 'replay');
  url.searchParams.set('from', new Date(range.from).toISOString());
  url.searchParams.set('to', new Date(range.to).toISOString());
  // `stations=` is also the station close up: a replay of all stations must not keep it as a filter.
  if (range.stations) url.searchParams.set('stations', range.stations.join(','));
  else url.searchParams.delete('stations');
  url.searchParams.set('speed', String(speed));
  return url;
}

/** The page address of the live stream, keeping the options that are not about the source. */
export function liveAddress(current: URL): URL {
  return withoutSourceOptions(current);
}

function withoutSourceOptions(current: URL): URL {
  const url = new URL(current);
  for (const name of ['source', 'from', 'to', 'url', 'speed', 'seed']) url.searchParams.delete(name);
  return url;
}

const hourMinute = (t: number) => {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

const startOfDay = (t: number) => {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};

/** "today", "yesterday" or "25 Nov" (in the viewer's time zone). */
export function dayLabel(t: number, now: number): string {
  const days = Math.round((startOfDay(now) - startOfDay(t)) / 86_400_000);
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  return new Date(t).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', ...(days > 300 || days < 0 ? { year: 'numeric' } : {}) });
}

/** "14:00–15:00 yesterday"; a range over midnight names both days: "23:30 yesterday–00:30 today". */
export function describeRange(range: Pick<ReplayRange, 'from' | 'to'>, now: number): string {
  if (!Number.isFinite(range.from) || !Number.isFinite(range.to)) return 'range';
  const sameDay = startOfDay(range.from) === startOfDay(range.to - 1);
  if (sameDay) return `${hourMinute(range.from)}–${hourMinute(range.to)} ${dayLabel(range.from, now)}`;
  return `${hourMinute(range.from)} ${dayLabel(range.from, now)}–${hourMinute(range.to)} ${dayLabel(range.to, now)}`;
}

/** What the status pill and the screen-reader summary call this replay: "Replay · 14:00–15:00 yesterday · 10×". */
export function describeReplay(info: ReplayInfo, now: number): string {
  const what = info.range ? describeRange(info.range, now) : 'recording';
  return `Replay · ${what} · ${formatSpeed(info.speed)}`;
}

const formatSpeed = (speed: number) => `${Number.isInteger(speed) ? speed : speed.toFixed(1)}×`;
