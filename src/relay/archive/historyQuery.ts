// Reads `GET /api/history?from=<iso>&to=<iso>&stations=a,b&touches=1` into a range, or a 400 naming the bad
// parameter. Pure: no I/O.
import { stationIdSchema } from '../../protocol';
import type { HistoryRange } from './archive';

/** Longest range one request may ask for. */
export const HISTORY_MAX_SPAN_MS = 24 * 60 * 60 * 1000;
/** Most strikes one response may hold; a bigger range is refused (ask for a shorter one). */
export const HISTORY_MAX_STRIKES = 200_000;
/** Most station ids in `stations=`. */
export const HISTORY_MAX_STATIONS = 100;

/** ISO 8601 with a date and a time and an explicit zone: `2025-11-25T14:00:00Z`, `...+01:00`. */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

export type HistoryQueryResult = { ok: true; range: HistoryRange } | { ok: false; parameter: string; error: string };

export function parseHistoryQuery(params: URLSearchParams): HistoryQueryResult {
  const from = parseTime(params, 'from');
  if (typeof from === 'string') return { ok: false, parameter: 'from', error: from };
  const to = parseTime(params, 'to');
  if (typeof to === 'string') return { ok: false, parameter: 'to', error: to };
  if (to <= from) return { ok: false, parameter: 'to', error: 'to: must be after from' };
  if (to - from > HISTORY_MAX_SPAN_MS) {
    const hours = Math.round(((to - from) / 3_600_000) * 10) / 10;
    return {
      ok: false,
      parameter: 'to',
      error: `to: the range spans ${hours} h; at most ${HISTORY_MAX_SPAN_MS / 3_600_000} h (HISTORY_MAX_SPAN_MS) per request`,
    };
  }
  const stationsParam = params.get('stations');
  let stations: Set<string> | null = null;
  if (stationsParam !== null) {
    const ids = stationsParam.split(',').map((id) => id.trim()).filter(Boolean);
    if (ids.length === 0) return { ok: false, parameter: 'stations', error: 'stations: give station ids separated by commas, or leave it out for all' };
    if (ids.length > HISTORY_MAX_STATIONS) {
      return { ok: false, parameter: 'stations', error: `stations: ${ids.length} ids; at most ${HISTORY_MAX_STATIONS} (HISTORY_MAX_STATIONS)` };
    }
    const bad = ids.find((id) => !stationIdSchema.safeParse(id).success);
    if (bad !== undefined) return { ok: false, parameter: 'stations', error: `stations: ${JSON.stringify(bad)} is not a station id` };
    stations = new Set(ids);
  }
  const touchesParam = params.get('touches');
  if (touchesParam !== null && touchesParam !== '0' && touchesParam !== '1') {
    return { ok: false, parameter: 'touches', error: 'touches: 1 includes visitors\' touches, 0 (or leaving it out) leaves them out' };
  }
  return { ok: true, range: { from, to, stations, ...(touchesParam === '1' ? { touches: true } : {}) } };
}

function parseTime(params: URLSearchParams, name: string): number | string {
  const raw = params.get(name);
  if (raw === null || raw === '') return `${name}: required, an ISO 8601 time such as 2025-11-25T14:00:00Z`;
  const fields = ISO_TIME.exec(raw);
  const value = fields ? Date.parse(raw) : NaN;
  if (!fields || !Number.isFinite(value)) return `${name}: ${JSON.stringify(raw.slice(0, 40))} is not an ISO 8601 time such as 2025-11-25T14:00:00Z`;
  // Date.parse rolls an impossible date over (2025-02-30 becomes 2 March): refuse it instead.
  const [year, month, day, hour, minute, second = '0', zoneHours = '0', zoneMinutes = '0'] = fields.slice(1);
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth) {
    return `${name}: ${year}-${month}-${day} is not a day of the calendar`;
  }
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || Number(zoneHours) > 23 || Number(zoneMinutes) > 59) {
    return `${name}: ${JSON.stringify(raw.slice(0, 40))} is not a time of day (hours 00-23, minutes and seconds 00-59)`;
  }
  return value;
}
