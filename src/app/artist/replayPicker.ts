// The time picker's choices turned into a replay range: a local day, a start time, a duration, the
// stations. Pure, so the panel stays a thin shell and the arithmetic is tested directly.
import type { ReplayRange } from '../store/source';
import { HISTORY_REPLAY_MAX_SPEED, HISTORY_REPLAY_MIN_SPEED } from '../transport/replayRange';

/** Days offered in the picker: the relay keeps 30 by default (ARCHIVE_RETENTION_DAYS). */
export const PICKER_DAYS = 30;
/** Durations offered, in minutes (the relay serves at most 24 h per request). */
export const PICKER_DURATIONS_MIN: Record<string, number> = { '5 min': 5, '15 min': 15, '30 min': 30, '1 h': 60, '3 h': 180, '6 h': 360, '24 h': 1440 };

export interface ReplayChoice {
  /** A local date, `YYYY-MM-DD`. */
  day: string;
  /** `HH:MM`, local time. */
  start: string;
  durationMin: number;
  speed: number;
  stations: 'all' | 'in view';
}

export type PickedRange = { ok: true; range: ReplayRange; speed: number } | { ok: false; error: string };

const pad = (n: number) => String(n).padStart(2, '0');
export const localDate = (t: number) => {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

/** The picker's day list: label -> `YYYY-MM-DD`, today first. */
export function dayOptions(now: number): Record<string, string> {
  const options: Record<string, string> = {};
  const day = new Date(now);
  for (let back = 0; back < PICKER_DAYS; back++) {
    const label = back === 0 ? 'today' : back === 1 ? 'yesterday' : day.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
    options[label] = localDate(day.getTime());
    day.setDate(day.getDate() - 1);
  }
  return options;
}

export function pickRange(choice: ReplayChoice, focusStation: string | null, now: number): PickedRange {
  const time = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(choice.start.trim());
  if (!time) return { ok: false, error: `start "${choice.start.slice(0, 20)}" is not a time like 14:00` };
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(choice.day);
  if (!date) return { ok: false, error: `day "${choice.day.slice(0, 20)}" is not a date like 2025-11-25` };
  const from = new Date(Number(date[1]), Number(date[2]) - 1, Number(date[3]), Number(time[1]), Number(time[2])).getTime();
  if (from >= now) return { ok: false, error: 'that time has not come yet: choose an earlier start' };
  if (choice.stations === 'in view' && !focusStation) return { ok: false, error: 'no station is in view: click one on the map, or choose all stations' };
  const speed = Math.min(HISTORY_REPLAY_MAX_SPEED, Math.max(HISTORY_REPLAY_MIN_SPEED, Math.round(choice.speed)));
  const stations = choice.stations === 'in view' && focusStation ? [focusStation] : null;
  return { ok: true, range: { from, to: from + choice.durationMin * 60_000, stations }, speed };
}
