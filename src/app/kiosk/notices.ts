// What an unattended screen says when it has nothing to show: a gentle "calm in Chicago for 12 min"
// when the wind is still, and "offline" only once the relay has been gone a while (a restart or a
// blip should pass unnoticed). Pure functions of the state and the time.
import type { Station } from '../../protocol';
import type { StationActivity } from '../store/activity';
import type { ConnectionStatus } from '../store/source';

/** No strike for this long and the screen says it is calm. */
export const CALM_NOTICE_AFTER_MS = 3 * 60_000;
/** The relay gone for this long before the screen says offline. */
export const OFFLINE_NOTICE_AFTER_MS = 30_000;
/** Shortest wait a `?calmS=` or `?offlineS=` override may ask for (tests, impatient installers). */
export const NOTICE_MIN_AFTER_MS = 1_000;

export interface NoticeTimes {
  calmAfterMs: number;
  offlineAfterMs: number;
}

/** `?calmS=<seconds>` and `?offlineS=<seconds>` change when the notices appear; anything odd keeps the default. */
export function noticeTimesFrom(params: URLSearchParams): NoticeTimes {
  const ms = (name: string, fallback: number) => {
    const seconds = Number(params.get(name));
    if (!params.get(name) || !Number.isFinite(seconds)) return fallback;
    return Math.max(NOTICE_MIN_AFTER_MS, Math.round(seconds * 1000));
  };
  return { calmAfterMs: ms('calmS', CALM_NOTICE_AFTER_MS), offlineAfterMs: ms('offlineS', OFFLINE_NOTICE_AFTER_MS) };
}

export interface CalmInput {
  stations: readonly Station[];
  activity: Record<string, StationActivity>;
  focusStation: string | null;
  /** Date.now() ms the page started watching: calm is measured from here when nothing came yet. */
  watchingSince: number;
  now: number;
  /** CALM_NOTICE_AFTER_MS unless `?calmS=` says otherwise. */
  calmAfterMs?: number;
}

export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

function lastStrikeOf(activity: StationActivity | undefined): number | null {
  let last: number | null = null;
  for (const chime of activity?.chimes ?? []) {
    if (chime.lastStrikeAt !== null && (last === null || chime.lastStrikeAt > last)) last = chime.lastStrikeAt;
  }
  return last;
}

/** "calm in Chicago for 12 min", "calm everywhere for 5 min", or null while the wind blows. */
export function calmNotice({ stations, activity, focusStation, watchingSince, now, calmAfterMs = CALM_NOTICE_AFTER_MS }: CalmInput): string | null {
  const focused = focusStation ? stations.find((s) => s.id === focusStation) : undefined;
  const watched = focused ? [focused] : stations.filter((s) => s.online);
  if (watched.length === 0) return null;
  let last = watchingSince;
  for (const station of watched) last = Math.max(last, lastStrikeOf(activity[station.id]) ?? watchingSince);
  const calmFor = now - last;
  if (calmFor < calmAfterMs) return null;
  const where = watched.length === 1 ? `in ${watched[0]!.name}` : 'everywhere';
  return `calm ${where} for ${formatDuration(calmFor)}`;
}

/**
 * Null while live, and for the first `afterMs` (OFFLINE_NOTICE_AFTER_MS) without the relay; then says so.
 * `notLiveSince`: Date.now() ms the connection stopped being live (or the page started).
 */
export function offlineNotice(connection: ConnectionStatus, notLiveSince: number, now: number, afterMs = OFFLINE_NOTICE_AFTER_MS): string | null {
  if (connection.state === 'live') return null;
  if (connection.state === 'offline') return connection.reason;
  if (now - notLiveSince < afterMs) return null;
  return `offline for ${formatDuration(now - notLiveSince)} · reconnecting by itself`;
}
