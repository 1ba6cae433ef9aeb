// Whether a visitor's touch may ring a station's real chime now: both the stations file's striker and
// the device's declared one must list the chime, the station must be outside its quiet hours, the
// touch fresh, and a ring now within the stricter of both limits. Pure, driven by an explicit clock.
import { RING_MAX_DELAY_MS, type StationStriker, type StrikerLimits } from '../../protocol';

export const RING_REFUSAL_REASONS = ['not_declared', 'chime', 'late', 'quiet_hours', 'gap', 'rate'] as const;
export type RingRefusalReason = (typeof RING_REFUSAL_REASONS)[number];
export type RingVerdict = { ring: true } | { ring: false; reason: RingRefusalReason };

const MINUTE_MS = 60_000;

/** Minutes since local midnight in `tz` at `now`. */
function localMinutes(tz: string, now: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const field = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return field('hour') * 60 + field('minute');
}

const clockMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Whether `now` falls in [from, to) local time in `tz`; a `from` later than `to` wraps midnight. */
export function inQuietHours(quiet: NonNullable<StationStriker['quietHours']>, now: number): boolean {
  const minutes = localMinutes(quiet.tz, now);
  const from = clockMinutes(quiet.from);
  const to = clockMinutes(quiet.to);
  return from < to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
}

export class StrikerGate {
  /** Station id -> times of its rings in the last minute, oldest first. */
  private readonly rings = new Map<string, number[]>();

  /** Decides, and if it rings, counts the ring against the station's limits. */
  decide(stationId: string, configured: StationStriker, declared: StrikerLimits | undefined, chime: number, touchT: number, now: number): RingVerdict {
    if (!declared) return { ring: false, reason: 'not_declared' };
    if (!configured.chimes.includes(chime) || !declared.chimes.includes(chime)) return { ring: false, reason: 'chime' };
    if (now - touchT > RING_MAX_DELAY_MS) return { ring: false, reason: 'late' };
    if (configured.quietHours && inQuietHours(configured.quietHours, now)) return { ring: false, reason: 'quiet_hours' };
    const times = (this.rings.get(stationId) ?? []).filter((t) => now - t < MINUTE_MS);
    const last = times.at(-1);
    if (last !== undefined && now - last < Math.max(configured.minGapMs, declared.minGapMs)) return { ring: false, reason: 'gap' };
    if (times.length >= Math.min(configured.maxPerMinute, declared.maxPerMinute)) return { ring: false, reason: 'rate' };
    times.push(now);
    this.rings.set(stationId, times);
    return { ring: true };
  }

  forget(stationId: string): void {
    this.rings.delete(stationId);
  }
}
